import { describe, expect, it } from 'vitest';
import { readMarkdownBlocks } from './markdown-blocks.ts';

describe('readMarkdownBlocks', () => {
  it('reads headings, paragraphs, lists, tables, code and quotes', () => {
    const text = [
      '# Title #', '', 'Some  text', 'on two lines.', '',
      '- one', '  more of one', '', '- two', '1. three', '',
      '| A | B |', '|---|:-:|', '| 1 | 2 |', '',
      '```', '  indented code   ', '```', '',
      '> quoted', '> words.',
    ].join('\n');
    expect(readMarkdownBlocks(text)).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'prose', text: 'Some text\non two lines.' },
      { kind: 'rows', rows: ['- one more of one', '- two', '1. three'], headerRows: 0 },
      { kind: 'rows', rows: ['| A | B |', '|---|:-:|', '| 1 | 2 |'], headerRows: 2 },
      { kind: 'rows', rows: ['  indented code'], headerRows: 0 },
      { kind: 'prose', text: 'quoted\nwords.' },
    ]);
  });

  it('joins editor-wrapped lines with a space and keeps deliberate short lines apart', () => {
    const wrapped = 'This line is long enough to have been wrapped by an editor and it goes\non here.';
    expect(readMarkdownBlocks(wrapped)).toEqual([{ kind: 'prose', text: wrapped.replace('\n', ' ') }]);
    expect(readMarkdownBlocks('Opening hours\nMonday 9-17\nTuesday 9-17')).toEqual([
      { kind: 'prose', text: 'Opening hours\nMonday 9-17\nTuesday 9-17' },
    ]);
  });

  it('tells a setext underline from a thematic break', () => {
    expect(readMarkdownBlocks('Title\n---\n\n---\n\nText')).toEqual([
      { kind: 'heading', level: 2, text: 'Title' },
      { kind: 'prose', text: 'Text' },
    ]);
  });

  it('keeps nested list items indented', () => {
    expect(readMarkdownBlocks('- a\n  - b\n    - c')).toEqual([{ kind: 'rows', rows: ['- a', '  - b', '    - c'], headerRows: 0 }]);
  });
});
