import picomatch from 'picomatch';

/**
 * Which URLs belong to a website source. Same site: the host of the start (or sitemap) URL, with or
 * without a leading `www.`, and its port; http and https alike (a site moving to https stays the site).
 * Patterns are globs (picomatch) matched against the URL's path: `/docs/**` (which also matches `/docs`),
 * `/blog/*`, `**\/*.html`. No include pattern means every path; an exclude pattern always wins.
 */
export interface SiteScope {
  sameSite(url: URL): boolean;
  /** Same site and allowed by the patterns. */
  inScope(url: URL): boolean;
}

export function siteKey(url: URL): string {
  return `${url.hostname.toLowerCase().replace(/^www\./, '')}${url.port ? `:${url.port}` : ''}`;
}

/** The URL a page is known by: fragment dropped (the same page), everything else as written. */
export function pageKey(url: URL): string {
  const copy = new URL(url);
  copy.hash = '';
  return copy.href;
}

/** Why a pattern is unusable, or null when it compiles. */
export function patternProblem(pattern: string): string | null {
  if (!pattern.startsWith('/') && !pattern.startsWith('*')) return `"${pattern}" must start with / (a URL path) or *`;
  try {
    picomatch.makeRe(pattern);
    return null;
  } catch (error) {
    return `"${pattern}" is not a glob pattern: ${(error as Error).message}`;
  }
}

export function siteScope(root: URL, include: readonly string[], exclude: readonly string[]): SiteScope {
  const key = siteKey(root);
  const included = include.length > 0 ? picomatch([...include], { dot: true }) : () => true;
  const excluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  const sameSite = (url: URL) => (url.protocol === 'http:' || url.protocol === 'https:') && siteKey(url) === key;
  return {
    sameSite,
    inScope: (url) => sameSite(url) && included(decodeURI(url.pathname)) && !excluded(decodeURI(url.pathname)),
  };
}
