import type { FileParsingLimits } from '../file-parsing.ts';
import { PageParseFailure, parseUntrustedSitemap } from './page-parsing.ts';
import type { SiteFetcher } from './site-fetcher.ts';

/** A sync that cannot say what the site holds (its sitemap or start page unreadable): pages learnt before are kept. */
export class SyncFailure extends Error {
  override readonly name = 'SyncFailure';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Sitemaps read per sync, index and children together: a bound on an index pointing at itself or at thousands. */
const MAX_SITEMAPS = 50;
const ACCEPT_XML = 'application/xml,text/xml;q=0.9,*/*;q=0.1';

/**
 * The page URLs of a sitemap, following a sitemap index to its sitemaps (same site only, like every
 * fetch of the sync), up to `maxUrls`. The sitemap named by the source must be readable (else SyncFailure);
 * a child sitemap that is not makes the list `incomplete`, and then no page is removed for being absent.
 */
export async function readSitemaps(
  fetcher: SiteFetcher,
  root: URL,
  parsing: FileParsingLimits,
  maxUrls: number,
): Promise<{ urls: string[]; incomplete: boolean }> {
  const pending = [root.href];
  const visited = new Set<string>();
  const urls: string[] = [];
  let incomplete = false;
  while (pending.length > 0 && urls.length < maxUrls && visited.size < MAX_SITEMAPS) {
    const url = pending.shift()!;
    if (visited.has(url)) continue;
    const first = visited.size === 0;
    visited.add(url);
    const result = await fetcher.get(url, { accept: ACCEPT_XML });
    let problem: string | null = null;
    let parsed: Awaited<ReturnType<typeof parseUntrustedSitemap>> | null = null;
    if (result.kind === 'error') problem = result.message;
    else if (result.status < 200 || result.status >= 300) problem = `${url} answered HTTP ${result.status}`;
    else {
      try {
        parsed = await parseUntrustedSitemap(result.body, parsing);
      } catch (error) {
        if (!(error instanceof PageParseFailure)) throw error;
        problem = `${url}: ${error.message}`;
      }
    }
    if (!parsed) {
      if (first) throw new SyncFailure('SITEMAP_UNREADABLE', `The sitemap could not be read: ${problem}`);
      incomplete = true;
      continue;
    }
    if (parsed.type === 'sitemapindex') pending.push(...parsed.urls.filter((child) => URL.canParse(child)));
    else urls.push(...parsed.urls);
  }
  if (pending.length > 0 && urls.length < maxUrls) incomplete = true;
  return { urls: urls.slice(0, maxUrls), incomplete };
}
