// Web pages to Markdown: keep the main content (headings, paragraphs, lists, tables, link text),
// drop what is not knowledge (scripts, styles, navigation, page header and footer, sidebars,
// forms' controls, hidden elements). The title comes from `<title>`, else the first `<h1>`.

import { decodeText, supportedEncoding } from './decode-text.ts';
import { htmlNodeToMarkdown, type DomNode } from './html-to-markdown.ts';
import { titleFromMarkdown } from './markdown-title.ts';
import { ParseError } from './parse-error.ts';
import type { ParsedDocument } from './types.ts';

interface DomElement extends DomNode {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
  remove(): void;
}
interface DomDocument extends DomElement {
  body: DomElement | null;
  documentElement: DomElement | null;
}

const NOT_CONTENT = [
  'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'math',
  'nav', 'footer', 'aside', 'dialog', 'menu',
  'button', 'input', 'select', 'textarea', 'label',
  '[hidden]', '[aria-hidden="true"]',
  '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="complementary"]', '[role="search"]',
].join(', ');
const MAIN_CONTENT = 'main, [role="main"]';

const normalizeSpace = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

// The charset a page declares in its first bytes, used only when the bytes are not valid UTF-8.
function declaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return match?.[1] ? supportedEncoding(match[1]) : null;
}

/** Decode HTML bytes: UTF-8 first, then the charset the page declares. */
export function decodeHtml(bytes: Uint8Array): string {
  return decodeText(bytes, 'HTML file', declaredCharset(bytes)).text;
}

// linkedom builds the tree as written and, unlike a browser, does not create the <html>, <head>
// and <body> a fragment or a sloppy page leaves out. Put the head and body content into a
// complete skeleton first, so the body is always `document.body`.
function completeDocument(html: string): string {
  const head = /<head\b[^>]*>([\s\S]*?)<\/head\s*>/i.exec(html)?.[1]
    ?? /<title\b[^>]*>[\s\S]*?<\/title\s*>/i.exec(html)?.[0]
    ?? '';
  const body = /<body\b[^>]*>([\s\S]*?)(?:<\/body\s*>|$)/i.exec(html)?.[1]
    ?? html
      .replace(/<!doctype[^>]*>/gi, '')
      .replace(/<head\b[^>]*>[\s\S]*?<\/head\s*>/gi, '')
      .replace(/<title\b[^>]*>[\s\S]*?<\/title\s*>/gi, '')
      .replace(/<\/?html\b[^>]*>/gi, '');
  return `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;
}

/** The element holding the page's content: `<main>`, else a lone `<article>`, else the body. */
function contentRoot(document: DomDocument): DomElement {
  const main = document.querySelector(MAIN_CONTENT);
  if (main) return main;
  const articles = document.querySelectorAll('article');
  if (articles.length === 1 && articles[0]) return articles[0];
  return document.body ?? document.documentElement ?? document;
}

/** Convert an HTML string to Markdown and find its title. Shared with the DOCX parser. */
export async function htmlToDocument(html: string, options: { stripChrome: boolean }): Promise<{ title: string | null; markdown: string }> {
  const { DOMParser } = await import('linkedom');
  const document = new DOMParser().parseFromString(completeDocument(html), 'text/html') as unknown as DomDocument;
  const pageTitle = normalizeSpace(document.querySelector('head > title')?.textContent) || null;
  document.querySelector('head')?.remove();
  if (options.stripChrome) {
    for (const element of Array.from(document.querySelectorAll(NOT_CONTENT))) element.remove();
    // A page header outside the content (logo, menu) goes; a header inside an article is its title.
    for (const header of Array.from(document.querySelectorAll('header'))) {
      if (!header.parentNode || header.closest(`${MAIN_CONTENT}, article`)) continue;
      header.remove();
    }
  }
  const root = options.stripChrome ? contentRoot(document) : (document.body ?? document);
  const markdown = await htmlNodeToMarkdown(root);
  return { title: pageTitle ?? titleFromMarkdown(markdown), markdown };
}

export async function parseHtml(bytes: Uint8Array): Promise<ParsedDocument> {
  const html = decodeHtml(bytes);
  if (html.trim() === '') throw new ParseError('EMPTY', 'the HTML file is empty');
  const { title, markdown } = await htmlToDocument(html, { stripChrome: true });
  if (markdown === '') throw new ParseError('EMPTY', 'the page has no text content outside scripts, navigation and page chrome');
  return { title, sections: [{ markdown, page: null }], warnings: [] };
}
