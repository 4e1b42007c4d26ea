import type { Placement } from './placement.ts';

// One definition of what a placement pattern means, shared by the widget (deciding whether to
// show) and Studio (previewing which pages will show the bot):
//   - a pattern starting with "/" is matched against the page's path on any host: "/help/*";
//   - a pattern without "/" names hosts and matches every page on them: "shop.example.com", "*.example.com";
//   - any other pattern is matched against host (with port, if any) and path: "example.com/pricing";
//   - "*" matches any run of characters, "/" included; everything else is literal;
//   - matching ignores case, scheme, query and fragment, and sees the path percent-decoded.

function patternToRegExp(pattern: string): RegExp {
  const literal = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('.*')}$`);
}

function decodedPath(url: URL): string {
  try {
    return decodeURI(url.pathname);
  } catch {
    // A malformed escape (%E0%A4%A) cannot be decoded; match the path as the browser shows it.
    return url.pathname;
  }
}

function matchesAny(patterns: readonly string[], url: URL): boolean {
  const path = decodedPath(url).toLowerCase();
  const hostAndPath = `${url.host}${path}`;
  return patterns.some((pattern) => {
    const subject = pattern.startsWith('/') ? path : pattern.includes('/') ? hostAndPath : url.host;
    return patternToRegExp(pattern).test(subject);
  });
}

/** Whether the widget belongs on `pageUrl`: included (or no include patterns) and not excluded. */
export function isPageIncluded(placement: Pick<Placement, 'include' | 'exclude'>, pageUrl: string): boolean {
  if (!URL.canParse(pageUrl)) return false;
  const url = new URL(pageUrl);
  const included = placement.include.length === 0 || matchesAny(placement.include, url);
  return included && !matchesAny(placement.exclude, url);
}
