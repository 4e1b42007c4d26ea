// Spreadsheets exported as CSV (or TSV) to one small Markdown section per row, with csv-parse's
// synchronous, runtime-neutral build. Two shapes:
//   qa       `## <question>\n\n<answer>`: FAQ sheets, one question per row;
//   records  `## <title or "Row N">` and `- **Column**: value` per mapped, non-empty cell:
//            product lists, price sheets, opening hours.
// A bad row (empty, wrong number of fields, missing question or answer) is reported with its
// 1-based data row number (the header is not counted) and skipped; the rest of the file is still
// used. Problems with the file as a whole (undecodable, no header, unclosed quote, a mapped
// column missing from the header) throw ParseError.

// The browser build bundles its own Buffer shim, so one import serves Node, renderers and workers.
import { parse } from 'csv-parse/browser/esm/sync';
import { decodeText, normalizeLineEndings } from './decode-text.ts';
import { describeError, ParseError } from './parse-error.ts';

export interface CsvOptions {
  /** `qa`: question/answer pairs; `records`: one record per row with labelled fields. */
  mode: 'qa' | 'records';
  /** qa: header of the question column. Default: a column named "question" or "q" (any case), else the first of two columns. */
  questionColumn?: string;
  /** qa: header of the answer column. Default: a column named "answer" or "a" (any case), else the second of two columns. */
  answerColumn?: string;
  /** records: header of the column that names each record; rows are titled "Row N" without it. */
  titleColumn?: string;
  /** records: the columns to include, in this order. Default: every column except the title column. */
  columns?: string[];
  /** Field delimiter. Default: detected from the header line among `,` `;` tab and `|`. */
  delimiter?: string;
}

export interface CsvRowError {
  /** 1-based data row number; the header row is not counted. */
  row: number;
  message: string;
}

export interface CsvRow {
  /** 1-based data row number, as in CsvRowError. */
  row: number;
  markdown: string;
}

export interface CsvParseResult {
  /** The valid rows, in file order. */
  rows: CsvRow[];
  /** One entry per skipped row, in file order. */
  errors: CsvRowError[];
  /** Header cells, trimmed. */
  header: string[];
  /** File-level notes, e.g. a legacy encoding or duplicate column names. */
  warnings: string[];
}

export type CsvProgress = (done: number, total: number) => void;

const PROGRESS_EVERY = 100;
const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'];
const QUESTION_NAMES = /^(?:questions?|q)$/i;
const ANSWER_NAMES = /^(?:answers?|a)$/i;

interface CsvError {
  code?: string;
  lines?: number;
}

