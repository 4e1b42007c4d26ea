// Structure-aware chunking for retrieval. A chunk should answer one kind of question on its
// own, so chunks never straddle a heading, paragraphs/list items/table rows stay whole when
// they fit, oversize ones are cut at sentence boundaries, and consecutive chunks of the same
// section overlap a little so a fact split across the cut is still retrievable from one chunk.

import { countTokens } from './count-tokens.ts';
import { readMarkdownBlocks, type MarkdownBlock } from './markdown-blocks.ts';
import { splitToBudget, tailWithin, type BudgetPiece } from './token-budget.ts';

export { countTokens };

export type TextChunk = {
  /** Position in the document, from 0. */
  index: number;
  /** Whitespace-normalised text; headings appear as plain text without `#` marks. */
  text: string;
  /** Headings above this chunk, outermost first; empty before the first heading. */
  sectionPath: string[];
  /** `countTokens(text)`; never above `maxTokens`. */
  tokenCount: number;
};

export type ChunkTextOptions = {
  /** Upper bound of `countTokens` per chunk. Default 220. */
  maxTokens?: number;
  /** Tokens repeated from the end of a chunk at the start of the next one of the same section. Default 40. */
  overlapTokens?: number;
};

const DEFAULT_MAX_TOKENS = 220;
const DEFAULT_OVERLAP_TOKENS = 40;
const BLOCK_JOINER = '\n\n';
const ROW_JOINER = '\n';

// `heading`: a heading line. `repeatsHeader`: a table part that restates its header rows,
// which gives it all the context an overlap would, so it starts its chunk without one.
type Unit = BudgetPiece & { heading?: boolean; repeatsHeader?: boolean };
type Section = { path: string[]; level: number; units: Unit[]; hasBody: boolean };

function withJoiner(pieces: BudgetPiece[], firstJoiner: string): Unit[] {
  return pieces.map((piece, i) => (i === 0 ? { ...piece, joiner: firstJoiner } : piece));
}

// Tables too big for one chunk are cut into row groups that each repeat the header rows,
// so every part still says what its columns mean. A little room is kept for the heading
// that may open the chunk.
function tableUnits(rows: string[], headerRows: number, maxTokens: number): Unit[] {
  const header = rows.slice(0, headerRows).join(ROW_JOINER);
  const headerTokens = countTokens(header);
  const repeatHeader = headerTokens <= maxTokens / 4;
  const budget = maxTokens - Math.min(32, Math.floor(maxTokens / 8)) - (repeatHeader ? headerTokens : 0);
  const bodyPieces = rows.slice(headerRows).flatMap((row) => splitToBudget(row, budget));
  const groups: string[][] = [];
  let groupTokens = Infinity;
  for (const piece of bodyPieces) {
    if (groupTokens + piece.tokens > budget) {
      groups.push([]);
      groupTokens = 0;
    }
    groups[groups.length - 1]?.push(piece.text);
    groupTokens += piece.tokens;
  }
  const units: Unit[] = repeatHeader ? [] : withJoiner(splitToBudget(header, maxTokens), BLOCK_JOINER);
  for (const group of groups) {
    const text = (repeatHeader ? [header, ...group] : group).join(ROW_JOINER);
    units.push({ text, tokens: countTokens(text), joiner: BLOCK_JOINER, repeatsHeader: repeatHeader });
  }
  return units;
}

function blockUnits(block: MarkdownBlock, maxTokens: number): Unit[] {
  if (block.kind === 'heading') {
    return withJoiner(splitToBudget(block.text, maxTokens), BLOCK_JOINER).map((unit) => ({ ...unit, heading: true }));
  }
  if (block.kind === 'prose') return withJoiner(splitToBudget(block.text, maxTokens), BLOCK_JOINER);
  const whole = block.rows.join(ROW_JOINER);
  const tokens = countTokens(whole);
  if (tokens <= maxTokens) return [{ text: whole, tokens, joiner: BLOCK_JOINER }];
  if (block.headerRows > 0) return tableUnits(block.rows, block.headerRows, maxTokens);
  // An oversize list or code block: items become units of their own, so the packer keeps
  // as many whole items together as fit.
  return block.rows.flatMap((row, i) => withJoiner(splitToBudget(row, maxTokens), i === 0 ? BLOCK_JOINER : ROW_JOINER));
}

