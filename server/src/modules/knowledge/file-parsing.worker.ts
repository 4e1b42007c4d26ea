// Worker thread: parses one uploaded knowledge file and chunks it, off the server's main thread
// (started by parseUntrustedFile through core/isolation). Everything here may be slow or large on
// hostile input; the owner stops it by time and memory.
import {
  ParseError,
  chunkParsedDocument,
  parseCsv,
  parseDocument,
  type CsvOptions,
  type ParsedDocument,
} from '@mascot/knowledge-core';
import { serveIsolatedTask } from '../../core/isolation/index.ts';
import type { FileParsingRequest, ParsedFile } from './file-parsing.ts';

function parsedCsv(bytes: Uint8Array, csv: CsvOptions): { document: ParsedDocument; rowErrors: ParsedFile['rowErrors']; rows: number } {
  const result = parseCsv(bytes, csv);
  return {
    document: { title: null, sections: [{ markdown: result.rows.map((r) => r.markdown).join('\n\n'), page: null }], warnings: result.warnings },
    rowErrors: result.errors,
    rows: result.rows.length,
  };
}

serveIsolatedTask<FileParsingRequest, ParsedFile>(async ({ format, bytes, csv, limits }) => {
  const { document, rowErrors, rows } = format === 'csv'
    ? parsedCsv(bytes, csv ?? { mode: 'qa' })
    : { document: await parseDocument(format, bytes, { maxUncompressedBytes: limits.maxUncompressedBytes }), rowErrors: [], rows: null };
  // What the plan counts (the text that is stored), and the bound on it: a small HTML or CSV file can
  // still be megabytes of text, and every byte of it costs chunking, embedding and storage.
  const encoder = new TextEncoder();
  const textBytes = document.sections.reduce((sum, section) => sum + encoder.encode(section.markdown).byteLength, 0);
  if (textBytes > limits.maxTextBytes) {
    throw new ParseError('TOO_LARGE_UNCOMPRESSED', `the file holds ${textBytes} bytes of text; at most ${limits.maxTextBytes} are read from one file`);
  }
  const chunks = chunkParsedDocument(document);
  return { value: { title: document.title, chunks, rowErrors, warnings: document.warnings, textBytes, csvRows: rows } };
});
