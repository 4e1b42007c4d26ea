// Chunking a parsed document section by section, so every chunk keeps the page it came from.
// A PDF section ends where its page ends, not where its topic ends: the headings still open at
// the end of one page are carried over to the text at the top of the next one, so that text gets
// the same section path it would have had in one continuous document.

import { chunkText, type ChunkTextOptions, type TextChunk } from '../chunk-text.ts';
import { readMarkdownBlocks } from '../markdown-blocks.ts';
import type { ParsedDocument } from './types.ts';

export interface DocumentChunk extends TextChunk {
  /** The page of the section the chunk comes from (PDF), else null. */
  page: number | null;
}

interface OpenHeading {
  level: number;
  text: string;
}

function openHeadingsAfter(open: readonly OpenHeading[], markdown: string): OpenHeading[] {
  const stack = [...open];
  for (const block of readMarkdownBlocks(markdown)) {
    if (block.kind !== 'heading') continue;
    while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= block.level) stack.pop();
    stack.push({ level: block.level, text: block.text });
  }
  return stack;
}

// The carried headings that still enclose the start of `markdown`: all of them when it starts
// with text, only the outer ones when it starts with a heading of its own.
function enclosing(open: readonly OpenHeading[], markdown: string): OpenHeading[] {
  const first = readMarkdownBlocks(markdown)[0];
  return first?.kind === 'heading' ? open.filter((heading) => heading.level < first.level) : [...open];
}

/** `chunkText` over every section, numbered through the document, each chunk tagged with its page. */
export function chunkParsedDocument(document: ParsedDocument, options: ChunkTextOptions = {}): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let open: OpenHeading[] = [];
  for (const section of document.sections) {
    const carried = enclosing(open, section.markdown).map((heading) => `${'#'.repeat(heading.level)} ${heading.text}`);
    const text = [...carried, section.markdown].join('\n\n');
    for (const chunk of chunkText(text, options)) chunks.push({ ...chunk, index: chunks.length, page: section.page });
    open = openHeadingsAfter(open, section.markdown);
  }
  return chunks;
}
