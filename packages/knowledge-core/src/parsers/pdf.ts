// PDFs to one Markdown section per page, with pdf.js (packaged by unpdf for every runtime, no
// worker file needed). A PDF has no headings or paragraphs, only positioned text, so some
// structure is recovered from the layout:
//   - lines: text items up to pdf.js's end-of-line mark (or a change of baseline);
//   - headings: short lines set clearly larger than the body text (the font size with the most
//     characters in the document); the larger the size, the higher the level (at most 4 levels);
//     consecutive lines of one heading are joined;
//   - paragraphs: a vertical gap clearly larger than the usual line spacing starts a new one;
//   - list bullets (•, ◦, ▪, …) become `- `; words hyphenated across lines are joined;
//   - a bare page number as the first or last line of a page is dropped.
// Pages without text (scanned images) produce a warning; OCR is out of scope.

import type { getDocumentProxy } from 'unpdf';
import { describeError, ParseError } from './parse-error.ts';
import { indexOfAscii, PDF_SIGNATURE, PDF_SIGNATURE_WINDOW } from './bytes.ts';
import type { ParsedDocument, ParsedSection, ParseDocumentOptions } from './types.ts';

export const DEFAULT_MAX_PAGES = 500;

const HEADING_MIN_RATIO = 1.15;
const HEADING_MAX_CHARS = 150;
const MAX_HEADING_LEVELS = 4;
const PARAGRAPH_GAP_RATIO = 1.45;
const BULLET = /^[•◦▪▫‣⁃●○■□◆◇►▸–—]\s*/u;
const PAGE_NUMBER = /^(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/** The fields of a pdf.js text item that layout analysis reads. */
interface TextItem {
  str: string;
  transform: number[];
  hasEOL: boolean;
}

interface Line {
  text: string;
  /** Font size with the most characters on the line. */
  size: number;
  /** Baseline, PDF coordinates (grows upwards). */
  y: number;
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

const roundSize = (size: number): number => Math.round(size * 2) / 2;
const isTextItem = (item: unknown): item is TextItem =>
  typeof item === 'object' && item !== null && typeof (item as TextItem).str === 'string' && Array.isArray((item as TextItem).transform);

function readLines(items: readonly unknown[]): Line[] {
  const lines: Line[] = [];
  let text = '';
  let y = 0;
  let sizes = new Map<number, number>();
  const flush = (): void => {
    const trimmed = text.replace(/\s+/g, ' ').trim();
    if (trimmed !== '') {
      let size = 0;
      let best = -1;
      for (const [candidate, chars] of sizes) if (chars > best) [size, best] = [candidate, chars];
      lines.push({ text: trimmed, size, y });
    }
    text = '';
    sizes = new Map();
  };
  for (const item of items) {
    if (!isTextItem(item)) continue;
    const [, , c = 0, d = 0, , f = 0] = item.transform;
    const size = roundSize(Math.hypot(c, d));
    const chars = item.str.trim().length;
    if (chars > 0) {
      // A new baseline without an end-of-line mark still starts a new line.
      if (text.trim() !== '' && Math.abs(f - y) > Math.max(size, 1) * 0.6) flush();
      if (text.trim() === '') y = f;
      sizes.set(size, (sizes.get(size) ?? 0) + chars);
    }
    text += item.str;
    if (item.hasEOL) flush();
  }
  flush();
  return lines;
}

function dropPageNumbers(lines: Line[]): Line[] {
  const result = [...lines];
  if (result.length > 1 && PAGE_NUMBER.test(result[result.length - 1]?.text ?? '')) result.pop();
  if (result.length > 1 && PAGE_NUMBER.test(result[0]?.text ?? '')) result.shift();
  return result;
}

/** The font size that carries most of the document's characters. */
function bodySize(pages: readonly Line[][]): number {
  const chars = new Map<number, number>();
  for (const line of pages.flat()) chars.set(line.size, (chars.get(line.size) ?? 0) + line.text.length);
  let size = 0;
  let best = -1;
  for (const [candidate, count] of chars) if (count > best) [size, best] = [candidate, count];
  return size;
}

function isHeadingLine(line: Line, body: number): boolean {
  return body > 0 && line.size >= body * HEADING_MIN_RATIO && line.text.length <= HEADING_MAX_CHARS && /\p{L}.*\p{L}/u.test(line.text);
}

/** Heading level by size rank: the largest heading size is level 1. */
function headingLevels(pages: readonly Line[][], body: number): Map<number, number> {
  const sizes = [...new Set(pages.flat().filter((line) => isHeadingLine(line, body)).map((line) => line.size))].sort((a, b) => b - a);
  return new Map(sizes.map((size, i) => [size, Math.min(i + 1, MAX_HEADING_LEVELS)]));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

function escapeLine(text: string): string {
  if (BULLET.test(text)) return text.replace(BULLET, '- ');
  return text.replace(/^(#{1,6}(?:\s|$)|>|```|~~~)/, '\\$1');
}

function pageMarkdown(lines: readonly Line[], body: number, levels: ReadonlyMap<number, number>): string {
  // Usual distance between consecutive body lines on this page.
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [above, below] = [lines[i - 1], lines[i]];
    if (above && below && above.size === body && below.size === body && above.y > below.y) gaps.push(above.y - below.y);
  }
  const lineGap = median(gaps) ?? body * 1.2;

  const blocks: string[][] = [];
  let previous: Line | null = null;
  let previousHeading = 0;
  for (const line of lines) {
    const level = isHeadingLine(line, body) ? (levels.get(line.size) ?? 0) : 0;
    const current = blocks[blocks.length - 1];
    const gap = previous ? previous.y - line.y : 0;
    const sameHeading = level > 0 && level === previousHeading && previous?.size === line.size && gap > 0 && gap <= line.size * 1.6;
    if (sameHeading && current) {
      current[0] = `${current[0]} ${line.text}`;
    } else if (level > 0) {
      blocks.push([`${'#'.repeat(level)} ${line.text}`]);
    } else {
      const farBelow = gap < 0 || gap > lineGap * PARAGRAPH_GAP_RATIO;
      const inList = current?.[0]?.startsWith('- ') ?? false;
      // A bullet starts a new block unless it continues a list that runs on at normal spacing.
      const newParagraph = !current || previousHeading > 0 || farBelow || (BULLET.test(line.text) && !inList);
      const text = escapeLine(line.text);
      const last = current?.[current.length - 1];
      if (!newParagraph && current && last !== undefined && /\p{L}-$/u.test(last) && /^\p{Ll}/u.test(text)) {
        current[current.length - 1] = last.slice(0, -1) + text;
      } else if (newParagraph) {
        blocks.push([text]);
      } else {
        current?.push(text);
      }
    }
    previous = line;
    previousHeading = level;
  }
  return blocks.map((block) => block.join('\n')).join('\n\n');
}

// pdf.js signals a missing or wrong password with a PasswordException (by name: the class is not exported).
const isPasswordError = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'PasswordException';

async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const { getDocumentProxy } = await import('unpdf');
  try {
    // pdf.js may take over (transfer) the buffer it is given; hand it a copy so the caller's stays usable.
    return await getDocumentProxy(bytes.slice(), { verbosity: 0, stopAtErrors: false });
  } catch (error) {
    if (isPasswordError(error)) {
      throw new ParseError('ENCRYPTED', 'the PDF is password-protected; upload a copy without a password', { cause: error });
    }
    throw new ParseError('MALFORMED', `the PDF could not be read (${describeError(error)})`, { cause: error });
  }
}

async function metadataTitle(pdf: PdfDocument): Promise<string | null> {
  try {
    const { info } = await pdf.getMetadata();
    const title = (info as { Title?: unknown } | undefined)?.Title;
    const normalized = typeof title === 'string' ? title.replace(/\s+/g, ' ').trim() : '';
    return normalized !== '' && !/^untitled$/i.test(normalized) ? normalized : null;
  } catch {
    return null;
  }
}

export async function parsePdf(bytes: Uint8Array, options: ParseDocumentOptions = {}): Promise<ParsedDocument> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  if (bytes.length === 0) throw new ParseError('EMPTY', 'the file is empty');
  if (indexOfAscii(bytes, PDF_SIGNATURE, PDF_SIGNATURE_WINDOW) === -1) {
    throw new ParseError('MALFORMED', 'the file is not a PDF (no %PDF- header)');
  }
  const pdf = await openPdf(bytes);
  try {
    if (pdf.numPages > maxPages) {
      throw new ParseError('TOO_LARGE', `the PDF has ${pdf.numPages} pages; the limit is ${maxPages}`);
    }
    const warnings: string[] = [];
    const pages: Line[][] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      try {
        const page = await pdf.getPage(number);
        const content = await page.getTextContent();
        pages.push(dropPageNumbers(readLines(content.items)));
        page.cleanup();
      } catch (error) {
        warnings.push(`page ${number} could not be read (${describeError(error)})`);
        pages.push([]);
      }
    }
    const body = bodySize(pages);
    const levels = headingLevels(pages, body);
    const sections: ParsedSection[] = [];
    pages.forEach((lines, i) => {
      const markdown = pageMarkdown(lines, body, levels);
      if (markdown !== '') sections.push({ markdown, page: i + 1 });
      else if (!warnings.some((warning) => warning.startsWith(`page ${i + 1} `))) {
        warnings.push(`page ${i + 1} has no extractable text (scanned image?)`);
      }
    });
    if (sections.length === 0) {
      throw new ParseError('EMPTY', pdf.numPages === 0
        ? 'the PDF has no pages'
        : `none of the ${pdf.numPages} pages has extractable text (scanned images need OCR, which is not supported)`);
    }
    const firstHeading = sections.flatMap((section) => section.markdown.match(/^#{1,6} (.+)$/m)?.[1] ?? [])[0] ?? null;
    return { title: (await metadataTitle(pdf)) ?? firstHeading, sections, warnings };
  } finally {
    await pdf.loadingTask.destroy();
  }
}
