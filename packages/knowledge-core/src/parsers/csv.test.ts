import { describe, expect, it } from 'vitest';
import { parseCsv, ParseError, type CsvOptions } from './index.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function csvError(bytes: Uint8Array, options: CsvOptions): ParseError {
  try {
    parseCsv(bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error('parseCsv did not throw');
}

// 1000 FAQ rows; seven of them are broken in different ways. Some good rows hold quoted commas,
// quotes and line breaks, so a data row is not the same as a line of the file.
const BAD_ROWS: Record<number, { line: string; message: string }> = {
  17: { line: '', message: 'the row is empty' },
  123: { line: ',Answer without a question,billing', message: 'the question (column "Question") is empty' },
  250: { line: 'Question without an answer?,   ,billing', message: 'the answer (column "Answer") is empty' },
  404: { line: 'Too few fields?,yes', message: 'the row has 2 fields; the header has 3' },
  512: { line: 'Too many fields?,yes,billing,extra', message: 'the row has 4 fields; the header has 3' },
  777: { line: ' , , ', message: 'the row is empty' },
  1000: { line: 'Last question?,,general', message: 'the answer (column "Answer") is empty' },
};

function faqCsv(rows: number): string {
  const lines = ['Question,Answer,Category'];
  for (let row = 1; row <= rows; row++) {
    const bad = BAD_ROWS[row];
    if (bad) lines.push(bad.line);
    else if (row % 10 === 0) lines.push(`"Question ${row}, with a comma?","Answer ${row} says ""yes"".\nSecond line.",general`);
    else lines.push(`Question ${row}?,Answer ${row}.,general`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('parseCsv', () => {
  it('reads 1000 Q&A rows with 7 bad ones into 993 sections and 7 precise row errors, in well under a second', () => {
    const bytes = encode(faqCsv(1000));
    const started = performance.now();
    const result = parseCsv(bytes, { mode: 'qa', questionColumn: 'Question', answerColumn: 'Answer' });
    const elapsed = performance.now() - started;

    expect(result.rows).toHaveLength(993);
    expect(result.errors).toEqual(Object.entries(BAD_ROWS).map(([row, bad]) => ({ row: Number(row), message: bad.message })));
    expect(result.header).toEqual(['Question', 'Answer', 'Category']);
    expect(result.warnings).toEqual([]);
    expect(result.rows[0]).toEqual({ row: 1, markdown: '## Question 1?\n\nAnswer 1.' });
    expect(result.rows.find((row) => row.row === 10)?.markdown).toBe('## Question 10, with a comma?\n\nAnswer 10 says "yes".\nSecond line.');
    expect(result.rows.map((row) => row.row)).not.toContain(17);
    expect(elapsed).toBeLessThan(500);
  });

  it('reports progress at least every 100 rows and once at the end', () => {
    const calls: [number, number][] = [];
    parseCsv(encode(faqCsv(1000)), { mode: 'qa' }, (done, total) => calls.push([done, total]));
    expect(calls).toEqual([...Array.from({ length: 9 }, (_, i): [number, number] => [(i + 1) * 100, 1000]), [1000, 1000]]);
  });

  it('finds the question and answer columns by name, or takes the two columns of a two-column file', () => {
    expect(parseCsv(encode('Category,answer,QUESTION\nx,Yes.,Open on Sunday?'), { mode: 'qa' }).rows)
      .toEqual([{ row: 1, markdown: '## Open on Sunday?\n\nYes.' }]);
    expect(parseCsv(encode('Frage,Antwort\nWie viel kostet Pro?,29 Euro.'), { mode: 'qa' }).rows)
      .toEqual([{ row: 1, markdown: '## Wie viel kostet Pro?\n\n29 Euro.' }]);
  });

  it('rejects a file whose mapped column is missing from the header with MALFORMED naming the column', () => {
    const error = csvError(encode('Question,Reply\nA?,B.'), { mode: 'qa', questionColumn: 'Question', answerColumn: 'Answer' });
    expect(error.code).toBe('MALFORMED');
    expect(error.detail).toBe('the answerColumn "Answer" is not in the header (columns: "Question", "Reply")');
    expect(csvError(encode('Name,Price\nPro,29'), { mode: 'records', columns: ['Name', 'Seats'] }).detail).toContain('"Seats"');
    expect(csvError(encode('Topic,Text,Tags\na,b,c'), { mode: 'qa' }).detail).toMatch(/^no question column found; name it with questionColumn/);
  });

  it('renders records with a title column, or "Row N", as a heading and a bullet list of the non-empty mapped fields', () => {
    const bytes = encode('Plan;Price;Mascots;Notes\nPro;$29;5;\nTeam;$99;20;Yearly billing\n');
    expect(parseCsv(bytes, { mode: 'records', titleColumn: 'Plan' }).rows).toEqual([
      { row: 1, markdown: '## Pro\n\n- **Price**: $29\n- **Mascots**: 5' },
      { row: 2, markdown: '## Team\n\n- **Price**: $99\n- **Mascots**: 20\n- **Notes**: Yearly billing' },
    ]);
    expect(parseCsv(bytes, { mode: 'records', columns: ['Mascots', 'Plan'] }).rows[0]).toEqual({ row: 1, markdown: '## Row 1\n\n- **Mascots**: 5\n- **Plan**: Pro' });
    expect(parseCsv(encode('Plan,Price\nPro,\n'), { mode: 'records', titleColumn: 'Plan' }).errors).toEqual([{ row: 1, message: 'the mapped columns are all empty' }]);
  });

  it('detects semicolon and tab delimiters and honours an explicit one', () => {
    expect(parseCsv(encode('q;a\nOne?;Yes, one.'), { mode: 'qa' }).rows[0]?.markdown).toBe('## One?\n\nYes, one.');
    expect(parseCsv(encode('q\ta\nTab?\tYes.'), { mode: 'qa' }).rows[0]?.markdown).toBe('## Tab?\n\nYes.');
    expect(parseCsv(encode('q|a\nPipe?|Yes, pipe.'), { mode: 'qa', delimiter: '|' }).rows[0]?.markdown).toBe('## Pipe?\n\nYes, pipe.');
  });

  it('ignores blank lines at the end of the file and strips a byte order mark from the header', () => {
    const result = parseCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...encode('Question,Answer\nA?,B.\n\n\n')]), { mode: 'qa', questionColumn: 'Question' });
    expect(result).toEqual({ rows: [{ row: 1, markdown: '## A?\n\nB.' }], errors: [], header: ['Question', 'Answer'], warnings: [] });
  });

  it('reads Windows-1252 files from Excel with a warning, and warns about duplicate column names', () => {
    const result = parseCsv(new Uint8Array([...encode('Question,Answer,Answer\nCaf'), 0xe9, ...encode('?,Open.,x')]), { mode: 'qa' });
    expect(result.rows).toEqual([{ row: 1, markdown: '## Café?\n\nOpen.' }]);
    expect(result.warnings).toEqual([
      'the file is not UTF-8; it was read as Windows-1252 (Western European)',
      'duplicate column names (the first one is used): "Answer"',
    ]);
  });

  it('rejects an unclosed quote, binary data, an empty file and an empty header with typed errors', () => {
    const unclosed = csvError(encode('q,a\nOne?,"never closed\nTwo?,Yes.\n'), { mode: 'qa' });
    expect(unclosed.code).toBe('MALFORMED');
    expect(unclosed.detail).toMatch(/quoted field is never closed/);
    expect(csvError(new Uint8Array([0x71, 0x2c, 0x61, 0x0a, 0x00, 0x2c, 0x01]), { mode: 'qa' }).code).toBe('MALFORMED');
    expect(csvError(encode(' \n'), { mode: 'qa' }).code).toBe('EMPTY');
    expect(csvError(encode(',,\na,b,c'), { mode: 'records' }).code).toBe('MALFORMED');
  });

  it('returns no rows and no errors for a header-only file', () => {
    expect(parseCsv(encode('Question,Answer\n'), { mode: 'qa' })).toEqual({ rows: [], errors: [], header: ['Question', 'Answer'], warnings: [] });
  });
});
