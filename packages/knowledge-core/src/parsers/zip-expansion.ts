// A guard against ZIP bombs for the zip-based formats (DOCX), run before any library inflates the
// archive: a few kilobytes of deflate can expand to gigabytes, and the libraries inflate every
// entry whole into memory. Both what the archive declares (its central directory) and what its
// entries really inflate to are checked, the latter by streaming with a byte cap, because the
// declared sizes are the attacker's to write. Runtime-neutral: DataView, Blob and DecompressionStream.

import { ParseError } from './parse-error.ts';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const STORED = 0;
const DEFLATED = 8;
/** ZIP64 marks sizes and counts that do not fit the classic fields; no Word document needs them. */
const ZIP64_U16 = 0xffff;
const ZIP64_U32 = 0xffffffff;

/** Default for `maxUncompressedBytes`: text, styles and media of a large manual, with room to spare. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;
/** More entries than any real document has; each costs the libraries a JS object or several. */
export const MAX_ZIP_ENTRIES = 10_000;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const tooLarge = (detail: string, limit: number) =>
  new ParseError('TOO_LARGE_UNCOMPRESSED', `${detail}; at most ${limit} bytes may be unpacked from one file`);

function findEndRecord(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = view.byteLength - END_RECORD_BYTES; at >= lowest; at--) {
    if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}

/** The central directory's entries; null when there is none to read (the parser then says MALFORMED). */
function readEntries(bytes: Uint8Array): ZipEntry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(view);
  if (end === -1) return null;
  const count = view.getUint16(end + 10, true);
  const offset = view.getUint32(end + 16, true);
  if (count === ZIP64_U16 || offset === ZIP64_U32) {
    throw new ParseError('TOO_LARGE_UNCOMPRESSED', 'the archive uses ZIP64 records, which only files far beyond the size limits need');
  }
  if (count > MAX_ZIP_ENTRIES) throw new ParseError('TOO_LARGE_UNCOMPRESSED', `the archive holds ${count} files; at most ${MAX_ZIP_ENTRIES} are read`);
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== CENTRAL_DIRECTORY_ENTRY) return entries;
    const nameLength = view.getUint16(at + 28, true);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      declaredSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    if (entry.compressedSize === ZIP64_U32 || entry.declaredSize === ZIP64_U32 || entry.localHeaderOffset === ZIP64_U32) {
      throw new ParseError('TOO_LARGE_UNCOMPRESSED', `"${entry.name}" uses ZIP64 sizes, which only files far beyond the size limits need`);
    }
    entries.push(entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** The entry's compressed bytes, found through its local header as the ZIP readers do; null when out of bounds. */
function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > view.byteLength || view.getUint32(at, true) !== LOCAL_FILE_HEADER) return null;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.byteLength) return null;
  return bytes.subarray(start, start + entry.compressedSize);
}

/**
 * Inflates `data` without keeping the output, stopping as soon as more than `cap` bytes came out.
 * Returns the bytes produced (more than `cap` when it stopped early).
 */
async function inflatedSize(data: Uint8Array, cap: number): Promise<number> {
  const reader = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return total;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel();
        return total;
      }
    }
  } catch (error) {
    // Corrupt deflate data: what it produced so far still counts, and the document parser that
    // runs next reports the file as MALFORMED in its own words.
    void error;
    return total;
  }
}

/**
 * Throws ParseError `TOO_LARGE_UNCOMPRESSED` when the archive's entries, as declared or as they
 * really inflate, add up to more than `maxUncompressedBytes`. Archives it cannot read are left to
 * the parser, which reports them as MALFORMED.
 */
export async function checkZipExpansion(bytes: Uint8Array, maxUncompressedBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES): Promise<void> {
  const entries = readEntries(bytes);
  if (!entries) return;
  const declared = entries.reduce((sum, entry) => sum + entry.declaredSize, 0);
  if (declared > maxUncompressedBytes) throw tooLarge(`the archive declares ${declared} bytes once unpacked`, maxUncompressedBytes);
  let actual = 0;
  for (const entry of entries) {
    const data = entryData(bytes, entry);
    if (!data) continue;
    if (entry.method === STORED) actual += data.byteLength;
    else if (entry.method === DEFLATED) actual += await inflatedSize(data, maxUncompressedBytes - actual);
    if (actual > maxUncompressedBytes) {
      throw tooLarge(`the archive unpacks to more than it declares ("${entry.name}" alone exceeds the limit)`, maxUncompressedBytes);
    }
  }
}
