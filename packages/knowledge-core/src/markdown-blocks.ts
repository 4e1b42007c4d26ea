// A small line-based Markdown block reader: just enough structure for chunking (headings,
// paragraphs, lists, tables, code, quotes). Inline markup is left alone. Plain text without
// any Markdown comes out as paragraphs, so the chunker handles both the same way.

export type MarkdownBlock =
  /** A heading (`#`..`######` or a setext underline), with its text only. */
  | { kind: 'heading'; level: number; text: string }
  /** A paragraph or block quote; hard line breaks kept as "\n". */
  | { kind: 'prose'; text: string }
  /** List items, table rows or code lines: one entry per row; the first `headerRows` repeat when split. */
  | { kind: 'rows'; rows: string[]; headerRows: number };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+\S/;
const TABLE_SEPARATOR = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const QUOTE = /^ {0,3}>[ \t]?/;
const BLANK = /^\s*$/;
// A line at least this long that does not end a sentence was most likely wrapped by an
// editor, so it is joined to the next with a space; shorter lines were broken on purpose.
const SOFT_WRAP_MIN_CHARS = 50;

/** Collapse runs of horizontal whitespace and trim. */
export function normalizeLine(line: string): string {
  return line.replace(/[\t \u00a0\u2000-\u200a\u202f\u3000]+/g, ' ').trim();
}

function isTableStart(lines: readonly string[], i: number): boolean {
  const next = lines[i + 1];
  return (lines[i] ?? '').includes('|') && next !== undefined && next.includes('|') && TABLE_SEPARATOR.test(next);
}

function startsBlock(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? '';
  return FENCE.test(line) || ATX_HEADING.test(line) || THEMATIC_BREAK.test(line)
    || LIST_ITEM.test(line) || QUOTE.test(line) || isTableStart(lines, i);
}

function joinProse(lines: readonly string[]): string {
  let text = '';
  for (const line of lines.map(normalizeLine).filter((l) => l !== '')) {
    if (text === '') text = line;
    else {
      const previous = text.slice(text.lastIndexOf('\n') + 1);
      const softWrap = previous.length >= SOFT_WRAP_MIN_CHARS && !/[.!?:;]$/.test(previous);
      text += (softWrap ? ' ' : '\n') + line;
    }
  }
  return text;
}

function listItemText(line: string): string {
  const indent = (line.match(/^[ \t]*/)?.[0] ?? '').replace(/\t/g, '  ').length;
  // Keep nesting visible with two spaces per level; the rest of the whitespace is normalised.
  return '  '.repeat(Math.min(Math.floor(indent / 2), 4)) + normalizeLine(line);
}

/** Read `text` into blocks. Thematic breaks, fences and blank lines carry no text and are dropped. */
export function readMarkdownBlocks(text: string): MarkdownBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: MarkdownBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (BLANK.test(line) || THEMATIC_BREAK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      const rows: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker); i++) {
        // Code keeps its indentation, which carries meaning; only trailing space goes.
        const codeLine = (lines[i] ?? '').trimEnd();
        if (codeLine !== '') rows.push(codeLine);
      }
      i++;
      if (rows.length > 0) blocks.push({ kind: 'rows', rows, headerRows: 0 });
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      const headingText = normalizeLine(atx[2] ?? '');
      if (headingText !== '') blocks.push({ kind: 'heading', level: atx[1]?.length ?? 1, text: headingText });
      i++;
      continue;
    }
    if (isTableStart(lines, i)) {
      const rows = [normalizeLine(line), normalizeLine(lines[i + 1] ?? '')];
      for (i += 2; i < lines.length && (lines[i] ?? '').includes('|') && !BLANK.test(lines[i] ?? ''); i++) {
        rows.push(normalizeLine(lines[i] ?? ''));
      }
      blocks.push({ kind: 'rows', rows, headerRows: 2 });
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: string[] = [listItemText(line)];
      for (i++; i < lines.length; i++) {
        const current = lines[i] ?? '';
        if (BLANK.test(current)) {
          // A blank line inside a loose list: continue only if the list does.
          let next = i + 1;
          while (next < lines.length && BLANK.test(lines[next] ?? '')) next++;
          const after = lines[next] ?? '';
          if (next < lines.length && (LIST_ITEM.test(after) || /^[ \t]{2,}\S/.test(after))) continue;
          break;
        }
        if (LIST_ITEM.test(current)) items.push(listItemText(current));
        else if (/^[ \t]{2,}\S/.test(current) || !startsBlock(lines, i)) {
          items[items.length - 1] += ` ${normalizeLine(current)}`;
        } else break;
      }
      blocks.push({ kind: 'rows', rows: items, headerRows: 0 });
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i] ?? ''); i++) quoted.push((lines[i] ?? '').replace(QUOTE, ''));
      const quoteText = joinProse(quoted);
      if (quoteText !== '') blocks.push({ kind: 'prose', text: quoteText });
      continue;
    }
    // A paragraph, which a setext underline turns into a heading.
    const paragraph: string[] = [line];
    let setextLevel = 0;
    for (i++; i < lines.length && !BLANK.test(lines[i] ?? ''); i++) {
      const underline = SETEXT_UNDERLINE.exec(lines[i] ?? '');
      if (underline) {
        setextLevel = underline[1]?.startsWith('=') ? 1 : 2;
        i++;
        break;
      }
      if (startsBlock(lines, i)) break;
      paragraph.push(lines[i] ?? '');
    }
    if (setextLevel > 0) blocks.push({ kind: 'heading', level: setextLevel, text: paragraph.map(normalizeLine).join(' ') });
    else blocks.push({ kind: 'prose', text: joinProse(paragraph) });
  }
  return blocks;
}
