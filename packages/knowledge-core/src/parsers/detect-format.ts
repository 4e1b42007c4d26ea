// Which parser a file needs. The bytes win over the name: a PDF renamed to .txt is still a PDF, a
// Word document saved as "notes.pdf" is still a Word document. Only text formats, which have no
// signature, are told apart by extension.

import { CFB_MAGIC, containsAscii, EMPTY_ZIP_MAGIC, indexOfAscii, PDF_SIGNATURE, PDF_SIGNATURE_WINDOW, startsWith, ZIP_MAGIC } from './bytes.ts';
import type { SourceFormat } from './types.ts';

const EXTENSIONS: Record<string, SourceFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  mkd: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  txt: 'text',
  text: 'text',
  csv: 'csv',
  tsv: 'csv',
};

// Common binary files that no parser reads, whatever they are called.
const OTHER_BINARY_MAGIC: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // RAR
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
  [0x7f, 0x45, 0x4c, 0x46], // ELF
];

/** Lower-case extension of `fileName` without the dot, or '' (paths and both slash kinds allowed). */
export function fileExtension(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/**
 * The format of a file by its content first (PDF signature; a ZIP holding `word/document.xml`),
 * then by its extension. Null when no parser reads it (images, archives, spreadsheets, .doc).
 * A .docx name on a ZIP or Office container that is not a readable Word document still maps to
 * 'docx', so that parsing it reports why (MALFORMED, ENCRYPTED or UNSUPPORTED).
 */
export function detectFormat(fileName: string, bytes: Uint8Array): SourceFormat | null {
  const extension = fileExtension(fileName);
  if (indexOfAscii(bytes, PDF_SIGNATURE, PDF_SIGNATURE_WINDOW) !== -1) return 'pdf';
  if (startsWith(bytes, ZIP_MAGIC) || startsWith(bytes, EMPTY_ZIP_MAGIC)) {
    if (containsAscii(bytes, 'word/document.xml')) return 'docx';
    return extension === 'docx' ? 'docx' : null;
  }
  if (startsWith(bytes, CFB_MAGIC)) return extension === 'docx' ? 'docx' : null;
  if (OTHER_BINARY_MAGIC.some((magic) => startsWith(bytes, magic))) return null;
  const byExtension = EXTENSIONS[extension];
  if (byExtension) return byExtension;
  return looksLikeHtml(bytes) ? 'html' : null;
}
