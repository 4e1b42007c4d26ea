// The shapes every document parser returns. A parser turns one uploaded file into Markdown that
// chunkText understands (headings, lists, pipe tables), split into sections that keep where the
// text came from (the page of a PDF), plus warnings about what could not be read.

export type SourceFormat = 'pdf' | 'docx' | 'markdown' | 'html' | 'text' | 'csv';

/** Formats read by `parseDocument`; CSV has its own row-oriented `parseCsv`. */
export type DocumentFormat = Exclude<SourceFormat, 'csv'>;

export interface ParsedSection {
  /** Markdown in reading order; chunkText splits it further. */
  markdown: string;
  /** 1-based page number for PDFs; null for formats without pages. */
  page: number | null;
}

export interface ParsedDocument {
  /** From the file's metadata (PDF Info, HTML `<title>`) or its first heading; null when neither exists. */
  title: string | null;
  /** In reading order. PDF: one per page that has text; other formats: exactly one. Never empty. */
  sections: ParsedSection[];
  /** Readable notes about content that was skipped or may be incomplete. */
  warnings: string[];
}

export interface ParseDocumentOptions {
  /** PDFs with more pages are rejected with `TOO_LARGE` before any text is extracted. Default 500. */
  maxPages?: number;
  /** DOCX archives unpacking (as declared or in fact) to more are rejected with `TOO_LARGE_UNCOMPRESSED` before parsing. Default 100 MiB. */
  maxUncompressedBytes?: number;
}
