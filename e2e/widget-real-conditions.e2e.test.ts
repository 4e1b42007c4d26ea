import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from './chat-page.ts';
import { launchChromium } from './chromium.ts';
import { publishDraftChange } from '../server/src/test/provider-chain.ts';
import { publishedBot, type TenantFixture } from '../server/src/test/fixtures.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { ownerQuery } from '../server/src/test/owner-database.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';

// The widget in real conditions (issue 14), on a host site of its own origin, on a desktop and a
// 360×640 phone: replies that come while the panel is closed (badge, preview, host event, chime,
// flashing title), the teaser, right-to-left text, the contact form in short windows, hostile host
// layouts (a transformed body, a late overlay at the maximum z-index), dark mode, the phone's
// modal chat and "New conversation", the message limit, and slow networks. Each state is
// photographed; MASCOT_UPDATE_SCREENSHOTS=1 writes the pictures to docs/widget/.

const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/widget')
  : path.join(tmpdir(), 'mascot-widget-screenshots');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 640 };
const DEVICES = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const;

let server: TestServer;
let browser: Browser;
let hostServer: Server;
let hostOrigin: string;
/** The same host server on 127.0.0.1: cross-origin but same-site with Mascot, so the chat's storage works. */
let sameSiteHostOrigin: string;
/** Teaser after one second (per-page text on /pricing), chime on. */
let bot: TenantFixture;
/** A bot with a 3D avatar, for the slow-network case. */
let avatarBot: TenantFixture;

const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!) { takeOverConversation(conversationId: $conversationId, displayName: "Grace") { conversation { status } } }`;
const SAY = /* GraphQL */ `
  mutation Say($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id } }`;

/**
 * The host site: `/<page>?bot=<embed id>` embeds the bot; `&layout=transform` puts a `transform` on
 * <body> (which anchors position:fixed to the body for everything not in the top layer). The page
 * records host events, and stands in for Web Audio to count the chime's tones.
 */
function hostPage(url: URL): string {
  const embedId = url.searchParams.get('bot') ?? '';
  const transform = url.searchParams.get('layout') === 'transform'
    ? '<style>body { transform: translateX(0) scale(1); margin: 0; }</style>'
    : '<style>body { margin: 0; }</style>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${transform}
<style>main { min-height: 3000px; padding: 24px; font: 16px system-ui; background: linear-gradient(#f0f9ff, #fef3c7); }</style>
<script>
  window.__events = [];
  window.__tones = 0;
  window.AudioContext = class {
    constructor() { this.currentTime = 0; this.destination = {}; }
    resume() { return Promise.resolve(); }
    createOscillator() { return { frequency: { value: 0 }, connect: (next) => next, start: () => { window.__tones++; }, stop() {} }; }
    createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (next) => next }; }
  };
  window.Mascot = window.Mascot || { q: [] };
  for (const name of ['ready', 'open', 'close', 'message', 'lead']) {
    window.Mascot.q.push(['on', name, (detail) => window.__events.push({ name, detail })]);
  }
</script>
<script src="${server.url}/embed.js" data-bot="${embedId}" async></script>
</head><body><main><h1>Our shop</h1><p>Plans, prices and help.</p><button id="buy" type="button">Buy</button></main></body></html>`;
}

interface Opened {
  page: Page;
  launcher: Locator;
  chat: FrameLocator;
}

async function openHost(path: string, target: TenantFixture, options: BrowserContextOptions & { layout?: 'transform' } = {}): Promise<Opened> {
  const { layout, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: DESKTOP, ...contextOptions });
  const page = await context.newPage();
  await page.goto(`${hostOrigin}${path}?bot=${encodeURIComponent(target.embedId)}${layout ? `&layout=${layout}` : ''}`);
  const launcher = page.locator('mascot-widget #l');
  await launcher.waitFor({ timeout: 15_000 });
  return { page, launcher, chat: page.frameLocator('iframe[title="Chat"]') };
}

async function openPanel(opened: Opened): Promise<void> {
  await opened.launcher.click();
  await expect.poll(() => opened.page.locator('iframe[title="Chat"]').isVisible()).toBe(true);
  await expect.poll(() => opened.chat.getByRole('button', { name: 'Send', exact: true }).count(), { timeout: 20_000 }).toBe(1);
}

