// Retrieved passages (Markdown chunks) turned into what can be quoted to a visitor: one candidate per
// sentence, list item or table row, without Markdown markup (a chat bubble is not a Markdown
// renderer), each knowing what it is about (document title, section headings, the label above it).
// Headings and FAQ question lines are context, never answers. A lead-in such as "To apply you need:"
// or "Opening hours:" stays with the items under it, and a "Label: value" line is one candidate, so a
// label is never quoted without its value. Link targets that are files or anchors are dropped; a web
// address is kept, because "apply online" is no answer without it.

import { isAssistantDirected } from '../assistant-directed-text.ts';
import { labelRow } from '../quote-text.ts';
import { splitSentences } from './split-sentences.ts';

export interface SourcePassage {
  id: string;
  documentTitle: string;
  sectionPath?: string[];
  text: string;
  /** Cosine similarity of the passage to the question (0..1); passages arrive best first. */
  score: number;
}

export type CandidateKind = 'sentence' | 'item' | 'row' | 'label';

export interface QuoteCandidate {
  passageIndex: number;
  /** Reading order inside the passage. */
  position: number;
  /** Candidates of one paragraph, list or table share a block number. */
  block: number;
  kind: CandidateKind;
  /** As quoted, without the lead-in. */
  text: string;
  /** The lead-in line the item or row belongs to ("To apply you need"), quoted before it. */
  leadIn: string;
  /** Title, section path, heading and lead-in: what the candidate is about. */
  context: string;
}

const TABLE_SEPARATOR = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$/;
const LIST_MARKER = /^([-*+•]|\d{1,9}[.)])\s+/;
const HEADING_LIKE_MAX_WORDS = 8;
const LEAD_IN_MAX_WORDS = 14;
const WORD = /[\p{L}\p{N}]+/gu;

const wordCount = (text: string) => text.match(WORD)?.length ?? 0;

/** A link keeps its text; its target only when it is a web address the text does not show already. */
function linkText(text: string, target: string): string {
  const url = target.trim().split(/\s+/)[0] ?? '';
  if (!/^https?:\/\//i.test(url) || text.includes(url)) return text;
  return `${text} (${url})`;
}

/** Markdown inline markup removed: images to their alt text, links to their text, emphasis and code marks. */
export function stripInlineMarkup(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]*)\)/g, (_, label: string, target: string) => linkText(label, target))
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    // A bare relative file target left in the text, "(file.md)", says nothing to a visitor.
    .replace(/\s*\((?:\.{0,2}\/)?[\w./-]+\.(?:md|mdx|html?|txt|pdf)(?:#[\w-]*)?\)/gi, '')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/(^|[\s(])[*_](?=\S)([^*_]+?)(?<=\S)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function tableCells(line: string): string[] {
  return line.replace(/^\s*\|/, '').replace(/\|\s*$/, '').split('|').map((cell) => stripInlineMarkup(cell));
}

/** Split the passages into quotable candidates, best passage first. */
export function collectQuoteCandidates(passages: readonly SourcePassage[], language: string): QuoteCandidate[] {
  const candidates: QuoteCandidate[] = [];
  passages.forEach((passage, passageIndex) => {
    const base = [passage.documentTitle, ...(passage.sectionPath ?? [])].join(' ');
    const sectionHeadings = new Set((passage.sectionPath ?? []).map((heading) => stripInlineMarkup(heading)));
    const lines = passage.text.split('\n').map((line) => line.trim());
    let heading = '';
    let leadIn = '';
    // A lead-in survives the blank line between it and its list ("To apply you need:", blank, items).
    let leadInOpen = false;
    let tableHeader: string[] = [];
    let position = 0;
    let block = 0;
    const add = (text: string, kind: CandidateKind): void => {
      const index = position++;
      // Dropped candidates keep their position, so neighbours never skip over them.
      if (wordCount(text) < 2 || isAssistantDirected(text)) return;
      candidates.push({ passageIndex, position: index, block, kind, text, leadIn, context: `${base} ${heading} ${leadIn}`.trim() });
    };
    lines.forEach((rawLine, i) => {
      const previous = lines[i - 1] ?? '';
      const next = lines[i + 1] ?? '';
      if (rawLine === '') {
        if (!leadInOpen) leadIn = '';
        leadInOpen = false;
        tableHeader = [];
        return;
      }
      leadInOpen = false;
      if (previous === '') block++;
      if (rawLine.includes('|') && (rawLine.startsWith('|') || tableHeader.length > 0 || TABLE_SEPARATOR.test(next))) {
        if (TABLE_SEPARATOR.test(rawLine)) return;
        if (TABLE_SEPARATOR.test(next)) {
          tableHeader = tableCells(rawLine);
          return;
        }
        add(labelRow(tableCells(rawLine), tableHeader), 'row');
        return;
      }
      const isListItem = LIST_MARKER.test(rawLine);
      const line = stripInlineMarkup(rawLine.replace(/^(#{1,6}|>)\s+/, '').replace(LIST_MARKER, ''));
      if (line === '') return;
      const words = wordCount(line);
      // Headings: a section heading of the path, a Markdown heading, a short line on its own between
      // blank lines (how chunkText writes headings), or a question line (an FAQ entry's question).
      const alone = previous === '' && next === '';
      // "Address: 1 Civic Square" is a label with its value, never a heading.
      const labelsValue = /^[^:]{1,40}:\s+\S/.test(line);
      const isHeading = sectionHeadings.has(line) || /^#{1,6}\s/.test(rawLine)
        || (!isListItem && !labelsValue && alone && words <= HEADING_LIKE_MAX_WORDS && /[^.!:;]$/.test(line))
        || (!isListItem && /\?$/.test(line) && words <= 20 && next === '');
      if (isHeading) {
        heading = line.replace(/[:?]$/, '');
        leadIn = '';
        position++;
        return;
      }
      if (isListItem) {
        add(line.replace(/[;,]$/, ''), 'item');
        return;
      }
      // A line that ends with a colon and that a list or lines follow introduces them: "To apply you need:".
      const following = next !== '' ? next : (lines[i + 2] ?? '');
      if (/:$/.test(line) && following !== '' && words <= LEAD_IN_MAX_WORDS) {
        leadIn = line.replace(/:$/, '');
        leadInOpen = next === '' && LIST_MARKER.test(following);
        position++;
        return;
      }
      // A short line right above other lines without a blank between labels them ("Opening hours").
      if (previous === '' && next !== '' && !LIST_MARKER.test(line) && words <= HEADING_LIKE_MAX_WORDS && /[^.!?:;]$/.test(line)
        && !/\d/.test(line)) {
        leadIn = line;
        add(line, 'label');
        return;
      }
      for (const sentence of splitSentences(line, language)) add(sentence, 'sentence');
    });
  });
  return candidates;
}
