import { readMarkdownBlocks } from '../markdown-blocks.ts';

/** Text of the first heading of `level` (any level when omitted) in `markdown`, or null. */
export function firstHeading(markdown: string, level?: number): string | null {
  for (const block of readMarkdownBlocks(markdown)) {
    if (block.kind === 'heading' && (level === undefined || block.level === level)) return block.text;
  }
  return null;
}

/** The document title a Markdown body suggests: its first level-1 heading, else its first heading. */
export function titleFromMarkdown(markdown: string): string | null {
  return firstHeading(markdown, 1) ?? firstHeading(markdown);
}
