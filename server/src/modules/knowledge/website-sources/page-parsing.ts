import type { DocumentChunk } from '@mascot/knowledge-core';
import { IsolatedTaskError, IsolationFailure, runIsolated, workerBeside } from '../../../core/isolation/index.ts';
import type { FileParsingLimits } from '../file-parsing.ts';

/**
 * Web pages and sitemaps are untrusted input like uploaded files: they are parsed in a worker thread
 * (core/isolation, the same mechanism and limits as file-parsing.ts), never on the main thread.
 */
export type PageParsingRequest =
  | { kind: 'html'; pages: FetchedPageBytes[]; maxTextBytes: number }
  | { kind: 'sitemap'; bytes: Uint8Array; maxUncompressedBytes: number };

/** A fetched page's body and the Content-Type it was served with (its charset decides how the bytes are read). */
export interface FetchedPageBytes {
  bytes: Uint8Array;
  url: string;
  contentType?: string | null;
}

/** One page's result in a batch: parsed, or why not (a ParseError's code and detail). */
export type PageParseResult = { page: ParsedPage } | { error: { code: string; message: string } };

/** A page reduced to its main content, as chunks with their section headings, and its links. */
export interface ParsedPage {
  title: string | null;
  chunks: DocumentChunk[];
  /** SHA-256 of the page's Markdown: the same content makes the same hash whatever the markup around it. */
  contentHash: string;
  textBytes: number;
  /** Absolute http(s) URLs of the page's links (fragments dropped), in document order, deduplicated. */
  links: string[];
}

/** A sitemap's entries: pages (`urlset`) or further sitemaps (`sitemapindex`). */
export interface ParsedSitemap {
  type: 'urlset' | 'sitemapindex';
  urls: string[];
}

/** A page or sitemap the worker could not read; recorded as the page's (or the sync's) error. */
export class PageParseFailure extends Error {
  override readonly name = 'PageParseFailure';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const WORKER = workerBeside(import.meta.url, 'page-parsing.worker');

async function runParse<O>(request: PageParsingRequest, limits: FileParsingLimits): Promise<O> {
  const buffers = request.kind === 'html' ? request.pages.map((page) => page.bytes.buffer as ArrayBuffer) : [request.bytes.buffer as ArrayBuffer];
  try {
    return await runIsolated<O>(WORKER, request, limits, buffers);
  } catch (error) {
    if (error instanceof IsolatedTaskError && error.remoteName === 'ParseError') {
      throw new PageParseFailure(`PAGE_${String(error.fields['code'] ?? 'MALFORMED')}`, String(error.fields['detail'] ?? error.message));
    }
    if (error instanceof IsolatedTaskError) throw new PageParseFailure('PAGE_MALFORMED', error.message);
    if (error instanceof IsolationFailure) {
      throw new PageParseFailure(`PAGE_PARSE_${error.code === 'CRASHED' ? 'FAILED' : error.code}`, `Reading the page was stopped: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Parses fetched pages in one worker: starting a worker (and loading the HTML libraries in it) costs far
 * more than reading a page, so a sync hands over pages in batches. Should the batch be stopped (time,
 * memory), each page is parsed again on its own, so one hostile page fails alone.
 */
export async function parseUntrustedPages(pages: FetchedPageBytes[], limits: FileParsingLimits): Promise<PageParseResult[]> {
  const request = (batch: typeof pages): PageParsingRequest => ({
    kind: 'html',
    pages: batch.map((page) => ({ bytes: new Uint8Array(page.bytes), url: page.url, contentType: page.contentType ?? null })), // private copies, moved to the worker
    maxTextBytes: limits.maxTextBytes,
  });
  try {
    return await runParse<PageParseResult[]>(request(pages), limits);
  } catch (error) {
    if (!(error instanceof PageParseFailure) || pages.length === 1) {
      if (error instanceof PageParseFailure) return [{ error: { code: error.code, message: error.message } }];
      throw error;
    }
  }
  const results: PageParseResult[] = [];
  for (const page of pages) results.push(...(await parseUntrustedPages([page], limits)));
  return results;
}

export function parseUntrustedSitemap(bytes: Uint8Array, limits: FileParsingLimits): Promise<ParsedSitemap> {
  return runParse<ParsedSitemap>({ kind: 'sitemap', bytes: new Uint8Array(bytes), maxUncompressedBytes: limits.maxUncompressedBytes }, limits);
}
