import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { splitCitationMarkers } from './citation-markers.ts';
import { MarkdownText, type CitationRenderer } from './MarkdownText.tsx';
import { safeLinkUrl } from './safe-url.ts';
import { closeOpenMarkdown } from './streaming-markdown.ts';

const render = (text: string, props: { streaming?: boolean; inline?: boolean; renderCitation?: CitationRenderer } = {}) =>
  renderToStaticMarkup(createElement(MarkdownText, { text, ...props }));

/** The href values of every element in `html`. */
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);

describe('MarkdownText renders replies as safe Markdown', () => {
  it('formats bold, lists and links, opening links in a new tab without an opener', () => {
    const html = render('**Pro** costs:\n\n- 29 dollars a month\n- 290 a year\n\nSee [pricing](https://acme.example/pricing).');
    expect(html).toContain('<strong>Pro</strong>');
    expect(html).toMatch(/<ul><li dir="auto">29 dollars a month<\/li><li dir="auto">290 a year<\/li><\/ul>/);
    expect(html).toContain('<a href="https://acme.example/pricing" target="_blank" rel="noopener noreferrer">pricing');
  });

  it('lets every block find its own direction, so Arabic and Hebrew read right to left beside English', () => {
    const html = render('مرحبا، كيف يمكنني المساعدة؟\n\nThe Pro plan costs 29 dollars.\n\n- שלום');
    expect(html).toMatch(/^<div class="md" dir="auto">/);
    expect(html).toContain('<p dir="auto">مرحبا، كيف يمكنني المساعدة؟</p>');
    expect(html).toContain('<p dir="auto">The Pro plan costs 29 dollars.</p>');
    expect(html).toContain('<li dir="auto">שלום</li>');
  });

  it('shows raw HTML as text: no script, no event handler attribute, no element', () => {
    const html = render('Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a> <iframe src="https://evil.example"></iframe>');
    expect(html).not.toMatch(/<script|<img|<iframe|<a /i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    ['java\tscript:alert(1)'],
    ['  javascript:alert(1)'],
    ['javascript&#58;alert(1)'],
    ['vbscript:msgbox(1)'],
    ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['data:text/html,<script>alert(1)</script>'],
    ['/relative/path'],
    ['//evil.example/x'],
    ['blob:https://acme.example/123'],
  ])('renders a link to %j as plain text', (target) => {
    const html = render(`Click [here](${target}) or [there][ref]\n\n[ref]: ${target}`);
    expect(hrefs(html)).toEqual([]);
    expect(html).toContain('here');
  });

  it('keeps mailto and bare web addresses as links', () => {
    const html = render('Write to <mailto:help@acme.example> or visit https://acme.example/help');
    expect(hrefs(html)).toEqual(['mailto:help@acme.example', 'https://acme.example/help']);
  });

  it('never loads images: a safe image becomes a link labelled with its description, others only text', () => {
    const html = render('![Plan table](https://tracker.example/pixel.png) ![x](data:image/png;base64,AAAA) ![](javascript:alert(1))');
    expect(html).not.toMatch(/<img|<link|preload/);
    expect(html).toContain('<a class="md-image" href="https://tracker.example/pixel.png" target="_blank" rel="noopener noreferrer">Image: Plan table');
    expect(hrefs(html)).toEqual(['https://tracker.example/pixel.png']);
    expect(html).toContain('Image: x');
  });

  it('renders headings as bold lines, not page headings', () => {
    expect(render('## Pricing\nText')).not.toMatch(/<h\d/);
  });

  it('turns citation markers into whatever the renderer gives, outside links only', () => {
    const renderCitation: CitationRenderer = (part, key) => createElement('button', { key, 'data-markers': part.markers.join(' ') }, part.raw);
    const html = render('It costs 29 dollars [1]. Both plans [1, 2]. [Docs [3]](https://acme.example)', { renderCitation });
    expect(html).toContain('<button data-markers="1">[1]</button>');
    expect(html).toContain('<button data-markers="1 2">[1, 2]</button>');
    expect(html).not.toContain('data-markers="3"');
    expect(render('It costs 29 dollars [1].')).toContain('[1]');
  });

  it('renders inline snippets with their highlights and escaped asterisks', () => {
    const html = render('The **Pro** plan costs 29 \\* 12 … per **month**', { inline: true });
    expect(html).toBe('<span class="md md--inline" dir="auto"><strong>Pro</strong> plan costs 29 * 12 … per <strong>month</strong></span>'.replace('<strong>Pro', 'The <strong>Pro'));
  });
});

describe('closeOpenMarkdown keeps a streaming reply from flashing raw syntax', () => {
  it.each([
    ['The **Pro pl', 'The **Pro pl**'],
    ['The **Pro plan** is *grea', 'The **Pro plan** is *grea*'],
    ['Costs **', 'Costs '],
    ['See [pricing](https://acme.exa', 'See pricing'],
    ['See [Pric', 'See Pric'],
    ['It costs 29 dollars [1', 'It costs 29 dollars 1'],
    ['Run `npm i', 'Run `npm i`'],
    ['```js\nconst a = 1', '```js\nconst a = 1\n```'],
    ['- one\n* two\n2 * 3 = 6', '- one\n* two\n2 * 3 = 6'],
    ['a \\*literal', 'a \\*literal'],
    ['**done** and [link](https://acme.example) [1].', '**done** and [link](https://acme.example) [1].'],
  ])('%j → %j', (partial, expected) => {
    expect(closeOpenMarkdown(partial)).toBe(expected);
  });

  it('renders a partial bold reply as bold', () => {
    expect(render('The **Pro pl', { streaming: true })).toContain('<strong>Pro pl</strong>');
  });
});

describe('safeLinkUrl', () => {
  it('allows absolute http, https and mailto only', () => {
    expect(safeLinkUrl('https://acme.example/a?b=1#c')).toBe('https://acme.example/a?b=1#c');
    expect(safeLinkUrl('HTTP://ACME.example')).toBe('http://acme.example/');
    expect(safeLinkUrl('mailto:a@b.example')).toBe('mailto:a@b.example');
    expect(safeLinkUrl('tel:+4912345')).toBeNull();
    expect(safeLinkUrl('')).toBeNull();
    expect(safeLinkUrl(undefined)).toBeNull();
  });
});

describe('splitCitationMarkers', () => {
  it('splits text around single and grouped markers', () => {
    expect(splitCitationMarkers('a [1] b [2, 3]')).toEqual(['a ', { markers: [1], raw: '[1]' }, ' b ', { markers: [2, 3], raw: '[2, 3]' }]);
    expect(splitCitationMarkers('no markers [x] [123]')).toEqual(['no markers [x] [123]']);
  });
});
