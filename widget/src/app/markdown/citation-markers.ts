// Citation markers as the server writes them: [1], or a group such as [1, 3] (see the server's
// citationsFromText). Splitting text around them lets the renderer turn each into a control.

const MARKER_GROUP = /\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]/g;

export type TextPart = string | { markers: number[]; raw: string };

/** `text` as plain strings and marker groups, in order; no markers gives `[text]`. */
export function splitCitationMarkers(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKER_GROUP)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ markers: match[1]!.split(',').map((n) => Number(n.trim())), raw: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length || parts.length === 0) parts.push(text.slice(last));
  return parts;
}
