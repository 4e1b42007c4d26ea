// Document parsers: uploaded files (PDF, DOCX, HTML, Markdown, text, CSV) to Markdown sections for
// chunkText. Runtime-neutral (Node, Electron renderer, web worker): input is a Uint8Array, no Node
// APIs are used, and the heavy libraries (pdf.js, mammoth, linkedom, turndown) load on first use.

import { parseDocx } from './docx.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown } from './markdown.ts';
import { ParseError } from './parse-error.ts';
import { DEFAULT_MAX_PAGES, parsePdf } from './pdf.ts';
import { parsePlainText } from './plain-text.ts';
import type { DocumentFormat, ParseDocumentOptions, ParsedDocument } from './types.ts';

export { DEFAULT_MAX_PAGES };
export { ParseError } from './parse-error.ts';
export type { ParseErrorCode } from './parse-error.ts';
export { detectFormat } from './detect-format.ts';
export { DEFAULT_MAX_UNCOMPRESSED_BYTES, checkZipExpansion } from './zip-expansion.ts';
export { parseCsv } from './csv.ts';
export type { CsvOptions, CsvParseResult, CsvProgress, CsvRow, CsvRowError } from './csv.ts';
export { chunkParsedDocument } from './chunk-document.ts';
export type { DocumentChunk } from './chunk-document.ts';
export type { DocumentFormat, ParseDocumentOptions, ParsedDocument, ParsedSection, SourceFormat } from './types.ts';

/**
 * Parse a document into Markdown sections. Throws `ParseError` with code MALFORMED, ENCRYPTED,
 * EMPTY, TOO_LARGE (PDF over `maxPages`), TOO_LARGE_UNCOMPRESSED (a DOCX unpacking past
 * `maxUncompressedBytes`) or UNSUPPORTED; never another error for bad input.
 */
export async function parseDocument(format: DocumentFormat, bytes: Uint8Array, options: ParseDocumentOptions = {}): Promise<ParsedDocument> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError(`maxPages must be a positive integer, got ${maxPages}`);
  switch (format) {
    case 'pdf':
      return parsePdf(bytes, { maxPages });
    case 'docx':
      return parseDocx(bytes, options.maxUncompressedBytes);
    case 'html':
      return parseHtml(bytes);
    case 'markdown':
      return parseMarkdown(bytes);
    case 'text':
      return parsePlainText(bytes);
    default:
      throw new ParseError('UNSUPPORTED', format === 'csv'
        ? 'CSV files are read row by row with parseCsv'
        : `no parser for the format "${String(format)}"`);
  }
}
