// Word documents (.docx, Office Open XML) to Markdown: mammoth maps Word's paragraph styles to
// semantic HTML (Title and Heading 1-6 to h1-h6, lists, tables, bold), which then goes through the
// same HTML-to-Markdown rules as web pages. Images are not read. The title is the first heading.

import { CFB_MAGIC, containsAscii, EMPTY_ZIP_MAGIC, startsWith, ZIP_MAGIC } from './bytes.ts';
import { describeError, ParseError } from './parse-error.ts';
import { htmlToDocument } from './html.ts';
import { checkZipExpansion, DEFAULT_MAX_UNCOMPRESSED_BYTES } from './zip-expansion.ts';
import type { ParsedDocument } from './types.ts';

const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => p:fresh",
];
const MAX_WARNINGS = 20;

function checkContainer(bytes: Uint8Array): void {
  if (startsWith(bytes, CFB_MAGIC)) {
    if (containsAscii(bytes, 'EncryptionInfo', true) || containsAscii(bytes, 'EncryptedPackage', true)) {
      throw new ParseError('ENCRYPTED', 'the Word document is password-protected; remove the password in Word and upload it again');
    }
    throw new ParseError('UNSUPPORTED', 'this is a legacy Word 97-2003 (.doc) file; save it as .docx and upload it again');
  }
  if (!startsWith(bytes, ZIP_MAGIC) && !startsWith(bytes, EMPTY_ZIP_MAGIC)) {
    throw new ParseError('MALFORMED', 'the file is not a Word document (.docx files are ZIP archives)');
  }
}

export async function parseDocx(bytes: Uint8Array, maxUncompressedBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES): Promise<ParsedDocument> {
  if (bytes.length === 0) throw new ParseError('EMPTY', 'the file is empty');
  checkContainer(bytes);
  // mammoth (JSZip) inflates every entry whole: a 35 KB file could take gigabytes (issue 15, finding 2).
  await checkZipExpansion(bytes, maxUncompressedBytes);
  const { default: mammoth } = await import('mammoth');
  // Node's mammoth reads `buffer`, its browser build `arrayBuffer`; JSZip accepts an ArrayBuffer for both.
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const input = { buffer: arrayBuffer, arrayBuffer } as unknown as Parameters<typeof mammoth.convertToHtml>[0];
  let result: Awaited<ReturnType<typeof mammoth.convertToHtml>>;
  try {
    result = await mammoth.convertToHtml(input, {
      styleMap: STYLE_MAP,
      // Images are not knowledge we can index; do not decode them into data URIs.
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      externalFileAccess: false,
    });
  } catch (error) {
    throw new ParseError('MALFORMED', `the Word document could not be read (${describeError(error)})`, { cause: error });
  }
  const { title, markdown } = await htmlToDocument(result.value, { stripChrome: false });
  if (markdown === '') throw new ParseError('EMPTY', 'the Word document has no text');
  const warnings = [...new Set(result.messages.map((message) => message.message))];
  if (warnings.length > MAX_WARNINGS) warnings.splice(MAX_WARNINGS, Infinity, `… and ${warnings.length - MAX_WARNINGS} more conversion warnings`);
  return { title, sections: [{ markdown, page: null }], warnings };
}