const hostEvents = (page: Page) => page.evaluate(() => (globalThis as unknown as { __events: { name: string; detail?: any }[] }).__events);
const tones = (page: Page) => page.evaluate(() => (globalThis as unknown as { __tones: number }).__tones);

/**
 * The newest conversation of `target` (each test starts one and they run one after another). Read
 * from the database: the chat's own storage is third-party on the host page, and Chromium blocks it.
 */
async function latestConversationId(target: TenantFixture): Promise<string> {
  const [row] = await ownerQuery<{ id: string }>(
    server.databaseUrl, 'select id from conversation where bot_id = $1 order by created_at desc limit 1', [target.botId],
  );
  return row!.id;
}

/** Emulates the tab being hidden or shown again, as switching tabs does. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    const doc = (globalThis as any).document;
    if (hide) {
      Object.defineProperty(doc, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(doc, 'visibilityState', { configurable: true, get: () => 'hidden' });
    } else {
      delete doc.hidden;
      delete doc.visibilityState;
    }
    doc.dispatchEvent(new (globalThis as any).Event('visibilitychange'));
  }, hidden);
}

async function shoot(page: Page, name: string): Promise<void> {
  // Let transitions and the streaming cursor settle.
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Whether `inner` lies wholly inside `outer` (boxes in page coordinates). */
function inside(inner: { x: number; y: number; width: number; height: number } | null, outer: { x: number; y: number; width: number; height: number } | null): boolean {
  if (!inner || !outer) return false;
  return inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
}

beforeAll(async () => {
  // Slow enough tokens that a panel closed right after asking is closed before the reply ends.
  server = await startTestServer({ MASCOT_OFFLINE_TOKEN_DELAY_MS: '40' });
  hostServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(url));
  });
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://localhost:${(hostServer.address() as AddressInfo).port}`;
  sameSiteHostOrigin = `http://127.0.0.1:${(hostServer.address() as AddressInfo).port}`;
  bot = await publishedBot(server.graphqlUrl);
  await publishDraftChange(server.graphqlUrl, bot, (draft) => ({
    ...draft,
    allowedOrigins: [hostOrigin, sameSiteHostOrigin],
    engagement: {
      teaser: { enabled: true, delaySeconds: 1, text: null, pages: [{ include: ['/pricing*'], text: 'Questions about our plans? Ask me!' }] },
      sound: true,
    },
  }));
  avatarBot = await publishedBot(server.graphqlUrl);
  await publishDraftChange(server.graphqlUrl, avatarBot, (draft) => ({ ...draft, avatar: { ...draft['avatar'], kind: 'builtin', id: 'milo' } }));
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => hostServer?.close(resolve));
  await server?.stop();
});

