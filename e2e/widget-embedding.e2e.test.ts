import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from './chat-page.ts';
import { launchChromium } from './chromium.ts';
import { publishDraftChange } from '../server/src/test/provider-chain.ts';
import { publishedBot, type TenantFixture } from '../server/src/test/fixtures.ts';
import { ownerQuery } from '../server/src/test/owner-database.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';

// A host site on its own origin (localhost:<port>, while Mascot listens on 127.0.0.1:<port>), so
// the loader, the iframe and the API really work cross-origin, as on a customer's site.


// Everything a hostile stylesheet can throw at an embedded widget from outside its shadow root.
const HOSTILE_CSS = `
* { all: unset !important; font-size: 40px !important; line-height: 3 !important; }
*, *::before, *::after { box-sizing: content-box !important; transition: all 9s !important; }
iframe { display: none !important; width: 1px !important; height: 1px !important; }
button { background: red !important; width: 300px !important; height: 10px !important; transform: rotate(45deg) !important; }
mascot-widget, body > * { display: none !important; position: static !important; opacity: 0 !important; z-index: -1 !important; }
div, svg, path { visibility: hidden !important; }
`;

let server: TestServer;
let browser: Browser;
let hostServer: Server;
let hostOrigin: string;
let chatBot: TenantFixture;
let delayedBot: TenantFixture;
let foreignOnlyBot: TenantFixture;
let desktopOnlyBot: TenantFixture;

/** A published bot answering from the price list, its draft changed by `patch` before publishing. */
async function botWith(patch: (draft: Record<string, any>) => Record<string, any>): Promise<TenantFixture> {
  const bot = await publishedBot(server.graphqlUrl);
  await publishDraftChange(server.graphqlUrl, bot, patch);
  return bot;
}

const placement = (draft: Record<string, any>, change: Record<string, unknown>) => ({ ...draft['placement'], ...change });

/**
 * The host site. `/<page>?bot=<embed id>` embeds that bot under a strict nonce CSP; the page's own
 * inline script (with the nonce) queues host-API calls before the loader runs and records CSP
 * violations and page events. `?css=hostile` adds the hostile stylesheet.
 */
function hostPage(url: URL): { status: number; headers: Record<string, string>; body: string } {
  const nonce = randomBytes(16).toString('base64');
  const bot = url.searchParams.get('bot') ?? '';
  const css = url.searchParams.get('css') === 'hostile' ? `<style nonce="${nonce}">${HOSTILE_CSS}</style>` : '';
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `script-src 'nonce-${nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'`,
    },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${css}
<script nonce="${nonce}">
  window.__violations = [];
  window.__events = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  // The documented stub: calls made before embed.js has loaded are queued and replayed.
  window.Mascot = window.Mascot || { q: [] };
  for (const name of ['ready', 'open', 'close', 'message', 'lead']) {
    window.Mascot.q.push(['on', name, (detail) => window.__events.push({ name, detail })]);
  }
  // A broken host handler must not break the widget or the page.
  window.Mascot.q.push(['on', 'open', () => { throw new Error('host handler bug'); }]);
</script>
<script nonce="${nonce}" src="${server.url}/embed.js" data-bot="${bot}" async></script>
</head><body><main><h1>Our shop</h1><button id="buy" type="button">Buy</button><p id="bought"></p></main>
<script nonce="${nonce}">
  document.getElementById('buy').addEventListener('click', () => { document.getElementById('bought').textContent = 'Thanks!'; });
