// Markdown is already what the chunker reads: decode it, normalise line endings, take the title
// from the first heading.

import { decodeText, normalizeLineEndings } from './decode-text.ts';
import { titleFromMarkdown } from './markdown-title.ts';
import { ParseError } from './parse-error.ts';
import type { ParsedDocument } from './types.ts';

export function parseMarkdown(bytes: Uint8Array): ParsedDocument {
  const markdown = normalizeLineEndings(decodeText(bytes, 'Markdown file').text);
  if (markdown.trim() === '') throw new ParseError('EMPTY', 'the Markdown file has no text');
  return { title: titleFromMarkdown(markdown), sections: [{ markdown, page: null }], warnings: [] };
}