describe.each(DEVICES)('replies never missed (%s)', (device, viewport) => {
  it('counts a late reply and an agent message while the panel is closed: badge, preview, host event, chime, title', async () => {
    const opened = await openHost('/products', bot, { viewport });
    const { page, launcher, chat } = opened;
    await openPanel(opened);
    await ask(chat, 'How much does the Pro plan cost?');
    // Closed at once: the reply finishes while the visitor cannot see it.
    await launcher.click();
    const badge = page.locator('mascot-widget #n');
    const preview = page.locator('mascot-widget #t');
    const previewText = page.locator('mascot-widget #o');
    await expect.poll(() => badge.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await badge.textContent()).toBe('1');
    expect(await previewText.innerText()).toMatch(/^Pip\s+[\s\S]*29 dollars/);
    expect(await launcher.getAttribute('aria-label')).toBe('Open chat, 1 unread');
    await expect.poll(async () => (await hostEvents(page)).filter((e) => e.name === 'message' && e.detail.role === 'assistant').length).toBe(1);
    expect((await hostEvents(page)).find((e) => e.detail?.role === 'assistant')!.detail.authorName).toBe('Pip');
    expect(await tones(page)).toBe(2);

    // A person of the team takes over and writes, the panel still closed.
    const conversationId = await latestConversationId(bot);
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId }, bot.accessToken);
    await graphqlOk(server.graphqlUrl, SAY, { conversationId, text: 'Hi, **Grace** here. Can I help with your order?' }, bot.accessToken);
    await expect.poll(() => badge.textContent(), { timeout: 20_000 }).toBe('2');
    expect(await previewText.innerText()).toMatch(/^Grace\s+Hi, Grace here\. Can I help with your order\?$/);
    const agentEvent = (await hostEvents(page)).find((e) => e.name === 'message' && e.detail.role === 'agent');
    expect(agentEvent!.detail).toEqual({ role: 'agent', text: 'Hi, **Grace** here. Can I help with your order?', authorName: 'Grace' });
    expect(await tones(page)).toBe(4);
    await shoot(page, `real-conditions-unread-${device}`);

    // The visitor switches to another tab: this one is hidden, and its title flashes for the next
    // message. (Headless Chromium keeps every tab visible, so the page is told it is hidden.)
    await setHidden(page, true);
    await graphqlOk(server.graphqlUrl, SAY, { conversationId, text: 'Are you still there?' }, bot.accessToken);
    const titles = new Set<string>();
    await expect.poll(async () => {
      titles.add(await page.title());
      return titles.has('(1) Grace: Are you still there?') && titles.has('Shop');
    }, { timeout: 20_000, interval: 200 }).toBe(true);
    expect(await tones(page)).toBe(6);
    await setHidden(page, false);
    await expect.poll(() => page.title()).toBe('Shop');
    await page.waitForTimeout(1_200);
    expect(await page.title()).toBe('Shop');

    // The preview opens the chat: the count is gone and the agent's message is there.
    await page.locator('mascot-widget #o').click();
    await expect.poll(() => chat.locator('.bubble--agent').count(), { timeout: 20_000 }).toBe(2);
    expect(await badge.isVisible()).toBe(false);
    expect(await preview.isVisible()).toBe(false);
    expect(await launcher.getAttribute('aria-label')).toBe('Close chat');
    await page.context().close();
  });

  it('shows the teaser after its delay, per page, and remembers that it was dismissed', async () => {
    const pricing = await openHost('/pricing', bot, { viewport });
    const teaser = pricing.page.locator('mascot-widget #t');
    await expect.poll(() => teaser.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await pricing.page.locator('mascot-widget #o').innerText()).toBe('Questions about our plans? Ask me!');
    await shoot(pricing.page, `real-conditions-teaser-${device}`);
    await pricing.page.locator('mascot-widget #x').click();
    expect(await teaser.isVisible()).toBe(false);
    // Remembered for this visitor: the next page shows none.
    await pricing.page.goto(`${hostOrigin}/products?bot=${bot.embedId}`);
    await pricing.page.locator('mascot-widget #l').waitFor();
    await pricing.page.waitForTimeout(2_000);
    expect(await pricing.page.locator('mascot-widget #t').isVisible()).toBe(false);
    await pricing.page.context().close();

    // Another visitor on another page: the bot's greeting.
    const products = await openHost('/products', bot, { viewport });
    const greeting = products.page.locator('mascot-widget #t');
    await expect.poll(() => greeting.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await products.page.locator('mascot-widget #o').innerText()).toBe("Hi! I'm Pip. How can I help you today?");
    // Opening the chat counts as answering it.
    await products.page.locator('mascot-widget #o').click();
    await expect.poll(() => products.page.locator('iframe[title="Chat"]').isVisible()).toBe(true);
    expect(await products.page.evaluate((key) => (globalThis as any).localStorage.getItem(key), `mascot:teaser:${bot.embedId}`)).toBe('1');
    await products.page.context().close();
  });
});

