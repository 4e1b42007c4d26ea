// Byte-level checks for recognising containers without parsing them.

export function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((byte, i) => bytes[at + i] === byte);
}

/** Whether `bytes` contain `text` (ASCII) as single bytes or, with `utf16`, as UTF-16LE code units. */
export function containsAscii(bytes: Uint8Array, text: string, utf16 = false): boolean {
  const needle = Array.from(text).flatMap((char) => (utf16 ? [char.charCodeAt(0), 0] : [char.charCodeAt(0)]));
  const first = needle[0] ?? 0;
  for (let i = bytes.indexOf(first); i !== -1 && i <= bytes.length - needle.length; i = bytes.indexOf(first, i + 1)) {
    if (startsWith(bytes, needle, i)) return true;
  }
  return false;
}

/** Position of ASCII `text` within the first `limit` bytes, or -1. */
export function indexOfAscii(bytes: Uint8Array, text: string, limit = bytes.length): number {
  const needle = Array.from(text, (char) => char.charCodeAt(0));
  const end = Math.min(limit, bytes.length) - needle.length;
  for (let i = 0; i <= end; i++) if (startsWith(bytes, needle, i)) return i;
  return -1;
}

export const PDF_SIGNATURE = '%PDF-';
/** PDF readers accept junk before the header within the first kilobyte. */
export const PDF_SIGNATURE_WINDOW = 1024;
export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
export const EMPTY_ZIP_MAGIC = [0x50, 0x4b, 0x05, 0x06];
/** Compound File Binary: legacy Office files and password-protected OOXML packages. */
export const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
