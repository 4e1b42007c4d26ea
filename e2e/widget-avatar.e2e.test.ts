// The widget's avatar in real Chromium against a real server with the demo bot (played by the
// built-in Milo): WebGL through SwiftShader renders it, cues and streamed replies drive it, taps and
// drags move it, closing the panel stops rendering; reduced motion keeps it still; without WebGL
// the 2D portrait shows expressions and three.js is never downloaded; a 360×640 phone works.
// The screenshot lands in docs/widget/ for the README when MASCOT_UPDATE_SCREENSHOTS=1.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { launchChromium } from './chromium.ts';

const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/widget')
  : path.join(tmpdir(), 'mascot-widget-screenshots');

let server: TestServer;
let webgl: Browser;
let noWebgl: Browser;

beforeAll(async () => {
  server = await startTestServer({ MASCOT_SEED_DEMO: 'true', MASCOT_OFFLINE_TOKEN_DELAY_MS: '25' });
  webgl = await launchChromium({ webgl: 'software' });
  noWebgl = await launchChromium({ webgl: 'off' });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await webgl?.close();
  await noWebgl?.close();
  await server?.stop();
});

interface OpenedChat {
  page: Page;
  chat: FrameLocator;
  stage: Locator;
  /** Every request URL the page and its frames made. */
  requests: string[];
  /** Page errors and CSP violations from any frame. */
  problems: string[];
}

async function openDemoChat(browser: Browser, options: BrowserContextOptions = {}): Promise<OpenedChat> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy|wasm/i.test(message.text())) problems.push(message.text());
  });
  await page.goto(`${server.url}/`);
  await page.getByRole('button', { name: 'Open chat' }).click();
  const chat = page.frameLocator('iframe[title]');
  const stage = chat.locator('[data-avatar-state]');
  await expect.poll(() => stage.count(), { timeout: 30_000 }).toBe(1);
  return { page, chat, stage, requests, problems };
}

const attribute = (stage: Locator, name: string) => stage.getAttribute(name, { timeout: 5_000 });
const frames = async (stage: Locator) => Number((await attribute(stage, 'data-avatar-frame')) ?? 0);

async function waitForWebgl(stage: Locator, minFrames = 3): Promise<void> {
  await expect.poll(() => attribute(stage, 'data-avatar-state'), { timeout: 60_000 }).toBe('webgl');
  await expect.poll(() => frames(stage), { timeout: 60_000 }).toBeGreaterThanOrEqual(minFrames);
}

/**
 * Sends a question and records every state the stage shows until the reply completes and the
 * avatar stops talking. A MutationObserver inside the chat frame records each attribute change
 * (a state can last less than a polling interval).
 */
async function askAndWatch(opened: OpenedChat, question: string) {
  const frame = opened.page.frames().find((f) => f.url().includes('/widget/'))!;
  await frame.evaluate(() => {
    const g = globalThis as any;
    const stage = g.document.querySelector('[data-avatar-state]');
    g.__avatarSeen = [];
    const record = () =>
      g.__avatarSeen.push({ slot: stage.dataset.avatarSlot, expression: stage.dataset.avatarExpression, talking: stage.dataset.avatarTalking });
    new g.MutationObserver(record).observe(stage, { attributes: true, attributeFilter: ['data-avatar-slot', 'data-avatar-expression', 'data-avatar-talking'] });
  });
  const input = opened.chat.getByLabel('Message');
  await expect.poll(() => input.isEnabled(), { timeout: 20_000 }).toBe(true);
  await input.fill(question);
  await input.press('Enter');
  const log = opened.chat.getByRole('log');
  await expect.poll(async () => /29 dollars per month/.test(await log.innerText()), { timeout: 40_000 }).toBe(true);
  await expect.poll(() => attribute(opened.stage, 'data-avatar-talking'), { timeout: 40_000 }).toBe('false');
  const seen: { slot?: string; expression?: string; talking?: string }[] = await frame.evaluate(() => (globalThis as any).__avatarSeen);
  return {
    slots: new Set(seen.map((s) => s.slot).filter((s): s is string => !!s)),
    expressions: new Set(seen.map((s) => s.expression).filter((s): s is string => !!s)),
    talked: seen.some((s) => s.talking === 'true'),
  };
}

/**
 * Share of an image's pixels that differ clearly from its most common colour (the background),
 * and the share of those that are near-black. Decoded in a blank page: no image library needed.
 */