function readSections(text: string, maxTokens: number): Section[] {
  const sections: Section[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  let current: Section = { path: [], level: 0, units: [], hasBody: false };
  let carried: Unit[] = [];
  for (const block of readMarkdownBlocks(text)) {
    if (block.kind !== 'heading') {
      current.units.push(...blockUnits(block, maxTokens));
      current.hasBody = true;
      continue;
    }
    // A heading with nothing under it before a deeper heading ("# Guide" then "## Install")
    // travels into the first chunk of that subsection instead of becoming a chunk of its own.
    if (!current.hasBody && current.units.length > 0 && block.level > current.level) carried = current.units;
    else if (current.units.length > 0) sections.push(current);
    while ((headings[headings.length - 1]?.level ?? 0) >= block.level) headings.pop();
    headings.push({ level: block.level, text: block.text });
    current = {
      path: headings.map((heading) => heading.text),
      level: block.level,
      units: [...carried, ...blockUnits(block, maxTokens)],
      hasBody: false,
    };
    carried = [];
  }
  if (current.units.length > 0) sections.push(current);
  return sections;
}

function render(units: readonly Unit[]): string {
  return units.map((unit, i) => (i === 0 ? '' : unit.joiner) + unit.text).join('');
}

// The end of the previous chunk that opens the next one: whole units while they fit,
// otherwise the last sentences (or words) of the last unit.
function overlapUnits(previous: readonly Unit[], budget: number): Unit[] {
  const kept: Unit[] = [];
  let tokens = 0;
  for (let i = previous.length - 1; i >= 0; i--) {
    const unit = previous[i];
    if (!unit || tokens + unit.tokens > budget) break;
    kept.unshift(unit);
    tokens += unit.tokens;
  }
  if (kept.length > 0) return kept;
  const last = previous[previous.length - 1];
  const tail = last ? tailWithin(last.text, budget) : '';
  return tail === '' ? [] : [{ text: tail, tokens: countTokens(tail), joiner: BLOCK_JOINER }];
}

function packSection(units: readonly Unit[], maxTokens: number, overlapTokens: number): string[] {
  const texts: string[] = [];
  // Pieces of a unit that was cut to share a chunk with its heading come before the rest.
  const pending: Unit[] = [];
  let next = 0;
  let current: Unit[] = [];
  let tokens = 0;
  for (let unit = units[next++]; unit; unit = pending.shift() ?? units[next++]) {
    if (current.length > 0 && tokens + unit.tokens > maxTokens) {
      // A heading alone is a useless chunk (it matches its topic's questions without
      // answering them): cut the unit so its start shares the heading's chunk instead.
      if (current.every((kept) => kept.heading) && unit.tokens > 1) {
        const [first, ...rest] = splitToBudget(unit.text, maxTokens - tokens);
        if (first && first.tokens + tokens <= maxTokens) {
          pending.unshift({ ...first, joiner: unit.joiner }, ...rest);
          continue;
        }
      }
      texts.push(render(current));
      current = unit.repeatsHeader ? [] : overlapUnits(current, Math.min(overlapTokens, maxTokens - unit.tokens));
      tokens = current.reduce((sum, kept) => sum + kept.tokens, 0);
    }
    current.push(unit);
    tokens += unit.tokens;
  }
  if (current.length > 0) texts.push(render(current));
  return texts;
}

/**
 * Split a Markdown or plain-text document into retrieval chunks of at most `maxTokens`
 * tokens (see `countTokens`). Every word of the input appears in some chunk, in order.
 */
export function chunkText(text: string, options: ChunkTextOptions = {}): TextChunk[] {
  const maxTokens = Math.floor(options.maxTokens ?? DEFAULT_MAX_TOKENS);
  if (!(maxTokens >= 1)) throw new RangeError(`chunkText: maxTokens must be at least 1, got ${options.maxTokens}`);
  // Overlap beyond half a chunk would make most of every chunk a repeat.
  const overlapTokens = Math.max(0, Math.min(Math.floor(options.overlapTokens ?? DEFAULT_OVERLAP_TOKENS), Math.floor(maxTokens / 2)));

  const chunks: TextChunk[] = [];
  for (const section of readSections(text, maxTokens)) {
    for (const chunkTextValue of packSection(section.units, maxTokens, overlapTokens)) {
      chunks.push({
        index: chunks.length,
        text: chunkTextValue,
        sectionPath: [...section.path],
        tokenCount: countTokens(chunkTextValue),
      });
    }
  }
  return chunks;
}