</script></body></html>`,
  };
}

async function openHostPage(path: string, bot: TenantFixture | string, options: { css?: 'hostile'; viewport?: { width: number; height: number } } = {}) {
  const page = await browser.newPage(options.viewport ? { viewport: options.viewport } : {});
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(`csp: ${message.text()}`);
  });
  const embedId = typeof bot === 'string' ? bot : bot.embedId;
  // The loader's config request: answered (any status), or failed when CORS keeps the answer from the page.
  const isConfig = (url: string) => url.includes('/widget/config/');
  const configLoaded = Promise.race([
    page.waitForResponse((response) => isConfig(response.url())).then((response) => ({ status: response.status(), readable: true })),
    page.waitForEvent('requestfailed', (request) => isConfig(request.url())).then(() => ({ status: null, readable: false })),
  ]);
  await page.goto(`${hostOrigin}${path}?bot=${encodeURIComponent(embedId)}${options.css ? `&css=${options.css}` : ''}`);
  const config = await configLoaded;
  return { page, problems, config };
}

const hostEvents = (page: Page) => page.evaluate(() => (globalThis as unknown as { __events: { name: string; detail?: any }[] }).__events);
const violations = (page: Page) => page.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations);
const conversationCount = async (bot: TenantFixture) =>
  (await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from conversation where bot_id = $1', [bot.botId]))[0]!.n;

async function askAndWaitForReply(page: Page, question: string): Promise<string> {
  const chat = page.frameLocator('iframe[title]');
  await ask(chat, question);
  const log = chat.getByRole('log');
  await expect.poll(async () => /29 dollars per month/.test(await log.innerText()) && (await chat.getByText('Sources').count()) > 0, { timeout: 20_000 }).toBe(true);
  return log.innerText();
}

beforeAll(async () => {
  server = await startTestServer({ MASCOT_OFFLINE_TOKEN_DELAY_MS: '10' });
  hostServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    const page = hostPage(url);
    res.writeHead(page.status, page.headers).end(page.body);
  });
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://localhost:${(hostServer.address() as AddressInfo).port}`;
  chatBot = await botWith((draft) => ({
    ...draft,
    allowedOrigins: [hostOrigin],
    placement: placement(draft, { exclude: ['/checkout/*'] }),
    theme: { ...draft['theme'], primaryColor: '#0f766e' },
  }));
  delayedBot = await botWith((draft) => ({ ...draft, placement: placement(draft, { delaySeconds: 3, position: 'bottom-left' }) }));
  foreignOnlyBot = await botWith((draft) => ({ ...draft, allowedOrigins: ['https://shop.example.com'] }));
  desktopOnlyBot = await botWith((draft) => ({ ...draft, placement: placement(draft, { devices: ['desktop'] }) }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => hostServer?.close(resolve));
  await server?.stop();
});

