// Turning retrieved passages into sentences that can be quoted verbatim to a visitor:
// Markdown markup is removed (a chat bubble is not a Markdown renderer), table rows are
// labelled with their column headers so "Pro | $29" becomes "Plan: Pro; Price: $29",
// heading-like lines become context for the sentences under them instead of answers, and
// sentences that address the assistant are dropped.

import { isAssistantDirected } from './assistant-directed-text.ts';
import { extractWords } from './normalize-text.ts';
import { labelRow } from './quote-text.ts';
import { splitSentences } from './split-sentences.ts';

/** The passage fields the answerer reads. */
export type SourcePassage = {
  id: string;
  documentTitle: string;
  sectionPath?: string[];
  text: string;
  /** Fused retrieval score in 0..1, higher is better. Passages arrive best first. */
  score: number;
};

export type QuoteCandidate = {
  passageIndex: number;
  /** Order of the sentence inside its passage, to restore reading order. */
  position: number;
  /** The sentence as it will be quoted. */
  text: string;
  /** Title, section path and the heading/label lines above the sentence: what it is about. */
  context: string;
  /** A short title-like line that labels the lines under it (see below). */
  isLabel: boolean;
};

const TABLE_SEPARATOR = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$/;
const HEADING_LIKE_MAX_WORDS = 8;
const MIN_QUOTE_WORDS = 2;

function stripInlineMarkup(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function tableCells(line: string): string[] {
  return line.replace(/^\s*\|/, '').replace(/\|\s*$/, '').split('|').map((cell) => stripInlineMarkup(cell));
}

/** Split the passages into quotable sentences with their context, best passage first. */
export function collectQuoteCandidates(passages: readonly SourcePassage[]): QuoteCandidate[] {
  const candidates: QuoteCandidate[] = [];
  passages.forEach((passage, passageIndex) => {
    const baseContext = [passage.documentTitle, ...(passage.sectionPath ?? [])].join(' ');
    const lines = passage.text.split('\n').map((line) => line.trim());
    const lastTextLine = lines.findLastIndex((line) => line !== '');
    const sectionHeadings = new Set(passage.sectionPath ?? []);
    let heading = '';
    let label = '';
    let tableHeader: string[] = [];
    let position = 0;
    const add = (text: string, isLabel = false): void => {
      // Dropped sentences still take a position, so "neighbouring" never skips over them.
      const index = position++;
      if (extractWords(text).length < MIN_QUOTE_WORDS || isAssistantDirected(text)) return;
      candidates.push({ passageIndex, position: index, text, context: `${baseContext} ${heading} ${label}`, isLabel });
    };
    lines.forEach((rawLine, i) => {
      if (rawLine === '') {
        label = '';
        return;
      }
      const next = lines[i + 1] ?? '';
      if (rawLine.includes('|')) {
        if (TABLE_SEPARATOR.test(rawLine)) return;
        if (TABLE_SEPARATOR.test(next)) {
          tableHeader = tableCells(rawLine);
          return;
        }
        if (rawLine.startsWith('|') || tableHeader.length > 0) {
          add(labelRow(tableCells(rawLine), tableHeader));
          return;
        }
      }
      const isListItem = /^([-*+]|\d{1,9}[.)])\s+/.test(rawLine);
      const line = stripInlineMarkup(rawLine.replace(/^(#{1,6}|>|[-*+]|\d{1,9}[.)])\s+/, ''));
      const sentences = splitSentences(line);
      // A short line without closing punctuation that starts a block and that more text
      // follows says what comes next. On its own between blank lines (how chunkText writes
      // headings), or equal to a section heading, it is a heading: context for the rest of
      // the passage, never quoted. Directly followed by lines ("Opening hours" over a list of
      // days) it labels its block: context for that block, and quotable in case it is a fact.
      const startsBlock = (lines[i - 1] ?? '') === '';
      const titleLike = !isListItem && sentences.length === 1 && i < lastTextLine
        && extractWords(line).length <= HEADING_LIKE_MAX_WORDS && /[^.!?]$/.test(line);
      if (sectionHeadings.has(line) || (titleLike && startsBlock && next === '')) {
        heading = line.replace(/:$/, '');
        position++;
        return;
      }
      if (titleLike && startsBlock) {
        label = line.replace(/:$/, '');
        add(line, true);
        return;
      }
      for (const sentence of sentences) add(sentence);
    });
  });
  return candidates;
}
