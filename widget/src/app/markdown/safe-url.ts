// Which link targets the chat may turn into working links. Text from a model, a knowledge document
// or an agent is untrusted: only web and mail links survive; everything else (javascript:, data:,
// vbscript:, blob:, relative paths that would point into Mascot's own origin) stays plain text.

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The normalised URL when `raw` is an absolute http(s) or mailto link, else null. */
export function safeLinkUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    // No base: relative URLs throw and are refused. The URL parser also drops the tabs and
    // newlines browsers ignore, so "java\tscript:" is seen as the javascript: it would run as.
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
}
