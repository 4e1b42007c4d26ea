import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { startFakeOpenAiServer, type FakeProviderServer } from '../server/src/test/fake-openai-server.ts';
import { publishedBot, type TenantFixture } from '../server/src/test/fixtures.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { PUBLISH_BOT } from '../server/src/test/operations.ts';
import { publishDraftChange, publishProviderChain } from '../server/src/test/provider-chain.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';

// The chat UI in real Chromium against a real server: the demo tenant (offline answers) for the
// keyboard flow, and bots answering through a fake OpenAI server for replies we script, Markdown
// and hostile text alike.

// The curated answer's screenshot lands in docs/widget/ when MASCOT_UPDATE_SCREENSHOTS=1.
const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/widget')
  : path.join(tmpdir(), 'mascot-widget-screenshots');

/** Generous: these tests share two cores with other suites, and a reply must only arrive, not be fast. */
const SLOW_MACHINE_TIMEOUT = 45_000;

let server: TestServer;
let openai: FakeProviderServer;
let browser: Browser;

/** A scripted model reply: Markdown that must render, and text that must stay inert. */
const HOSTILE_MARKDOWN_REPLY = [
  'The **Pro plan** costs:',
  '',
  '- 29 dollars per month',
  '- 290 dollars per year',
  '',
  'See [the pricing page](https://acme.example/pricing) [1].',
  '',
  '<img src=x onerror="window.pwned = 1"> <script>window.pwned = 2</script> <svg onload="alert(1)"></svg>',
  '[claim your prize](javascript:window.pwned=3) ![tracker](https://tracker.example/pixel.png)',
].join('\n');

