// Worker thread: reads one web page (or one sitemap) fetched for a website source, off the server's
// main thread (started by page-parsing.ts through core/isolation). Hostile markup may be slow or
// huge; the owner stops the worker by time and memory.
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { ParseError, chunkParsedDocument, parseDocument } from '@mascot/knowledge-core';
import { serveIsolatedTask } from '../../../core/isolation/index.ts';
import { htmlToMainContent } from './main-content.ts';
import { decodePage } from './page-charset.ts';
import type { PageParseResult, PageParsingRequest, ParsedPage, ParsedSitemap } from './page-parsing.ts';

async function parsePage(bytes: Uint8Array, url: string, contentType: string | null | undefined, maxTextBytes: number): Promise<ParsedPage> {
  const { html, title, links } = htmlToMainContent(decodePage(bytes, contentType), url);
  // The same HTML → Markdown sections → chunks path as an uploaded HTML file, so pages cite like files do.
  const document = await parseDocument('html', new TextEncoder().encode(html));
  const markdown = document.sections.map((section) => section.markdown).join('\n\n');
  const textBytes = new TextEncoder().encode(markdown).byteLength;
  if (textBytes > maxTextBytes) throw new ParseError('TOO_LARGE_UNCOMPRESSED', `the page holds ${textBytes} bytes of text; at most ${maxTextBytes} are read from one page`);
  return {
    title: title ?? document.title,
    chunks: chunkParsedDocument(document),
    contentHash: createHash('sha256').update(markdown).digest('hex'),
    textBytes,
    links,
  };
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function parseSitemap(bytes: Uint8Array, maxUncompressedBytes: number): ParsedSitemap {
  // sitemap.xml.gz: unpacked within the same bound as a DOCX archive.
  let xml = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      xml = gunzipSync(bytes, { maxOutputLength: maxUncompressedBytes });
    } catch {
      throw new ParseError('TOO_LARGE_UNCOMPRESSED', `the sitemap is not gzip or unpacks to more than ${maxUncompressedBytes} bytes`);
    }
  }
  // Entities stay unexpanded apart from the five XML ones (no DOCTYPE entity expansion: no billion laughs).
  const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, processEntities: false, parseTagValue: false, trimValues: true });
  let tree: Record<string, unknown>;
  try {
    tree = parser.parse(new TextDecoder('utf-8').decode(xml)) as Record<string, unknown>;
  } catch (error) {
    throw new ParseError('MALFORMED', `the sitemap is not XML: ${(error as Error).message}`);
  }
  const decode = (text: unknown) =>
    String(text ?? '').trim().replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const index = tree['sitemapindex'] as { sitemap?: { loc?: unknown } | { loc?: unknown }[] } | undefined;
  if (index) return { type: 'sitemapindex', urls: asArray(index.sitemap).map((entry) => decode(entry.loc)).filter(Boolean) };
  const set = tree['urlset'] as { url?: { loc?: unknown } | { loc?: unknown }[] } | undefined;
  if (set) return { type: 'urlset', urls: asArray(set.url).map((entry) => decode(entry.loc)).filter(Boolean) };
  throw new ParseError('MALFORMED', 'the document is neither a sitemap (urlset) nor a sitemap index');
}

serveIsolatedTask<PageParsingRequest, PageParseResult[] | ParsedSitemap>(async (request) => {
  if (request.kind === 'sitemap') return { value: parseSitemap(request.bytes, request.maxUncompressedBytes) };
  const results: PageParseResult[] = [];
  for (const { bytes, url, contentType } of request.pages) {
    try {
      results.push({ page: await parsePage(bytes, url, contentType, request.maxTextBytes) });
    } catch (error) {
      // What the parsers refuse is this page's error; anything else stops the batch (and is retried page by page).
      if (!(error instanceof ParseError)) throw error;
      results.push({ error: { code: `PAGE_${error.code}`, message: error.detail } });
    }
  }
  return { value: results };
});
