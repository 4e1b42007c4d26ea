// Plain text passes through unchanged apart from line endings: chunkText reads text without
// Markdown as paragraphs. A text file that happens to use `#` headings gets its title from them.

import { decodeText, normalizeLineEndings } from './decode-text.ts';
import { titleFromMarkdown } from './markdown-title.ts';
import { ParseError } from './parse-error.ts';
import type { ParsedDocument } from './types.ts';

export function parsePlainText(bytes: Uint8Array): ParsedDocument {
  const text = normalizeLineEndings(decodeText(bytes, 'text file').text);
  if (text.trim() === '') throw new ParseError('EMPTY', 'the text file is empty');
  return { title: titleFromMarkdown(text), sections: [{ markdown: text, page: null }], warnings: [] };
}