describe('the widget on a cross-origin host page', () => {
  it('works under a strict nonce CSP: streamed cited reply, host events, no violation', async () => {
    const { page, problems } = await openHostPage('/products', chatBot);
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.click();
    const reply = await askAndWaitForReply(page, 'How much does the Pro plan cost?');
    expect(reply).toMatch(/\[1\]/);

    // The host API heard it all, through the stub queued before the loader ran.
    await expect.poll(async () => (await hostEvents(page)).filter((event) => event.name === 'message').length, { timeout: 10_000 }).toBe(2);
    const events = await hostEvents(page);
    expect(events.map((event) => event.name)).toEqual(['ready', 'open', 'message', 'message']);
    expect(events[2]!.detail).toEqual({ role: 'visitor', text: 'How much does the Pro plan cost?' });
    expect(events[3]!.detail.role).toBe('assistant');
    expect(events[3]!.detail.text).toMatch(/29 dollars per month/);
    // The visitor's session is recorded with the host page and the loader's visitor id.
    const [row] = await ownerQuery<{ host_origin: string; visitor_id: string }>(
      server.databaseUrl, 'select host_origin, visitor_id from conversation where bot_id = $1', [chatBot.botId],
    );
    const storedVisitor = await page.evaluate(() => (globalThis as any).localStorage.getItem('mascot:visitor'));
    expect(row).toEqual({ host_origin: hostOrigin, visitor_id: storedVisitor });

    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens and closes through the versioned host API', async () => {
    const { page, problems } = await openHostPage('/products', chatBot);
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).Mascot.version)).toBe(1);
    await page.evaluate(() => (globalThis as any).Mascot.open());
    const frame = page.locator('iframe[title="Chat"]');
    await expect.poll(() => frame.isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Close chat' }).isVisible()).toBe(true);
    await page.evaluate(() => (globalThis as any).Mascot.close());
    await expect.poll(() => frame.isVisible()).toBe(false);
    await page.evaluate(() => (globalThis as any).Mascot.toggle());
    await expect.poll(() => frame.isVisible()).toBe(true);
    // Escape inside the chat closes it and gives focus back to the launcher. As for a visitor, the key
    // is pressed once the chat shows its composer; wherever the keyboard is by then (the chat's own
    // document, or the frame element while focus is still being handed over), Escape must close it.
    const composer = page.frameLocator('iframe[title]').getByLabel('Message');
    await composer.waitFor();
    await composer.press('Escape');
    // Keydown in the frame, a postMessage to the host, the loader closing: more than expect.poll's
    // default second on a busy machine.
    await expect.poll(() => frame.isVisible(), { timeout: 10_000 }).toBe(false);
    expect((await hostEvents(page)).map((event) => event.name)).toEqual(['ready', 'open', 'close', 'open', 'close']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("prefills the contact form from identify() and tells the host about the lead, not its details", async () => {
    const { page, problems } = await openHostPage('/account', chatBot);
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    await page.evaluate(() => {
      const api = (globalThis as any).Mascot;
      api.identify({ id: 'customer-42', name: 'Ada Lovelace', email: 'ada@example.com' });
      api.open();
    });
    const chat = page.frameLocator('iframe[title]');
    await ask(chat, 'What is the capital of Peru?');
    // The bot cannot answer that from its knowledge and offers a person; nobody of the team is online
    // here, so accepting brings the contact form (issue 14: handoff by the visitor's choice).
    await chat.getByRole('button', { name: 'Yes, connect me' }).click({ timeout: 20_000 });
    const name = chat.getByLabel(/^Name/);
    await expect.poll(() => name.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await name.inputValue()).toBe('Ada Lovelace');
    expect(await chat.getByLabel(/^E-?mail/i).inputValue()).toBe('ada@example.com');
    // Nothing the host page said was stored: only the visitor's own submission makes a lead.
    const leads = () => ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from lead where bot_id = $1', [chatBot.botId]);
    expect((await leads())[0]!.n).toBe(0);
    await chat.getByRole('checkbox').check();
    await chat.getByRole('button', { name: /send my details/i }).click();
    await expect.poll(async () => (await hostEvents(page)).some((event) => event.name === 'lead'), { timeout: 10_000 }).toBe(true);
    expect((await hostEvents(page)).find((event) => event.name === 'lead')!.detail).toBeUndefined();
    expect((await leads())[0]!.n).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('is not changed by aggressive global CSS on the host page', async () => {
    const measure = async (css?: 'hostile') => {
      const { page, problems } = await openHostPage('/products', chatBot, css ? { css } : {});
      const launcher = page.getByRole('button', { name: 'Open chat' });
      await launcher.waitFor();
      const closed = await launcher.boundingBox();
      const colour = await launcher.evaluate((button) => (globalThis as any).getComputedStyle(button).backgroundColor);
      await launcher.click();
      const frame = page.locator('iframe[title="Chat"]');
      await expect.poll(() => frame.isVisible()).toBe(true);
      const panel = await frame.boundingBox();
      const greeting = page.frameLocator('iframe[title]').getByText(/Pip/).first();
      await expect.poll(() => greeting.isVisible(), { timeout: 20_000 }).toBe(true);
      await page.close();
      return { closed, colour, panel, problems };
    };
    const plain = await measure();
    const hostile = await measure('hostile');
    expect(plain.colour).toBe('rgb(15, 118, 110)'); // the bot's primary colour
    expect(hostile.closed).toEqual(plain.closed);
    expect(hostile.colour).toBe(plain.colour);
    expect(hostile.panel).toEqual(plain.panel);
    expect(plain.panel).toMatchObject({ width: 380, height: 600 });
    expect(hostile.problems).toEqual([]);
  });

  it('opens full-screen on a 360×640 screen', async () => {
    const { page } = await openHostPage('/products', chatBot, { viewport: { width: 360, height: 640 } });
    await page.getByRole('button', { name: 'Open chat' }).click();
    const frame = page.locator('iframe[title="Chat"]');
    await expect.poll(() => frame.isVisible()).toBe(true);
    expect(await frame.boundingBox()).toEqual({ x: 0, y: 0, width: 360, height: 640 });
    await page.close();
  });
});

describe('placement', () => {
  it('stays off excluded pages and devices it is not for', async () => {
    const excluded = await openHostPage('/checkout/pay', chatBot);
    await excluded.page.waitForLoadState('networkidle');
    expect(excluded.config.status).toBe(200);
    expect(await excluded.page.locator('mascot-widget').count()).toBe(0);
    await excluded.page.close();

    const phone = await openHostPage('/products', desktopOnlyBot, { viewport: { width: 360, height: 640 } });
    await phone.page.waitForLoadState('networkidle');
    expect(await phone.page.locator('mascot-widget').count()).toBe(0);
    await phone.page.close();
  });

  it('follows the URL of a single-page site', async () => {
    const { page } = await openHostPage('/products', chatBot);
    const widget = page.locator('mascot-widget');
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.evaluate(() => (globalThis as any).history.pushState(null, '', '/checkout/pay'));
    await expect.poll(() => widget.isVisible(), { timeout: 5_000 }).toBe(false);
    expect((await hostEvents(page)).map((event) => event.name)).toContain('close');
    await page.goBack();
    await expect.poll(() => widget.isVisible(), { timeout: 5_000 }).toBe(true);
    await page.close();
  });

  it('shows the launcher only after the delay, on the configured side', async () => {
    const { page } = await openHostPage('/products', delayedBot);
    await page.waitForLoadState('networkidle');
    // The configuration is in, and the three-second delay has not passed.
    expect(await page.locator('mascot-widget').count()).toBe(0);
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.waitFor({ timeout: 10_000 });
    expect((await launcher.boundingBox())!.x).toBe(20);
    await page.close();
  });
});

describe('a host page off the allowlist, and broken embeds', () => {
  it('gets no widget and no session, and the page keeps working', async () => {
    const { page, config } = await openHostPage('/products', foreignOnlyBot);
    // A 403 without CORS headers: the page cannot even read why.
    expect(config.readable).toBe(false);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('mascot-widget').count()).toBe(0);
    await page.click('#buy');
    expect(await page.textContent('#bought')).toBe('Thanks!');

    // Faking the loader's work does not help: the browser refuses to frame the chat here.
    const refused = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await page.evaluate(([mascot, embedId]) => {
      const doc = (globalThis as any).document;
      const frame = doc.createElement('iframe');
      frame.src = `${mascot}/widget/?bot=${embedId}&host=${encodeURIComponent('https://shop.example.com')}`;
      doc.body.append(frame);
    }, [server.url, foreignOnlyBot.embedId]);
    await refused;
    expect(await conversationCount(foreignOnlyBot)).toBe(0);
    await page.close();
  });

  it('never throws into the host page for an unknown bot', async () => {
    const { page, problems, config } = await openHostPage('/products', 'bot_doesnotexist123');
    const warnings: string[] = [];
    page.on('console', (message) => warnings.push(message.text()));
    expect(config.status).toBe(404);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('mascot-widget').count()).toBe(0);
    // The API still answers calls without throwing.
    expect(await page.evaluate(() => {
      const api = (globalThis as any).Mascot;
      api.open();
      api.identify({ id: 42 });
      api.on('nonsense', 1);
      api.close();
      return api.version;
    })).toBe(1);
    await page.click('#buy');
    expect(await page.textContent('#bought')).toBe('Thanks!');
    expect(problems.filter((problem) => problem.startsWith('pageerror'))).toEqual([]);
    await page.close();
  });
});
