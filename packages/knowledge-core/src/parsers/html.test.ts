import { describe, expect, it } from 'vitest';
import { parseDocument, ParseError } from './index.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const markdownOf = async (html: string): Promise<string> =>
  (await parseDocument('html', encode(html))).sections[0]?.markdown ?? '';

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <title> Acme Help   Center </title>
  <style>.hero { color: red }</style>
  <script>window.track('<p>tracking</p>');</script>
</head>
<body>
  <header><a href="/"><img src="logo.png" alt="Acme logo"></a><nav><ul><li><a href="/blog">Blog</a></li></ul></nav></header>
  <div class="cookie" hidden>We use cookies</div>
  <main>
    <h1>Getting started</h1>
    <p>Welcome to <a href="https://acme.example">Acme</a>, the <em>friendliest</em> mascot platform.</p>
    <h2>Prices</h2>
    <table>
      <thead><tr><th>Plan</th><th align="right">Price</th></tr></thead>
      <tbody><tr><td>Pro</td><td>$29 | month</td></tr><tr><td>Team</td><td><p>$99</p><p>billed yearly</p></td></tr></tbody>
    </table>
    <h2>Steps</h2>
    <ol><li>Sign up</li><li>Create a bot<ul><li>Give it a name</li></ul></li></ol>
    <pre><code>npm install @acme/widget</code></pre>
    <aside>Related articles</aside>
    <form><label>Email <input name="email"></label><button>Subscribe</button></form>
  </main>
  <footer>© 2026 Acme · <a href="/privacy">Privacy</a></footer>
  <script>console.log('late')</script>
</body>
</html>`;

// The first test also loads linkedom and turndown; allow for a busy machine.
describe('parseDocument for HTML', { timeout: 20_000 }, () => {
  it('keeps the main content as Markdown headings, paragraphs, lists and code', async () => {
    const markdown = await markdownOf(PAGE);
    expect(markdown).toMatch(/^# Getting started\n\nWelcome to Acme, the friendliest mascot platform\.\n\n## Prices\n/);
    expect(markdown).toContain('## Steps\n\n1. Sign up\n2. Create a bot\n   - Give it a name');
    expect(markdown).toContain('```\nnpm install @acme/widget\n```');
  });

  it('drops scripts, styles, navigation, page header and footer, sidebars, form controls and hidden elements', async () => {
    const markdown = await markdownOf(PAGE);
    for (const dropped of ['tracking', 'color: red', 'Blog', 'Acme logo', 'cookies', 'Related articles', 'Subscribe', '© 2026', 'late']) {
      expect(markdown).not.toContain(dropped);
    }
  });

  it('keeps the text of links without their addresses', async () => {
    const markdown = await markdownOf(PAGE);
    expect(markdown).toContain('Welcome to Acme,');
    expect(markdown).not.toContain('acme.example');
  });

  it('converts tables to pipe tables, escaping pipes and flattening multi-paragraph cells', async () => {
    expect(await markdownOf(PAGE)).toContain('| Plan | Price |\n| --- | --- |\n| Pro | $29 \\| month |\n| Team | $99 billed yearly |');
  });

  it('uses the first row as the header of a table that marks none, and fills spanned cells', async () => {
    const markdown = await markdownOf('<table><tr><td>Day</td><td>Hours</td></tr><tr><td>Mon</td><td>9-17</td></tr><tr><td colspan="2">Closed on holidays</td></tr></table>');
    expect(markdown).toBe('| Day | Hours |\n| --- | --- |\n| Mon | 9-17 |\n| Closed on holidays |  |');
  });

  it('takes the title from <title>, else from the first <h1>', async () => {
    expect((await parseDocument('html', encode(PAGE))).title).toBe('Acme Help Center');
    expect((await parseDocument('html', encode('<body><h2>Intro</h2><p>a</p><h1>Main topic</h1></body>'))).title).toBe('Main topic');
    expect((await parseDocument('html', encode('<p>No headings here.</p>'))).title).toBeNull();
  });

  it('reads fragments and pages without <body>, whole', async () => {
    expect(await markdownOf('<p>Just a <b>fragment</b></p><h2>Sub</h2><p>Body</p>')).toBe('Just a **fragment**\n\n## Sub\n\nBody');
    const document = await parseDocument('html', encode('<html><head><title>T</title></head><p>No body tag</p></html>'));
    expect(document).toEqual({ title: 'T', sections: [{ markdown: 'No body tag', page: null }], warnings: [] });
  });

  it('uses only a lone <article> when there is no <main>', async () => {
    expect(await markdownOf('<body><div>Site menu</div><article><h1>Post</h1><p>Text</p></article></body>')).toBe('# Post\n\nText');
  });

  it('escapes text that would otherwise become a heading or list item', async () => {
    expect(await markdownOf('<p># not a heading</p><p>- not a list</p>')).toBe('\\# not a heading\n\n\\- not a list');
  });

  it('decodes a page in its declared legacy charset when it is not UTF-8', async () => {
    const latin1 = new Uint8Array([...encode('<meta charset="windows-1252"><p>Caf'), 0xe9, ...encode(' cr'), 0xe8, ...encode('me</p>')]);
    expect((await parseDocument('html', latin1)).sections[0]?.markdown).toBe('Café crème');
  });

  it('rejects pages without content, binary data and invalid UTF-8 with typed errors', async () => {
    const codeOf = async (bytes: Uint8Array): Promise<string> =>
      parseDocument('html', bytes).then(() => 'parsed', (error: unknown) => (error instanceof ParseError ? error.code : 'other'));
    expect(await codeOf(encode('<html><body><nav>Menu</nav><script>x()</script></body></html>'))).toBe('EMPTY');
    expect(await codeOf(encode('   '))).toBe('EMPTY');
    expect(await codeOf(new Uint8Array([0x3c, 0x70, 0x3e, 0x00, 0x01, 0x02]))).toBe('MALFORMED');
    expect(await codeOf(new Uint8Array([0x3c, 0x70, 0x3e, 0xff, 0xfe, 0x41]))).toBe('MALFORMED');
  });
});
