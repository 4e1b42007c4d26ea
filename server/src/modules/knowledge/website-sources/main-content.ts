import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/**
 * Cookie and consent banners: not navigation, so no HTML element names them; sites mark them by id,
 * class or label. Only small elements are dropped, so a page whose wrapper happens to say "consent"
 * (a privacy policy) keeps its text.
 */
const BANNER = [
  '[id*="cookie" i]', '[class*="cookie" i]', '[id*="consent" i]', '[class*="consent" i]', '[id*="gdpr" i]', '[class*="gdpr" i]',
  '[aria-label*="cookie" i]', '[aria-modal="true"]',
].join(', ');
const BANNER_MAX_CHARS = 1_000;
const MAIN = 'main, [role="main"]';
/** Readability's pick is used when it keeps at least this much text; shorter picks are usually a wrong guess. */
const MIN_ARTICLE_CHARS = 200;

/** The part of linkedom's DOM used here (the server compiles without the DOM library). */
interface PageElement {
  tagName: string;
  isConnected: boolean;
  textContent: string | null;
  innerHTML: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  remove(): void;
}
interface PageDocument {
  body: PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  toString(): string;
}
const parsePage = (html: string) => (parseHTML(html) as unknown as { document: PageDocument }).document;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function pageLinks(document: PageDocument, pageUrl: string): string[] {
  const base = document.querySelector('base[href]')?.getAttribute('href');
  const baseUrl = base && URL.canParse(base, pageUrl) ? new URL(base, pageUrl).href : pageUrl;
  const links = new Set<string>();
  for (const anchor of Array.from(document.querySelectorAll('a[href]'))) {
    const rel = (anchor.getAttribute('rel') ?? '').toLowerCase();
    if (rel.split(/\s+/).includes('nofollow')) continue;
    const href = anchor.getAttribute('href') ?? '';
    if (!URL.canParse(href, baseUrl)) continue;
    const url = new URL(href, baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    url.hash = '';
    links.add(url.href);
  }
  return [...links];
}

/**
 * A web page reduced to its main content, as a small HTML document (its `<title>` and a `<main>`) for the
 * knowledge HTML parser, which drops what remains of page chrome and converts it to Markdown sections:
 *
 * 1. cookie and consent banners are removed;
 * 2. a page that marks its content (`<main>`, `role="main"`, one `<article>`) keeps that;
 * 3. otherwise Mozilla's Readability (Firefox Reader View) picks the content block of a `<div>` soup;
 * 4. when it finds too little, the whole body is kept (navigation, header and footer are still dropped).
 *
 * Links are read before anything is removed: the crawl follows navigation links too.
 */
export function htmlToMainContent(html: string, pageUrl: string): { html: string; title: string | null; links: string[] } {
  // linkedom, unlike a browser, adds no <body> to a fragment; a page without one is all body.
  const document = parsePage(/<body[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`);
  const links = pageLinks(document, pageUrl);
  const title = (document.querySelector('title')?.textContent ?? '').replace(/\s+/g, ' ').trim() || null;
  for (const element of Array.from(document.querySelectorAll(BANNER))) {
    if (!element.isConnected || ['HTML', 'BODY', 'MAIN'].includes(element.tagName)) continue;
    if (element.querySelector(`${MAIN}, article, h1`)) continue;
    if ((element.textContent ?? '').length <= BANNER_MAX_CHARS) element.remove();
  }
  const head = title ? `<title>${escapeHtml(title)}</title>` : '';
  const marked = document.querySelector(MAIN) ?? (document.querySelectorAll('article').length === 1 ? document.querySelector('article') : null);
  if (marked) return { html: `<!DOCTYPE html><html><head>${head}</head><body><main>${marked.innerHTML}</main></body></html>`, title, links };
  const body = document.body?.innerHTML ?? '';
  // Readability rewrites the document it reads; it gets a copy.
  const article = new Readability(parsePage(document.toString()) as never, { charThreshold: MIN_ARTICLE_CHARS }).parse();
  const content = article?.content && (article.textContent ?? '').trim().length >= MIN_ARTICLE_CHARS ? article.content : null;
  return { html: `<!DOCTYPE html><html><head>${head}</head><body>${content ? `<main>${content}</main>` : body}</body></html>`, title, links };
}
