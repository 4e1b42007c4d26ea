import robotsParser from 'robots-parser';
import { ROBOTS_AGENT, type SiteFetcher } from './site-fetcher.ts';

export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Sitemaps the site announces (`Sitemap:` lines). */
  sitemaps: string[];
  /** The site's Crawl-delay for MascotBot, 0 when it sets none. */
  crawlDelayMs: number;
}

const ALLOW_ALL: RobotsRules = { isAllowed: () => true, sitemaps: [], crawlDelayMs: 0 };
const DISALLOW_ALL: RobotsRules = { isAllowed: () => false, sitemaps: [], crawlDelayMs: 0 };

/**
 * A site's robots.txt, read with robots-parser (RFC 9309 matching: longest match, `*` and `$`), for the
 * `MascotBot` group or else `*`. As RFC 9309 §2.3.1 says: no robots.txt (4xx) allows everything; a
 * robots.txt that cannot be read (5xx, refused, timed out) disallows everything until the next sync.
 */
export async function loadRobots(fetcher: SiteFetcher, origin: string): Promise<RobotsRules> {
  const url = `${origin}/robots.txt`;
  const result = await fetcher.get(url, { accept: 'text/plain' });
  if (result.kind === 'error') return DISALLOW_ALL;
  if (result.status >= 400 && result.status < 500) return ALLOW_ALL;
  if (result.status < 200 || result.status >= 300) return DISALLOW_ALL;
  const robots = robotsParser(url, new TextDecoder('utf-8').decode(result.body));
  return {
    isAllowed: (page) => robots.isAllowed(page, ROBOTS_AGENT) !== false,
    sitemaps: robots.getSitemaps(),
    crawlDelayMs: (robots.getCrawlDelay(ROBOTS_AGENT) ?? 0) * 1000,
  };
}
