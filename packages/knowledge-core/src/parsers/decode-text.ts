// Bytes to text for the text-based formats. UTF-8 is the expectation (a BOM is dropped); UTF-16
// is accepted only with its BOM, as Windows tools write it. Binary data passed off as text must
// not reach the knowledge base, so NUL characters and invalid UTF-8 are rejected unless the caller
// names a legacy fallback encoding (CSV from Excel, HTML declaring its charset).

import { ParseError } from './parse-error.ts';

export interface DecodedText {
  text: string;
  /** WHATWG encoding name that was used, e.g. "utf-8", "utf-16le", "windows-1252". */
  encoding: string;
}

function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function tryDecode(bytes: Uint8Array, encoding: string): string | null {
  try {
    // fatal: invalid sequences throw instead of becoming U+FFFD; the BOM is stripped by default.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A usable WHATWG encoding label, or null when the runtime does not know it. */
export function supportedEncoding(label: string): string | null {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

/**
 * Decode `bytes` as text. Throws `ParseError('MALFORMED')` when the result contains NUL characters
 * (binary data) or when the bytes are neither valid UTF-8 nor decodable with `fallbackEncoding`.
 */
export function decodeText(bytes: Uint8Array, what: string, fallbackEncoding?: string | null): DecodedText {
  const bom = bomEncoding(bytes);
  let encoding = bom ?? 'utf-8';
  let text = tryDecode(bytes, encoding);
  if (text === null && bom === null && fallbackEncoding) {
    encoding = fallbackEncoding;
    text = tryDecode(bytes, encoding);
  }
  if (text === null) {
    throw new ParseError('MALFORMED', `the ${what} is not valid ${encoding.toUpperCase()} text (is it a binary file?)`);
  }
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    throw new ParseError('MALFORMED', `the ${what} contains binary data (a NUL character at position ${nul})`);
  }
  return { text, encoding };
}

/** Unix line endings, no trailing whitespace at the end of the text. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n').trimEnd();
}
