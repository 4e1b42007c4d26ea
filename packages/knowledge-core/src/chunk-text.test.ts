import { describe, expect, it } from 'vitest';
import { chunkText, countTokens, type TextChunk } from './chunk-text.ts';

const sentence = (n: number): string =>
  `Sentence ${n} explains one more detail about how the widget loads its scripts and styles on a page.`;
const paragraph = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => sentence(from + i)).join(' ');

const WORD = /[\p{L}\p{N}]+/gu;
const wordsOf = (text: string): string[] => text.match(WORD) ?? [];

// Every word of `text` must appear in the concatenated chunks, in order (overlap only repeats).
// Code fence lines are markup, info string included, and are not part of any chunk.
function isCoveredInOrder(text: string, chunks: readonly TextChunk[]): boolean {
  const chunkWords = wordsOf(chunks.map((chunk) => chunk.text).join(' '));
  let at = 0;
  for (const word of wordsOf(text.replace(/^```.*$/gm, ''))) {
    while (at < chunkWords.length && chunkWords[at] !== word) at++;
    if (at === chunkWords.length) return false;
    at++;
  }
  return true;
}

const MIXED_DOCUMENT = `Intro before any heading.

# Guide

## Install

${paragraph(1, 14)}

Setup
-----

- First item
- Second item
  continues on the next line
- Third item

| Plan | Price | Mascots |
| ---- | ----: | ------- |
${Array.from({ length: 30 }, (_, i) => `| Plan ${i} | $${i * 10} | ${i} mascots included |`).join('\n')}

\`\`\`ts
# not a heading
const answer = 42;
\`\`\`

### Deep
Last words.`;

// No Markdown markup, so with zero overlap the chunks must restore it exactly up to whitespace.
const UNSPACED_DOCUMENT = `Plain words first. ${'x'.repeat(3000)} and a very long token before this.

${'我们的专业版每月收费二十九美元包括五个吉祥物'.repeat(30)}

- a list item ${'y'.repeat(500)}
- ${paragraph(1, 30)}`;

describe('chunkText', () => {
  it('returns no chunks for empty or whitespace-only text', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText('  \n\n\t \r\n')).toEqual([]);
  });

  it('keeps a short document in one chunk with whitespace normalised', () => {
    const chunks = chunkText('  Hello \t  world,\r\n\r\n\r\n   again   here.  ');
    expect(chunks).toEqual([{ index: 0, text: 'Hello world,\n\nagain here.', sectionPath: [], tokenCount: 6 }]);
  });

  it('never exceeds maxTokens, whatever the content', () => {
    for (const maxTokens of [12, 40, 220]) {
      const chunks = chunkText(`${MIXED_DOCUMENT}\n\n${UNSPACED_DOCUMENT}`, { maxTokens, overlapTokens: 8 });
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) {
        expect(chunk.tokenCount).toBeLessThanOrEqual(maxTokens);
        expect(chunk.tokenCount).toBe(countTokens(chunk.text));
        expect(chunk.text.trim()).not.toBe('');
      }
    }
  });

  it('covers every word of the input, in order', () => {
    for (const maxTokens of [12, 40, 220]) {
      expect(isCoveredInOrder(MIXED_DOCUMENT, chunkText(MIXED_DOCUMENT, { maxTokens }))).toBe(true);
    }
  });

  it('restores the text exactly, giant words and unspaced scripts included, when there is no overlap', () => {
    const withoutWhitespace = (text: string): string => text.replace(/\s+/g, '');
    for (const maxTokens of [12, 40, 220]) {
      const chunks = chunkText(UNSPACED_DOCUMENT, { maxTokens, overlapTokens: 0 });
      expect(withoutWhitespace(chunks.map((chunk) => chunk.text).join(''))).toBe(withoutWhitespace(UNSPACED_DOCUMENT));
    }
  });

  it('numbers chunks from 0 in document order', () => {
    const chunks = chunkText(MIXED_DOCUMENT, { maxTokens: 60 });
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
  });

  it('builds section paths from ATX and setext headings', () => {
    const text = 'Top\n===\n\nA.\n\n## Child\n\nB.\n\n#### Deeper\n\nC.\n\nSibling\n-------\n\nD.\n\n# Next top #\n\nE.';
    expect(chunkText(text).map((chunk) => [chunk.sectionPath, chunk.text])).toEqual([
      [['Top'], 'Top\n\nA.'],
      [['Top', 'Child'], 'Child\n\nB.'],
      [['Top', 'Child', 'Deeper'], 'Deeper\n\nC.'],
      [['Top', 'Sibling'], 'Sibling\n\nD.'],
      [['Next top'], 'Next top\n\nE.'],
    ]);
  });

  it('carries a heading with no text of its own into its first subsection', () => {
    const chunks = chunkText('# Guide\n\n## Install\n\nRun the installer.');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ sectionPath: ['Guide', 'Install'], text: 'Guide\n\nInstall\n\nRun the installer.' });
  });

  it('does not read hash lines inside code fences as headings', () => {
    const chunks = chunkText('# Code\n\n```sh\n# install it\nnpm i mascot\n```');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.sectionPath).toEqual(['Code']);
    expect(chunks[0]?.text).toContain('# install it\nnpm i mascot');
  });

  it('ignores a hash without a following space and thematic breaks', () => {
    const chunks = chunkText('#hashtag is text\n\n***\n\nMore text.');
    expect(chunks).toEqual([expect.objectContaining({ sectionPath: [], text: '#hashtag is text\n\nMore text.' })]);
  });

  it('keeps paragraphs whole when each fits in a chunk', () => {
    const paragraphs = [paragraph(1, 2), paragraph(3, 2), paragraph(5, 2)];
    const chunks = chunkText(paragraphs.join('\n\n'), { maxTokens: 60, overlapTokens: 0 });
    expect(chunks.map((chunk) => chunk.text)).toEqual(paragraphs);
  });

  it('splits an oversize paragraph at sentence boundaries', () => {
    const chunks = chunkText(paragraph(1, 10), { maxTokens: 50, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.text).toMatch(/^Sentence \d+ .*page\.$/);
  });

  it('keeps list items together when the list fits', () => {
    const chunks = chunkText('Intro.\n\n- one thing\n- two things\n  wrapped\n- three things');
    expect(chunks[0]?.text).toBe('Intro.\n\n- one thing\n- two things wrapped\n- three things');
  });

  it('overlaps consecutive chunks of the same section with the end of the previous chunk', () => {
    const chunks = chunkText(`# Install\n\n${paragraph(1, 12)}`, { maxTokens: 80, overlapTokens: 30 });
    expect(chunks.length).toBeGreaterThan(2);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]?.text ?? '';
      const lastSentence = previous.slice(previous.lastIndexOf('Sentence'));
      expect(chunks[i]?.text.startsWith(lastSentence)).toBe(true);
      expect(countTokens(lastSentence)).toBeLessThanOrEqual(30);
    }
  });

  it('does not overlap chunks of different sections', () => {
    const chunks = chunkText(`# One\n\n${paragraph(1, 6)}\n\n# Two\n\n${paragraph(7, 6)}`, { maxTokens: 60, overlapTokens: 30 });
    const firstOfTwo = chunks.find((chunk) => chunk.sectionPath[0] === 'Two');
    expect(firstOfTwo?.text.startsWith('Two\n\nSentence 7 ')).toBe(true);
  });

  it('repeats the header row in every part of a split table', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `| Plan ${i} | $${i} |`).join('\n');
    const chunks = chunkText(`| Plan | Price |\n| --- | --- |\n${rows}`, { maxTokens: 60 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.text.startsWith('| Plan | Price |\n| --- | --- |\n| Plan ')).toBe(true);
  });

  it('never leaves a heading alone in a chunk when text follows it', () => {
    const chunks = chunkText(`# Pricing\n\n${paragraph(1, 3)}`, { maxTokens: 60, overlapTokens: 0 });
    expect(chunks[0]?.text).toMatch(/^Pricing\n\nSentence 1 /);
  });

  it('rejects a maxTokens below 1', () => {
    expect(() => chunkText('text', { maxTokens: 0 })).toThrow(RangeError);
  });
});