/** The candidate delimiter that occurs most often, outside quotes, in the first line. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && CANDIDATE_DELIMITERS.includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const count = counts.get(delimiter) ?? 0;
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }
  return best;
}

function readRecords(text: string, delimiter: string): string[][] {
  try {
    return parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (error) {
    const { code, lines } = error as CsvError;
    const where = lines ? ` near line ${lines}` : '';
    const reason = code === 'CSV_QUOTE_NOT_CLOSED'
      ? `a quoted field is never closed${where}`
      : `${describeError(error)}${where && !describeError(error).includes('line') ? where : ''}`;
    throw new ParseError('MALFORMED', `the CSV file could not be read: ${reason}`, { cause: error });
  }
}

function columnIndex(header: readonly string[], name: string, option: string): number {
  const wanted = name.trim();
  let index = header.indexOf(wanted);
  if (index === -1) index = header.findIndex((cell) => cell.toLowerCase() === wanted.toLowerCase());
  if (index === -1) {
    throw new ParseError('MALFORMED', `the ${option} "${name}" is not in the header (columns: ${header.map((cell) => `"${cell}"`).join(', ')})`);
  }
  return index;
}

function defaultColumn(header: readonly string[], names: RegExp, fallback: number, option: string): number {
  const index = header.findIndex((cell) => names.test(cell));
  if (index !== -1) return index;
  if (header.length === 2) return fallback;
  throw new ParseError('MALFORMED', `no ${option.replace('Column', '')} column found; name it with ${option} (columns: ${header.map((cell) => `"${cell}"`).join(', ')})`);
}

const oneLine = (value: string): string => value.replace(/\s+/g, ' ').trim();
const label = (header: readonly string[], index: number): string => header[index] || `Column ${index + 1}`;

type RowRenderer = (cells: readonly string[], row: number) => string | { error: string };

function qaRenderer(header: readonly string[], options: CsvOptions): RowRenderer {
  const question = options.questionColumn !== undefined
    ? columnIndex(header, options.questionColumn, 'questionColumn')
    : defaultColumn(header, QUESTION_NAMES, 0, 'questionColumn');
  const answer = options.answerColumn !== undefined
    ? columnIndex(header, options.answerColumn, 'answerColumn')
    : defaultColumn(header, ANSWER_NAMES, 1, 'answerColumn');
  if (question === answer) throw new ParseError('MALFORMED', `the question and answer columns are both "${label(header, question)}"`);
  return (cells) => {
    const questionText = oneLine(cells[question] ?? '');
    const answerText = normalizeLineEndings(cells[answer] ?? '').trim();
    if (questionText === '') return { error: `the question (column "${label(header, question)}") is empty` };
    if (answerText === '') return { error: `the answer (column "${label(header, answer)}") is empty` };
    return `## ${questionText}\n\n${answerText}`;
  };
}

function recordsRenderer(header: readonly string[], options: CsvOptions): RowRenderer {
  const title = options.titleColumn !== undefined ? columnIndex(header, options.titleColumn, 'titleColumn') : -1;
  const columns = options.columns !== undefined
    ? options.columns.map((name) => columnIndex(header, name, 'column'))
    : header.map((_, i) => i).filter((i) => i !== title);
  if (columns.length === 0) throw new ParseError('MALFORMED', 'no columns to include');
  return (cells, row) => {
    const fields = columns
      .map((i) => ({ name: label(header, i), value: oneLine(cells[i] ?? '') }))
      .filter((field) => field.value !== '');
    const heading = title === -1 ? '' : oneLine(cells[title] ?? '');
    if (fields.length === 0) return { error: 'the mapped columns are all empty' };
    return `## ${heading || `Row ${row}`}\n\n${fields.map((field) => `- **${field.name}**: ${field.value}`).join('\n')}`;
  };
}

/**
 * Parse a CSV file into one Markdown section per valid row. `onProgress(done, total)` is called
 * after every 100 data rows and once at the end.
 */
export function parseCsv(bytes: Uint8Array, options: CsvOptions, onProgress?: CsvProgress): CsvParseResult {
  const warnings: string[] = [];
  // Excel on Windows saves "CSV" in the ANSI code page; accept it rather than reject the file.
  const decoded = decodeText(bytes, 'CSV file', 'windows-1252');
  if (decoded.encoding === 'windows-1252') warnings.push('the file is not UTF-8; it was read as Windows-1252 (Western European)');
  const text = decoded.text;
  if (text.trim() === '') throw new ParseError('EMPTY', 'the CSV file is empty');

  const records = readRecords(text, options.delimiter ?? detectDelimiter(text));
  // Blank lines at the very end are an editor's habit, not empty rows.
  while (records.length > 1 && (records[records.length - 1] ?? []).every((cell) => cell.trim() === '')) records.pop();
  const header = (records[0] ?? []).map((cell) => cell.trim());
  if (header.every((cell) => cell === '')) throw new ParseError('MALFORMED', 'the header row (the first line) is empty');
  const duplicates = [...new Set(header.filter((cell, i) => cell !== '' && header.indexOf(cell) !== i))];
  if (duplicates.length > 0) warnings.push(`duplicate column names (the first one is used): ${duplicates.map((name) => `"${name}"`).join(', ')}`);

  const render = options.mode === 'qa' ? qaRenderer(header, options) : recordsRenderer(header, options);
  const total = records.length - 1;
  const rows: CsvRow[] = [];
  const errors: CsvRowError[] = [];
  for (let row = 1; row <= total; row++) {
    const cells = records[row] ?? [];
    if (cells.every((cell) => cell.trim() === '')) errors.push({ row, message: 'the row is empty' });
    else if (cells.length !== header.length) {
      errors.push({ row, message: `the row has ${cells.length} fields; the header has ${header.length}` });
    } else {
      const result = render(cells, row);
      if (typeof result === 'string') rows.push({ row, markdown: result });
      else errors.push({ row, message: result.error });
    }
    if (onProgress && row % PROGRESS_EVERY === 0 && row !== total) onProgress(row, total);
  }
  onProgress?.(total, total);
  return { rows, errors, header, warnings };
}
