// HTML (from web pages and from mammoth's DOCX conversion) to the Markdown chunkText reads, with
// turndown. The rules are tuned for a knowledge base rather than for round-tripping HTML:
// headings, lists, tables, code and bold survive; links and emphasis keep only their text (URLs
// and `_` markers are noise in chunks and quotes); images are dropped; every table becomes a GFM
// pipe table (never raw HTML, which the chunker would read as prose), its first row the header
// when the HTML marks none, so table parts and quoted rows keep their column names.
//
// The DOM comes from linkedom in every runtime (Node, Electron renderer, web worker), so turndown
// is always handed a node and never needs a DOMParser of its own.

import type TurndownService from 'turndown';

/** The part of the DOM API these rules use; satisfied by linkedom's and the browser's nodes. */
export interface DomNode {
  nodeName: string;
  nodeType: number;
  parentNode: DomNode | null;
  childNodes: ArrayLike<DomNode>;
  textContent: string | null;
  getAttribute?(name: string): string | null;
}

type Turndown = InstanceType<typeof TurndownService>;
type TurndownNode = Parameters<Turndown['turndown']>[0];
type RuleNode = Parameters<NonNullable<TurndownService.Rule['replacement']>>[1];

const asDom = (node: RuleNode): DomNode => node as unknown as DomNode;
const ELEMENT_NODE = 1;

function elementChildren(node: DomNode): DomNode[] {
  return Array.from(node.childNodes).filter((child) => child.nodeType === ELEMENT_NODE);
}

// Structural escaping only: a text node that would start a heading, quote, list item or fence
// gets a backslash. Inline characters (`*`, `_`, `[`) are left alone: the chunker and the answer
// composer read them literally, and escaping them would put backslashes into quotes.
function escapeBlockStart(text: string): string {
  return text
    .replace(/^(\s*)(#{1,6}(?:\s|$))/, '$1\\$2')
    .replace(/^(\s*)([>+*-])(\s)/, '$1\\$2$3')
    .replace(/^(\s*)(\d+)([.)])(\s)/, '$1$2\\$3$4')
    .replace(/^(\s*)(```|~~~)/, '$1\\$2');
}

function cellMarkdown(content: string): string {
  return content.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

function tableRows(table: DomNode): DomNode[] {
  const rows: DomNode[] = [];
  for (const child of elementChildren(table)) {
    if (child.nodeName === 'TR') rows.push(child);
    else if (['THEAD', 'TBODY', 'TFOOT'].includes(child.nodeName)) {
      rows.push(...elementChildren(child).filter((row) => row.nodeName === 'TR'));
    }
  }
  return rows;
}

function colspan(cell: DomNode): number {
  const span = Number.parseInt(cell.getAttribute?.('colspan') ?? '1', 10);
  return Number.isFinite(span) && span > 1 ? Math.min(span, 50) : 1;
}

function renderTable(table: DomNode, cellText: WeakMap<object, string>): string {
  const rows = tableRows(table).map((row) =>
    elementChildren(row)
      .filter((cell) => cell.nodeName === 'TD' || cell.nodeName === 'TH')
      .flatMap((cell) => [cellText.get(cell) ?? '', ...Array<string>(colspan(cell) - 1).fill('')]),
  ).filter((cells) => cells.some((cell) => cell !== ''));
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((cells) => cells.length));
  const line = (cells: string[]): string =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [header = [], ...body] = rows;
  const separator = `| ${Array<string>(width).fill('---').join(' | ')} |`;
  return `\n\n${[line(header), separator, ...body.map(line)].join('\n')}\n\n`;
}

function listItem(content: string, node: DomNode, options: TurndownService.Options): string {
  const parent = node.parentNode;
  let prefix = `${options.bulletListMarker ?? '-'} `;
  if (parent?.nodeName === 'OL') {
    const start = Number.parseInt(parent.getAttribute?.('start') ?? '1', 10);
    const position = elementChildren(parent).indexOf(node);
    prefix = `${(Number.isFinite(start) ? start : 1) + position}. `;
  }
  const body = content
    .replace(/^\n+/, '')
    .replace(/\n+$/, '\n')
    .replace(/\n/g, `\n${' '.repeat(prefix.length)}`);
  const siblings = parent ? elementChildren(parent) : [];
  const hasNext = siblings.indexOf(node) < siblings.length - 1;
  return prefix + body + (hasNext && !body.endsWith('\n') ? '\n' : '');
}

function createService(Service: typeof TurndownService): Turndown {
  const service = new Service({
    headingStyle: 'atx',
    hr: '---',
    bulletListMarker: '-',
    codeBlockStyle: 'fenced',
    fence: '```',
    strongDelimiter: '**',
  });
  service.escape = escapeBlockStart;
  // Cell contents are converted by turndown like any content; the table rule assembles them.
  const cellText = new WeakMap<object, string>();
  service.addRule('tableCell', {
    filter: ['th', 'td'],
    replacement: (content, node) => {
      cellText.set(node, cellMarkdown(content));
      return '';
    },
  });
  service.addRule('tableParts', { filter: ['tr', 'thead', 'tbody', 'tfoot', 'colgroup', 'col'], replacement: () => '' });
  service.addRule('tableCaption', { filter: ['caption'], replacement: (content) => `\n\n${content.trim()}\n\n` });
  service.addRule('table', { filter: ['table'], replacement: (_content, node) => renderTable(asDom(node), cellText) });
  service.addRule('listItem', { filter: ['li'], replacement: (content, node, options) => listItem(content, asDom(node), options) });
  service.addRule('plainEmphasis', { filter: ['em', 'i', 'u', 'mark', 'cite', 'dfn'], replacement: (content) => content });
  service.addRule('linkText', { filter: ['a'], replacement: (content) => content });
  service.addRule('noImages', { filter: ['img', 'picture', 'video', 'audio', 'source', 'track'], replacement: () => '' });
  return service;
}

let services: Promise<Turndown> | null = null;

/** Convert an element (or document) to Markdown. Loads turndown on first use. */
export async function htmlNodeToMarkdown(root: DomNode): Promise<string> {
  services ??= import('turndown').then((module) => createService(module.default));
  const service = await services;
  return service
    .turndown(root as unknown as TurndownNode)
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