async function pixelStats(page: Page, png: Buffer): Promise<{ foreground: number; dark: number }> {
  const blank = await page.context().newPage();
  const stats = await blank.evaluate(async (base64) => {
    const g = globalThis as any;
    const bytes = Uint8Array.from(g.atob(base64), (c: string) => c.charCodeAt(0));
    const bitmap = await g.createImageBitmap(new g.Blob([bytes], { type: 'image/png' }));
    const canvas = new g.OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const data: Uint8ClampedArray = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const background = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const [br, bg, bb] = [(background >> 16) & 255, (background >> 8) & 255, background & 255];
    let foreground = 0;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, gr, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (Math.abs(r - br) + Math.abs(gr - bg) + Math.abs(b - bb) <= 60) continue;
      foreground += 1;
      if (r + gr + b < 60) dark += 1;
    }
    const total = data.length / 4;
    return { foreground: foreground / total, dark: foreground ? dark / foreground : 0 };
  }, png.toString('base64'));
  await blank.close();
  return stats;
}

describe('the widget avatar', () => {
  it("allows WebAssembly (the GLB's meshopt decoder) inside Mascot's iframe only, never on the host page", async () => {
    const csp = async (url: string) => (await fetch(url)).headers.get('content-security-policy') ?? '';
    const widget = await csp(`${server.url}/widget/`);
    expect(widget).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(widget).not.toMatch(/'unsafe-eval'/);
    expect(await csp(`${server.url}/`)).not.toMatch(/wasm-unsafe-eval/);
  });

  it('renders the 3D avatar with WebGL, reacts to a question, a tap and a drag, and stops drawing while the chat is closed', async () => {
    const opened = await openDemoChat(webgl, { viewport: { width: 1100, height: 760 }, deviceScaleFactor: 2 });
    const { page, chat, stage } = opened;
    await waitForWebgl(stage, 10);
    // The 3D runtime came as its own lazy chunk.
    expect(opened.requests.some((url) => /\/widget\/assets\/three-avatar-[\w-]+\.js$/.test(url))).toBe(true);

    await page.waitForTimeout(500); // past the opening crossfade
    // The empty chat gives the avatar a stage: a header band with the character big enough to read its face.
    const header = chat.locator('header');
    expect(await header.getAttribute('data-stage')).toBe('large');
    const figure = chat.getByRole('button', { name: /^Milo\b/ }).first();
    expect((await figure.boundingBox())!.height).toBeGreaterThanOrEqual(110);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'avatar.png') });
    const canvas = chat.locator('canvas.avatar-stage__canvas');
    const pixels = await pixelStats(page, await canvas.screenshot());
    // The character fills a good part of its square, lit (mostly not black).
    expect(pixels.foreground).toBeGreaterThan(0.15);
    expect(pixels.dark).toBeLessThan(0.5);

    const watched = await askAndWatch(opened, 'How much does the Pro plan cost?');
    expect(watched.talked).toBe(true);
    expect([...watched.slots].some((slot) => slot === 'talk' || slot === 'talk_excited')).toBe(true);
    expect(watched.slots.has('listen') || watched.slots.has('think')).toBe(true);

    // Its accessible name is the bot's; the description says how to operate it from the keyboard.
    const hint = chat.locator(`[id="${await figure.getAttribute('aria-describedby')}"]`);
    expect(await hint.textContent()).toBe('Arrow keys move the avatar; Enter or Space makes it react.');

    // A tap plays the first tap reaction (a wave).
    await figure.click();
    await expect.poll(() => attribute(stage, 'data-avatar-slot'), { timeout: 5_000 }).toBe('greet_wave');

    // Dragging moves it along the header; the keyboard moves it too.
    const before = (await figure.boundingBox())!;
    await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
    await page.mouse.down();
    await page.mouse.move(before.x + before.width / 2 + 60, before.y + before.height / 2, { steps: 6 });
    await page.mouse.move(before.x + before.width / 2 + 120, before.y + before.height / 2, { steps: 6 });
    await page.mouse.up();
    const dragged = (await figure.boundingBox())!;
    expect(dragged.x - before.x).toBeGreaterThan(100);
    await figure.focus();
    await figure.press('ArrowRight');
    expect((await figure.boundingBox())!.x).toBeGreaterThan(dragged.x);

    // Once the transcript needs the room (here: a shorter window shrinks the panel), the stage turns
    // compact, and stays so when the room comes back, rather than jumping with every scroll.
    await page.setViewportSize({ width: 1100, height: 430 });
    await expect.poll(() => header.getAttribute('data-stage'), { timeout: 5_000 }).toBe('compact');
    await expect.poll(async () => (await figure.boundingBox())!.height, { timeout: 5_000 }).toBeLessThanOrEqual(60);
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.waitForTimeout(400);
    expect(await header.getAttribute('data-stage')).toBe('compact');
    const inHeader = (await header.boundingBox())!;
    const compactFigure = (await figure.boundingBox())!;
    // Still draggable, inside the (now smaller) header.
    expect(compactFigure.y).toBeGreaterThanOrEqual(inHeader.y - 1);
    expect(compactFigure.y + compactFigure.height).toBeLessThanOrEqual(inHeader.y + inHeader.height + 1);

    // Closing the panel hides the iframe: no more frames until it opens again.
    await page.getByRole('button', { name: 'Close chat' }).click();
    // Paused by the stage itself (it saw the panel go), not merely throttled by the browser.
    await expect.poll(() => attribute(stage, 'data-avatar-running'), { timeout: 5_000 }).toBe('false');
    await page.waitForTimeout(300);
    const whileClosed = await frames(stage);
    await page.waitForTimeout(1_500);
    expect(await frames(stage)).toBe(whileClosed);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(() => frames(stage), { timeout: 10_000 }).toBeGreaterThan(whileClosed + 5);
    expect(await attribute(stage, 'data-avatar-running')).toBe('true');

    expect(await attribute(stage, 'data-avatar-state')).toBe('webgl');
    expect(opened.problems).toEqual([]);
    await page.context().close();
  });

  it('keeps the avatar still with prefers-reduced-motion, changing only its face', async () => {
    const opened = await openDemoChat(webgl, { viewport: { width: 1100, height: 760 }, reducedMotion: 'reduce' });
    const { page, chat, stage } = opened;
    await waitForWebgl(stage, 1);
    await page.waitForTimeout(500);
    const canvas = chat.locator('canvas.avatar-stage__canvas');
    const first = await canvas.screenshot();
    const framesBefore = await frames(stage);
    await page.waitForTimeout(1_500);
    // No render loop: not one frame more, not one pixel different.
    expect(await frames(stage)).toBe(framesBefore);
    expect((await canvas.screenshot()).equals(first)).toBe(true);
    expect((await pixelStats(page, first)).foreground).toBeGreaterThan(0.1);

    const watched = await askAndWatch(opened, 'How much does the Pro plan cost?');
    expect(watched.talked).toBe(true);
    // A handful of still frames for face changes, no animation loop; still the 3D avatar.
    expect(await frames(stage)).toBeLessThan(framesBefore + 20);
    expect(await attribute(stage, 'data-avatar-state')).toBe('webgl');
    expect(opened.problems).toEqual([]);
    await page.context().close();
  });

  it('shows the 2D portrait with expressions when WebGL is unavailable, without downloading three.js', async () => {
    const opened = await openDemoChat(noWebgl, { viewport: { width: 1100, height: 760 } });
    const { page, chat, stage } = opened;
    await expect.poll(() => attribute(stage, 'data-avatar-state'), { timeout: 30_000 }).toBe('portrait');
    const portrait = chat.locator('svg.avatar-portrait');
    await expect.poll(() => portrait.getAttribute('data-expression'), { timeout: 10_000 }).toBe('neutral');
    // The portrait gets the same stage as the 3D avatar (once the stage's size transition has run).
    await expect.poll(async () => (await portrait.boundingBox())!.height, { timeout: 5_000 }).toBeGreaterThanOrEqual(90);

    // The tap reaction (a wave) shows as a happy face.
    await chat.getByRole('button', { name: /^Milo\b/ }).first().click();
    await expect.poll(() => portrait.getAttribute('data-expression'), { timeout: 5_000 }).toBe('happy');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'avatar-portrait.png') });

    const watched = await askAndWatch(opened, 'How much does the Pro plan cost?');
    expect(watched.talked).toBe(true);
    expect(watched.expressions.size).toBeGreaterThanOrEqual(1);

    expect(opened.requests.filter((url) => /three-avatar/.test(url))).toEqual([]);
    expect(opened.problems).toEqual([]);
    await page.context().close();
  });

  it('works on a 360×640 phone: full-screen chat, the avatar rendered and tappable', async () => {
    const opened = await openDemoChat(webgl, { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const { page, chat, stage } = opened;
    await waitForWebgl(stage, 3);
    const figure = chat.getByRole('button', { name: /^Milo\b/ }).first();
    const box = (await figure.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(box.y).toBeGreaterThanOrEqual(0);
    // A stage on the phone too, while the composer and several lines of transcript still fit.
    expect(box.height).toBeGreaterThanOrEqual(110);
    const composer = (await chat.getByLabel('Message').boundingBox())!;
    expect(composer.y + composer.height).toBeLessThanOrEqual(640);
    expect((await chat.getByRole('log').boundingBox())!.height).toBeGreaterThanOrEqual(300);
    // Beside the stage the bot's name is shown whole, not cut off by the header's button.
    expect(await chat.locator('.chat__title').evaluate((title) => title.scrollWidth <= title.clientWidth)).toBe(true);
    await figure.tap();
    await expect.poll(() => attribute(stage, 'data-avatar-slot'), { timeout: 5_000 }).toBe('greet_wave');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'avatar-mobile.png') });
    expect(opened.problems).toEqual([]);
    await page.context().close();
  });
});
