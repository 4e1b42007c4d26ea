// A web page's bytes as text in the page's own encoding. Many sites, older ones above all, are not
// UTF-8: a windows-1252 or ISO-8859-1 page read as UTF-8 turns "café" into "caf�", which then ends up
// in the knowledge and in quoted answers. The order follows the HTML standard's encoding sniffing:
// a byte order mark, then the HTTP Content-Type charset, then a <meta charset> (or the http-equiv
// Content-Type form) near the top of the page, then UTF-8.

/** How far into a page a <meta> declaring the charset is looked for (the HTML standard's prescan reads 1024 bytes). */
const META_PRESCAN_BYTES = 1024;

const BOMS: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** The charset parameter of a Content-Type value ("text/html; charset=ISO-8859-1" → "ISO-8859-1"). */
export function charsetOfContentType(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

/** The charset a page declares in its first KiB: <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…">. */
export function charsetOfMeta(bytes: Uint8Array): string | null {
  // Declarations are ASCII in every encoding a page may use, so a byte-per-character reading finds them.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, META_PRESCAN_BYTES));
  for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
    const direct = /\bcharset\s*=\s*["']?([\w.:-]+)/i.exec(tag);
    if (direct?.[1]) return direct[1];
  }
  return null;
}

/** A decoder for `label`, or null when the Encoding Standard does not know the label. */
function decoderFor(label: string): { decode(bytes: Uint8Array): string } | null {
  try {
    return new TextDecoder(label.trim());
  } catch {
    return null; // RangeError: an unknown label, like a browser would, falls through to the next source.
  }
}

/** Decodes a fetched page: BOM, else the Content-Type charset, else the page's <meta> charset, else UTF-8. */
export function decodePage(bytes: Uint8Array, contentType?: string | null): string {
  for (const [label, bom] of BOMS) {
    if (bom.every((byte, i) => bytes[i] === byte)) return new TextDecoder(label).decode(bytes.subarray(bom.length));
  }
  const declared = [charsetOfContentType(contentType), charsetOfMeta(bytes)];
  for (const label of declared) {
    // A page is never UTF-16 without a BOM: a meta tag saying so was written by a tool that re-encoded it (HTML standard).
    const decoder = label ? decoderFor(/^utf-16/i.test(label) ? 'utf-8' : label) : null;
    if (decoder) return decoder.decode(bytes);
  }
  return new TextDecoder('utf-8').decode(bytes);
}
