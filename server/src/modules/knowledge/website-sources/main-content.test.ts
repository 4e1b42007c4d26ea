import { describe, expect, it } from 'vitest';
import { htmlToMainContent } from './main-content.ts';

const filler = 'Our bicycles are assembled by hand in Leipzig and tested on the road before they ship to you. '.repeat(4);

describe('htmlToMainContent', () => {
  it('keeps the marked main content, drops cookie banners, and reads links before anything is removed', () => {
    const { html, title, links } = htmlToMainContent(
      `<html><head><title>Returns | Shop</title><base href="/docs/"></head><body>
        <nav><a href="/">Home</a><a href="mailto:x@y.z">Mail</a></nav>
        <div class="CookieConsent">We use cookies. <a href="privacy#top">Privacy</a></div>
        <main><h1>Returns</h1><p>Within 45 days.</p><a href="https://other.example/x#y" rel="nofollow">Other</a></main>
        <footer>Imprint</footer></body></html>`,
      'https://shop.example/docs/returns',
    );
    expect(title).toBe('Returns | Shop');
    expect(links).toEqual(['https://shop.example/', 'https://shop.example/docs/privacy']);
    expect(html).toContain('Within 45 days.');
    for (const chrome of ['cookies', 'Home', 'Imprint']) expect(html).not.toContain(chrome);
  });

  it('lets Readability find the content of a page that marks none, and keeps a long element that only mentions consent', () => {
    const { html } = htmlToMainContent(
      `<html><head><title>Story</title></head><body>
        <div class="menu"><a href="/a">A</a> <a href="/b">B</a> <a href="/c">C</a></div>
        <div class="content"><h2>Made in Leipzig</h2><p>${filler}</p><p>${filler}</p></div>
        <div class="consent-page-text"><p>${'Consent to data processing is described in full on this page. '.repeat(20)}</p></div>
      </body></html>`,
      'https://shop.example/story',
    );
    expect(html).toContain('Made in Leipzig');
    expect(html).toContain('<main>');
  });

  it('keeps the whole body when there is too little text for Readability to judge', () => {
    const { html } = htmlToMainContent('<p>Open daily from 9 to 5.</p>', 'https://shop.example/hours');
    expect(html).toContain('Open daily from 9 to 5.');
  });
});