beforeAll(async () => {
  openai = await startFakeOpenAiServer();
  server = await startTestServer({
    MASCOT_SEED_DEMO: 'true',
    // Visible streaming pace for the offline demo bot.
    MASCOT_OFFLINE_TOKEN_DELAY_MS: '25',
    OPENAI_API_KEY: 'sk-e2e-widget-chat-0123456789',
    OPENAI_BASE_URL: openai.url,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await openai?.close();
});

/** A published bot answering through the fake OpenAI server, in `language`. */
async function scriptedBot(language = 'en'): Promise<TenantFixture> {
  const bot = await publishedBot(server.graphqlUrl);
  await publishProviderChain(server.graphqlUrl, bot, [{ provider: 'openai', model: 'gpt-4o-mini' }]);
  if (language !== 'en') {
    await publishDraftChange(server.graphqlUrl, bot, (draft) => ({ ...draft, personality: { ...draft.personality, language } }));
  }
  return bot;
}

/** Messages of alert/confirm/prompt dialogs any page opened: injected script would show here. */
const dialogs: string[] = [];

/** The chat app on its own (as the iframe loads it), in a fresh context. */
async function openChat(bot: TenantFixture, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${server.url}/widget/?bot=${bot.embedId}`);
  return page;
}

/** Sends `text` once the chat is connected (the send button enables only then). */
async function ask(chat: Page | FrameLocator, text: string): Promise<void> {
  const input = chat.locator('#composer-input');
  await input.fill(text);
  await expect.poll(() => chat.locator('.composer__send').isEnabled(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(true);
  await input.press('Enter');
}

const completedReplies = (chat: Page | FrameLocator) => chat.locator('.bubble--assistant.bubble--complete');

describe('the chat UI', () => {
  it('renders a reply as Markdown and keeps hostile text inert', async () => {
    openai.script({ text: HOSTILE_MARKDOWN_REPLY, tokenDelayMs: 5 });
    const page = await openChat(await scriptedBot());
    await ask(page, 'How much does the Pro plan cost?');
    await expect.poll(() => completedReplies(page).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(2);
    const reply = completedReplies(page).nth(1);

    expect(await reply.locator('strong').first().innerText()).toBe('Pro plan');
    expect(await reply.locator('ul > li').allInnerTexts()).toEqual(['29 dollars per month', '290 dollars per year']);
    const link = reply.getByRole('link', { name: /the pricing page/ });
    expect(await link.getAttribute('href')).toBe('https://acme.example/pricing');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');

    // The HTML arrived as text, the javascript: link as plain words, the image as a link, unloaded.
    const text = await reply.innerText();
    expect(text).toContain('<img src=x onerror="window.pwned = 1">');
    expect(text).toContain('<script>window.pwned = 2</script>');
    expect(text).toContain('<svg onload="alert(1)"></svg>');
    expect(await page.locator('img, script:not([src]), iframe').count()).toBe(0);
    // No SVG element came from the reply's text: the only ones in the reply are the drawn 👍/👎 icons.
    expect(await reply.locator('svg:not(.answer-feedback svg)').count()).toBe(0);
    expect(await reply.getByText('claim your prize').evaluate((el) => el.closest('a'))).toBeNull();
    expect(await reply.getByRole('link', { name: /Image: tracker/ }).getAttribute('href')).toBe('https://tracker.example/pixel.png');
    expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('keeps HTML from a knowledge document inert when the offline answerer quotes it', async () => {
    const knowledge = [
      '# Plans',
      '## Pricing',
      'The Pro plan costs 29 dollars per month <img src=x onerror="alert(\'knowledge\')"> and includes unlimited projects.',
    ].join('\n');
    const page = await openChat(await publishedBot(server.graphqlUrl, knowledge));
    await ask(page, 'How much does the Pro plan cost?');
    await expect.poll(() => completedReplies(page).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(2);
    const reply = completedReplies(page).nth(1);
    expect(await reply.innerText()).toContain('<img src=x onerror="alert(\'knowledge\')">');
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('expands a citation and its source with the keyboard', async () => {
    openai.script({ text: 'The Pro plan costs 29 dollars per month [1].', tokenDelayMs: 5 });
    const page = await openChat(await scriptedBot());
    await ask(page, 'How much does the Pro plan cost?');
    await expect.poll(() => completedReplies(page).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(2);
    const reply = completedReplies(page).nth(1);

    const marker = reply.locator('button.cite');
    expect(await marker.getAttribute('aria-label')).toBe('Source 1: Price list');
    expect(await marker.getAttribute('aria-expanded')).toBe('false');
    const details = page.locator(`#${await marker.getAttribute('aria-controls')}`);
    expect(await details.isVisible()).toBe(false);

    // Tab from the composer backwards goes through the reply in reverse reading order: its 👎 and
    // 👍 (after the text and sources), the source toggle, then the marker in the text.
    const notHelpful = reply.getByRole('button', { name: 'Not helpful' });
    await notHelpful.waitFor();
    await page.locator('#composer-input').focus();
    for (const next of [notHelpful, reply.getByRole('button', { name: 'Helpful', exact: true }), reply.locator('.sources__toggle'), marker]) {
      await page.keyboard.press('Shift+Tab');
      expect(await next.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    }
    await page.keyboard.press('Enter');
    expect(await marker.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => details.isVisible(), { timeout: 5_000 }).toBe(true);
    // The heading path locates the passage; the snippet quotes it.
    expect(await details.locator('.sources__location').innerText()).toBe('Plans › Pricing');
    expect(await details.locator('.sources__snippet').innerText()).toMatch(/29 dollars per month/);

    const toggle = reply.locator('.sources__toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.focus();
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await details.isVisible()).toBe(false);
    await page.context().close();
  });

  it('answers from a curated answer, cited "Answer from the team", without calling the model', async () => {
    const bot = await scriptedBot();
    const answer = 'Pro is 29 dollars a month, or 290 dollars a year when paid yearly.';
    await graphqlOk(server.graphqlUrl, /* GraphQL */ `mutation($botId: ID!, $input: CuratedAnswerInput!) { createCuratedAnswer(botId: $botId, input: $input) { id } }`, {
      botId: bot.botId, input: { question: 'How much does the Pro plan cost?', paraphrases: ["What's the price of the Pro plan?"], answer },
    }, bot.accessToken);
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
    const modelCalls = openai.requests.length;
    const page = await openChat(bot);
    await ask(page, 'whats the prise of the pro plan?');
    await expect.poll(() => completedReplies(page).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(2);
    const reply = completedReplies(page).nth(1);
    expect(await reply.innerText()).toContain(answer);
    const source = reply.locator('.sources__toggle');
    expect(await source.locator('.sources__title').innerText()).toBe('Answer from the team');
    await source.click();
    expect(await reply.locator('.sources__location').innerText()).toBe('How much does the Pro plan cost?');
    expect(openai.requests.length).toBe(modelCalls);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'curated-answer.png') });
    await page.context().close();
  });

  it('speaks German to a German browser when the bot speaks a language the UI lacks', async () => {
    const page = await openChat(await scriptedBot('nl'), { locale: 'de-DE' });
    await expect.poll(() => page.evaluate(() => (globalThis as any).document.documentElement.lang), { timeout: SLOW_MACHINE_TIMEOUT }).toBe('de');
    expect(await page.getByLabel('Nachricht').getAttribute('placeholder')).toBe('Nachricht eingeben…');
    expect(await page.getByRole('button', { name: 'Senden' }).count()).toBe(1);
    expect(await page.getByRole('log', { name: 'Unterhaltung' }).count()).toBe(1);
    expect(await page.getByText('Bereitgestellt von Mascot').isVisible()).toBe(true);
    // The bot's own text is marked with its language, for screen readers' pronunciation.
    expect(await page.locator('.bubble--assistant .bubble__body').first().getAttribute('lang')).toBe('nl');
    await page.context().close();
  });

  it("prefers the bot's language over the browser's when the UI has it", async () => {
    const page = await openChat(await scriptedBot('fr'), { locale: 'de-DE' });
    await expect.poll(() => page.evaluate(() => (globalThis as any).document.documentElement.lang), { timeout: SLOW_MACHINE_TIMEOUT }).toBe('fr');
    expect(await page.getByLabel('Message').getAttribute('placeholder')).toBe('Écrivez un message…');
    await page.context().close();
  });

  it('fits a 360 × 640 phone without sideways scrolling', async () => {
    openai.script({ text: `A long address: https://acme.example/${'very-long-path-segment/'.repeat(8)}\n\n| Plan | Price | Storage | Projects |\n| --- | --- | --- | --- |\n| Pro | 29 dollars per month | 100 GB | unlimited |` });
    const page = await openChat(await scriptedBot(), { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    await ask(page, 'Tell me about Pro');
    await expect.poll(() => completedReplies(page).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(2);
    const widths = await page.evaluate(() => {
      const g = globalThis as any;
      return { page: g.document.documentElement.scrollWidth as number, viewport: g.innerWidth as number };
    });
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    const composer = await page.locator('.composer').boundingBox();
    expect(composer!.y + composer!.height).toBeLessThanOrEqual(640);
    expect(composer!.width).toBeLessThanOrEqual(360);
    await page.context().close();
  });

  it('works by keyboard alone on the demo page and announces the finished reply once', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);

    // Tab until the launcher (inside the loader's shadow root) has focus, then open it.
    const launcherFocused = () =>
      page.evaluate(() => ((globalThis as any).document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label') as string | undefined) ?? null);
    for (let i = 0; i < 10 && (await launcherFocused()) !== 'Open chat'; i++) await page.keyboard.press('Tab');
    expect(await launcherFocused()).toBe('Open chat');
    await page.keyboard.press('Enter');

    const chat = page.frameLocator('iframe[title]');
    const frame = () => page.frames().find((f) => f.url().includes('/widget/'));
    await expect.poll(() => frame()?.evaluate(() => (globalThis as any).document.activeElement?.id as string | undefined) ?? null, { timeout: SLOW_MACHINE_TIMEOUT }).toBe('composer-input');
    await expect.poll(() => chat.locator('.composer__send').isDisabled(), { timeout: 5_000 }).toBe(true);
    await page.keyboard.type('How much does the Pro plan cost?');
    await expect.poll(() => chat.locator('.composer__send').isEnabled(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(true);

    // While the reply streams, its text is hidden from assistive technology and the log is busy;
    // the finished reply mounts as one new node of the polite log. A MutationObserver in the frame
    // checks every intermediate DOM state (sampling from here would miss a fast stream).
    const log = chat.getByRole('log');
    expect(await log.getAttribute('aria-live')).toBe('polite');
    await frame()!.evaluate(() => {
      const g = globalThis as any;
      const logElement = g.document.querySelector('[role="log"]');
      const checks = { streamingStates: 0, violations: [] as string[] };
      g.streamChecks = checks;
      new g.MutationObserver(() => {
        const partial = logElement.querySelector('.bubble--streaming .bubble__body');
        if (!partial || partial.textContent.length < 10) return;
        checks.streamingStates++;
        if (partial.getAttribute('aria-hidden') !== 'true') checks.violations.push('streaming text exposed');
        if (logElement.getAttribute('aria-busy') !== 'true') checks.violations.push('log not busy while streaming');
      }).observe(logElement, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.keyboard.press('Enter');
    await expect.poll(() => completedReplies(chat).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(2);
    const checks = await frame()!.evaluate(() => (globalThis as any).streamChecks as { streamingStates: number; violations: string[] });
    expect(checks.streamingStates).toBeGreaterThan(0);
    expect(checks.violations).toEqual([]);
    expect(await log.getAttribute('aria-busy')).toBe('false');
    expect(await log.ariaSnapshot()).toMatch(/You said:[\s\S]*Milo said:[\s\S]*29 dollars per month/);

    // Escape closes the chat and gives focus back to the launcher.
    await page.keyboard.press('Escape');
    await expect.poll(() => launcherFocused(), { timeout: 5_000 }).toBe('Open chat');
    await expect.poll(() => page.locator('iframe[title]').isVisible(), { timeout: 5_000 }).toBe(false);
    await context.close();
  });
});