describe('replies never missed across pages', () => {
  it('keeps a recent conversation connected on the next page, so an agent who answers there is heard', async () => {
    // On 127.0.0.1 the chat frame is same-site and may keep the conversation in its storage (on the
    // localhost pages above Chromium blocks it, and the loader then does not reconnect in the background).
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${sameSiteHostOrigin}/products?bot=${bot.embedId}`);
    const opened: Opened = { page, launcher: page.locator('mascot-widget #l'), chat: page.frameLocator('iframe[title="Chat"]') };
    await openPanel(opened);
    await ask(opened.chat, 'How much does the Pro plan cost?');
    await expect.poll(() => opened.chat.locator('.bubble--assistant.bubble--complete').count(), { timeout: 30_000 }).toBe(2);
    const conversationId = await latestConversationId(bot);
    await opened.launcher.click();

    // The next page: the chat reconnects in a hidden frame without being opened.
    await page.goto(`${sameSiteHostOrigin}/pricing?bot=${bot.embedId}`);
    await page.locator('mascot-widget #l').waitFor();
    const frame = page.locator('iframe[title="Chat"]');
    await expect.poll(() => frame.count(), { timeout: 10_000 }).toBe(1);
    expect(await frame.isVisible()).toBe(false);
    await page.waitForTimeout(1_500);
    expect(await page.locator('mascot-widget #n').isVisible()).toBe(false);
    // The same conversation, resumed, not a new one.
    expect(await latestConversationId(bot)).toBe(conversationId);

    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId }, bot.accessToken);
    await graphqlOk(server.graphqlUrl, SAY, { conversationId, text: 'Grace here, I saw your question about the Pro plan.' }, bot.accessToken);
    const badge = page.locator('mascot-widget #n');
    await expect.poll(() => badge.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await badge.textContent()).toBe('1');
    expect(await page.locator('mascot-widget #o').innerText()).toMatch(/^Grace\s+Grace here, I saw your question/);

    // Still unread on the page after that, and heard only once.
    await page.goto(`${sameSiteHostOrigin}/products?bot=${bot.embedId}`);
    await page.locator('mascot-widget #l').waitFor();
    await page.waitForTimeout(1_500);
    expect(await page.locator('mascot-widget #n').textContent()).toBe('1');
    expect(await page.locator('mascot-widget #l').getAttribute('aria-label')).toBe('Open chat, 1 unread');
    await context.close();
  });
});

describe('the panel in real conditions', () => {
  it('lays out right-to-left and mixed scripts per message and in the composer', async () => {
    const opened = await openHost('/products', bot);
    await openPanel(opened);
    const { chat, page } = opened;
    await ask(chat, 'كم سعر الخطة الاحترافية؟ Pro plan');
    const mine = chat.locator('.bubble--visitor .bubble__text').last();
    await mine.waitFor();
    expect(await mine.getAttribute('dir')).toBe('auto');
    expect(await mine.evaluate((el) => (globalThis as any).getComputedStyle(el).direction)).toBe('rtl');
    // The greeting stays left to right; every Markdown block finds its own direction.
    const greeting = chat.locator('.bubble--assistant .md').first();
    expect(await greeting.getAttribute('dir')).toBe('auto');
    expect(await greeting.evaluate((el) => (globalThis as any).getComputedStyle(el).direction)).toBe('ltr');
    // A person of the team answers in Arabic with an English name in it: right to left.
    const conversationId = await latestConversationId(bot);
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId }, bot.accessToken);
    await graphqlOk(server.graphqlUrl, SAY, { conversationId, text: 'مرحبا! خطة Pro تكلف 29 دولارا في الشهر.\n\nAnd in English: 29 dollars a month.' }, bot.accessToken);
    const agentParagraphs = chat.locator('.bubble--agent .md p');
    await expect.poll(() => agentParagraphs.count(), { timeout: 20_000 }).toBe(2);
    expect(await agentParagraphs.nth(0).evaluate((el) => (globalThis as any).getComputedStyle(el).direction)).toBe('rtl');
    expect(await agentParagraphs.nth(1).evaluate((el) => (globalThis as any).getComputedStyle(el).direction)).toBe('ltr');
    const input = chat.getByLabel('Message', { exact: true });
    await input.fill('שלום, מה שעות הפתיחה?');
    expect(await input.evaluate((el) => (globalThis as any).getComputedStyle(el).direction)).toBe('rtl');
    await shoot(page, 'real-conditions-rtl-desktop');
    await page.context().close();
  });

  it.each([
    ['1280x650', { width: 1280, height: 650 }],
    ['1280x800', DESKTOP],
    ['360x640', PHONE],
  ] as const)('keeps the transcript and the contact form buttons in view at %s', async (name, viewport) => {
    const opened = await openHost('/products', bot, { viewport });
    await openPanel(opened);
    const { chat, page } = opened;
    // Asking for a person outright: the wait for one shows the handoff banner, and the contact form
    // is offered meanwhile (nobody of the team is online here).
    await ask(chat, 'Can I talk to a human, please?');
    const form = chat.locator('form.lead-form');
    await expect.poll(() => form.count(), { timeout: 30_000 }).toBe(1);
    const frameBox = await page.locator('iframe[title="Chat"]').boundingBox();
    for (const button of [form.getByRole('button', { name: 'Send my details' }), form.getByRole('button', { name: 'Not now' })]) {
      expect(inside(await button.boundingBox(), frameBox), `${name}: a form button is out of view`).toBe(true);
      expect(inside(await button.boundingBox(), await form.boundingBox()), `${name}: a form button is scrolled away`).toBe(true);
    }
    // The transcript keeps room to read the conversation, below the handoff banner, not under it.
    const transcript = await chat.getByRole('log').boundingBox();
    expect(transcript!.height, `${name}: transcript height`).toBeGreaterThanOrEqual(120);
    const banner = chat.locator('.handoff-notice');
    if (await banner.isVisible()) {
      const bannerBox = (await banner.boundingBox())!;
      expect(bannerBox.y + bannerBox.height, `${name}: the banner overlaps the transcript`).toBeLessThanOrEqual(transcript!.y + 0.5);
    }
    await shoot(page, `real-conditions-lead-form-${name}`);
    await page.context().close();
  });

  it('keeps the message limit visible and never clears a refused message', async () => {
    const opened = await openHost('/products', bot);
    await openPanel(opened);
    const { chat, page } = opened;
    const input = chat.getByLabel('Message', { exact: true });
    await input.fill('x'.repeat(3_300));
    await expect.poll(() => chat.getByText('700 characters left').count()).toBe(1);
    await input.fill('y'.repeat(4_100));
    await expect.poll(() => chat.getByText('100 characters too many; please shorten your message.').count()).toBe(1);
    expect(await chat.getByRole('button', { name: 'Send', exact: true }).isEnabled()).toBe(false);
    await input.press('Enter');
    expect((await input.inputValue()).length).toBe(4_100);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await shoot(page, 'real-conditions-message-limit-desktop');
    await page.context().close();
  });

  it('keeps the launcher fixed and on top on a transformed page and under a late max-z-index overlay', async () => {
    for (const [device, viewport] of DEVICES) {
      const { page, launcher } = await openHost('/products', bot, { viewport, layout: 'transform' });
      expect(await page.evaluate(() => (globalThis as any).getComputedStyle((globalThis as any).document.body).transform)).not.toBe('none');
      await page.mouse.wheel(0, 1500);
      await expect.poll(() => page.evaluate(() => (globalThis as any).scrollY)).toBeGreaterThan(1000);
      const box = await launcher.boundingBox();
      expect(box!.y + box!.height, `${device}: launcher bottom`).toBeCloseTo(viewport.height - 20, 0);
      expect(box!.x + box!.width, `${device}: launcher right`).toBeCloseTo(viewport.width - 20, 0);
      // The page adds an overlay at the largest z-index, after the widget.
      await page.evaluate(() => {
        const overlay = (globalThis as any).document.createElement('div');
        overlay.id = 'late-overlay';
        overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(15,23,42,.45)';
        (globalThis as any).document.body.append(overlay);
      });
      const onTop = await page.evaluate(([x, y]) => (globalThis as any).document.elementFromPoint(x!, y!)?.tagName, [box!.x + box!.width / 2, box!.y + box!.height / 2]);
      expect(onTop, `${device}: what is under the launcher`).toBe('MASCOT-WIDGET');
      await shoot(page, `real-conditions-hostile-layout-${device}`);
      await launcher.click();
      await expect.poll(() => page.locator('iframe[title="Chat"]').isVisible()).toBe(true);
      await page.context().close();
    }
  });

  it("follows the visitor's dark mode", async () => {
    for (const [device, viewport] of DEVICES) {
      const opened = await openHost('/pricing', bot, { viewport, colorScheme: 'dark' });
      const teaser = opened.page.locator('mascot-widget #t');
      await expect.poll(() => teaser.isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await teaser.evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor)).toBe('rgb(31, 36, 48)');
      await openPanel(opened);
      const surface = opened.chat.locator('.chat');
      await expect.poll(() => surface.evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor)).toBe('rgb(22, 24, 29)');
      expect(await surface.evaluate((el) => (globalThis as any).getComputedStyle(el).colorScheme)).toBe('dark');
      await ask(opened.chat, 'How much does the Pro plan cost?');
      await expect.poll(() => opened.chat.locator('.bubble--assistant.bubble--complete').count(), { timeout: 30_000 }).toBe(2);
      await shoot(opened.page, `real-conditions-dark-${device}`);
      await opened.page.context().close();
    }
  });

  it('makes the page behind the phone chat inert and asks before starting over, away from the close button', async () => {
    const opened = await openHost('/products', bot, { viewport: PHONE });
    const { page, chat, launcher } = opened;
    await openPanel(opened);
    expect(await page.locator('main').evaluate((el) => (el as any).inert)).toBe(true);
    // Nothing behind the overlay takes focus, by script or by keyboard.
    await page.locator('#buy').evaluate((el) => (el as any).focus());
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).not.toBe('buy');

    await ask(chat, 'How much does the Pro plan cost?');
    await expect.poll(() => chat.locator('.bubble--assistant.bubble--complete').count(), { timeout: 30_000 }).toBe(2);
    const startOver = chat.getByRole('button', { name: 'New conversation' });
    const frameBox = (await page.locator('iframe[title="Chat"]').boundingBox())!;
    const buttonBox = (await startOver.boundingBox())!;
    const closeBox = (await launcher.boundingBox())!;
    // In page coordinates (the frame fills the phone): at the start side, well clear of the close button.
    expect(frameBox.x).toBe(0);
    expect(buttonBox.x + buttonBox.width).toBeLessThan(closeBox.x - 48);

    // One step asks to confirm and offers the (optional) rating in the same place.
    await startOver.click();
    const question = chat.getByRole('form', { name: 'New conversation' });
    await expect.poll(() => question.count()).toBe(1);
    expect(await question.innerText()).toMatch(/Start over\? This conversation will be cleared/);
    expect(await question.getByRole('radio').count()).toBe(5);
    expect(await startOver.getAttribute('aria-expanded')).toBe('true');
    await shoot(page, 'real-conditions-new-conversation-phone');
    // Keeping the conversation keeps it, and so does Escape (which leaves the panel open).
    await chat.getByRole('button', { name: 'Keep chatting' }).click();
    expect(await question.count()).toBe(0);
    expect(await chat.getByText('How much does the Pro plan cost?').count()).toBe(1);
    await startOver.click();
    await question.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => question.count()).toBe(0);
    expect(await page.locator('iframe[title="Chat"]').isVisible()).toBe(true);
    expect(await startOver.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    // Starting over without a rating: nothing more is asked.
    await startOver.click();
    await question.getByRole('button', { name: 'Start over', exact: true }).click();
    await expect.poll(() => chat.getByText('How much does the Pro plan cost?').count()).toBe(0);
    expect(await chat.locator('form.csat').count()).toBe(0);

    // Closing gives the page back.
    await launcher.click();
    expect(await page.locator('main').evaluate((el) => (el as any).inert)).toBe(false);
    await page.locator('#buy').focus();
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('buy');
    await page.context().close();
  });

  it('shows a skeleton at once on a slow network, and the chat works while the avatar never arrives', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    // The chat app's script takes its time; the avatar's chunk never comes.
    let releaseApp: () => void = () => undefined;
    const appHeld = new Promise<void>((resolve) => (releaseApp = resolve));
    await context.route(/\/widget\/assets\/index-[^/]*\.js$/, async (route) => {
      await appHeld;
      await route.continue();
    });
    await context.route(/\/widget\/assets\/AvatarStage-[^/]*\.js$/, () => undefined);
    await page.goto(`${hostOrigin}/products?bot=${avatarBot.embedId}`);
    // avatarBot has no allowlist, so any host page may embed it.
    const launcher = page.locator('mascot-widget #l');
    await launcher.click();
    const chat = page.frameLocator('iframe[title="Chat"]');
    await expect.poll(() => chat.locator('.boot').count(), { timeout: 10_000 }).toBe(1);
    await shoot(page, 'real-conditions-slow-network-desktop');
    releaseApp();
    await ask(chat, 'How much does the Pro plan cost?');
    await expect.poll(() => chat.locator('.bubble--assistant.bubble--complete').count(), { timeout: 30_000 }).toBe(2);
    expect(await chat.locator('.boot').count()).toBe(0);
    // The 2D placeholder stands in for the avatar that never loaded.
    expect(await chat.locator('.chat__avatar').count()).toBe(1);
    await context.close();
  });
});
