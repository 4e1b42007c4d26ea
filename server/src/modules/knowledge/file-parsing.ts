import { ParseError, type CsvOptions, type DocumentChunk, type SourceFormat } from '@mascot/knowledge-core';
import { IsolatedTaskError, IsolationFailure, runIsolated, workerBeside } from '../../core/isolation/index.ts';
import type { UntrustedFileLimits } from '../../core/config/index.ts';

export type FileParsingLimits = UntrustedFileLimits['knowledge'];

/** What a worker is asked to parse. `bytes` is transferred to it (the caller's copy becomes empty). */
export interface FileParsingRequest {
  format: SourceFormat;
  bytes: Uint8Array;
  csv: CsvOptions | undefined;
  limits: Pick<FileParsingLimits, 'maxUncompressedBytes' | 'maxTextBytes'>;
}

/** A parsed, chunked file. */
export interface ParsedFile {
  title: string | null;
  chunks: DocumentChunk[];
  rowErrors: { row: number; message: string }[];
  warnings: string[];
  /** UTF-8 size of the extracted text: what is stored, and what the plan counts. */
  textBytes: number;
  /** CSV only: rows read without errors. */
  csvRows: number | null;
}

/** Stable codes of a parse the server stopped; stored on the failed job like the parsers' `FILE_*` codes. */
export const FileParseFailureCode = {
  TIMEOUT: 'FILE_PARSE_TIMEOUT',
  OUT_OF_MEMORY: 'FILE_PARSE_OUT_OF_MEMORY',
  CRASHED: 'FILE_PARSE_FAILED',
} as const;
export type FileParseFailureCode = (typeof FileParseFailureCode)[keyof typeof FileParseFailureCode];

export class FileParseFailure extends Error {
  override readonly name = 'FileParseFailure';
  constructor(readonly code: FileParseFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const WORKER = workerBeside(import.meta.url, 'file-parsing.worker');

/**
 * Parses and chunks an uploaded file in a worker thread with time, memory, unpacked-size and text
 * limits (docs/ARCHITECTURE.md: every untrusted file is parsed off the main thread with limits). Throws
 * ParseError for what the parsers refuse (`TOO_LARGE_UNCOMPRESSED` among them) and FileParseFailure
 * when the worker had to be stopped.
 */
export async function parseUntrustedFile(format: SourceFormat, bytes: Uint8Array, csv: CsvOptions | undefined, limits: FileParsingLimits): Promise<ParsedFile> {
  const own = new Uint8Array(bytes); // a private copy (also of a pooled Buffer) whose memory moves to the worker
  const request: FileParsingRequest = { format, bytes: own, csv, limits: { maxUncompressedBytes: limits.maxUncompressedBytes, maxTextBytes: limits.maxTextBytes } };
  try {
    return await runIsolated<ParsedFile>(WORKER, request, limits, [own.buffer]);
  } catch (error) {
    if (error instanceof IsolatedTaskError && error.remoteName === 'ParseError') {
      throw new ParseError(error.fields['code'] as ParseError['code'], String(error.fields['detail'] ?? error.message));
    }
    if (error instanceof IsolationFailure) {
      const messages: Record<IsolationFailure['code'], string> = {
        TIMEOUT: `Reading the file took longer than ${Math.round(limits.timeoutMs / 1000)} s; split it into smaller files.`,
        OUT_OF_MEMORY: `Reading the file needed more than ${limits.maxMemoryMb} MB of memory; split it into smaller files.`,
        CRASHED: 'The file could not be read.',
      };
      throw new FileParseFailure(FileParseFailureCode[error.code], messages[error.code], { cause: error });
    }
    throw error;
  }
}
