import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DomainError, isUuid, type FieldError } from '../../../core/errors/index.ts';

/** The columns of an export, and what an import reads (`id` optional; any order; any case). */
const COLUMNS = ['id', 'question', 'paraphrases', 'answer'] as const;
/** Requests to the API are at most 1 MB, so a file arrives smaller anyway; the check names the limit. */
const MAX_CSV_CHARS = 1_000_000;
const MAX_ROWS = 2_000;
/**
 * What csv-stringify's `escape_formulas` puts in front of a cell a spreadsheet would run: a quote before
 * = + - @ tab or CR. An import takes it off again, so a round trip keeps "=SUM(A1)" as written.
 */
const ESCAPED_FORMULA = /^'(?=[=+\-@\t\r])/;

export interface CuratedCsvRow {
  /** 1-based data row number (the header is not counted). */
  row: number;
  id: string | null;
  values: { question: string; paraphrases: string[]; answer: string };
}

/** Entries as CSV: paraphrases one per line inside their cell; cells a spreadsheet would run are escaped. */
export function curatedAnswersToCsv(entries: readonly { id: string; question: string; paraphrases: string[]; answer: string }[]): string {
  return stringify(
    entries.map((e) => [e.id, e.question, e.paraphrases.join('\n'), e.answer]),
    { header: true, columns: [...COLUMNS], escape_formulas: true },
  );
}

/**
 * Reads an import. A file that is not CSV (unclosed quote, ragged rows), has no `question` or `answer`
 * column, or is too big is refused with BAD_USER_INPUT naming the problem (`csv`, `csv.row.N.id`).
 */
export function parseCuratedAnswersCsv(csv: string): CuratedCsvRow[] {
  if (csv.length > MAX_CSV_CHARS) throw invalid('csv', `must be at most ${MAX_CSV_CHARS} characters`);
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true, trim: false });
  } catch (error) {
    throw invalid('csv', `is not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...rows] = records;
  if (!header) throw invalid('csv', 'is empty: expected a header row with question and answer columns');
  const names = header.map((h) => h.trim().toLowerCase());
  const column = (name: (typeof COLUMNS)[number]) => names.indexOf(name);
  const missing = (['question', 'answer'] as const).filter((name) => column(name) < 0);
  if (missing.length > 0) throw invalid('csv', `has no ${missing.join(' or ')} column (the header row names the columns: id, question, paraphrases, answer)`);
  if (rows.length > MAX_ROWS) throw invalid('csv', `must have at most ${MAX_ROWS} rows`);
  const errors: FieldError[] = [];
  const cell = (record: string[], name: (typeof COLUMNS)[number]) => {
    const index = column(name);
    return index < 0 ? '' : (record[index] ?? '').replace(ESCAPED_FORMULA, '');
  };
  const parsed = rows.map((record, i) => {
    const id = cell(record, 'id').trim();
    if (id && !isUuid(id)) errors.push({ field: `csv.row.${i + 1}.id`, message: 'is not an id from an export (leave it empty to add an entry)' });
    return {
      row: i + 1,
      id: id ? id.toLowerCase() : null,
      values: {
        question: cell(record, 'question'),
        paraphrases: cell(record, 'paraphrases').split(/\r?\n/).map((p) => p.trim()).filter((p) => p.length > 0),
        answer: cell(record, 'answer'),
      },
    };
  });
  if (errors.length > 0) throw DomainError.invalidInput(errors);
  return parsed;
}

function invalid(field: string, message: string): DomainError {
  return DomainError.invalidInput([{ field, message }]);
}
