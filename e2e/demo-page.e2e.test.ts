import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // The demo tenant as a new user gets it, answering at a visible pace so streaming can be observed.
  server = await startTestServer({ MASCOT_SEED_DEMO: 'true', MASCOT_OFFLINE_TOKEN_DELAY_MS: '25' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the demo page', () => {
  it('answers a question with a streamed, cited reply', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${server.url}/`);

    await page.getByRole('button', { name: 'Open chat' }).click();
    const chat = page.frameLocator('iframe[title]');
    await expect.poll(() => chat.getByText(/Milo/).first().isVisible(), { timeout: 20_000 }).toBe(true);

    const input = chat.getByLabel('Message');
    await expect.poll(() => input.isEnabled(), { timeout: 20_000 }).toBe(true);
    // Every length the assistant's text passes through while it streams, recorded inside the frame as the DOM
    // changes (sampling from here missed steps when the machine was busy: a round trip per sample).
    const frame = await (await page.$('iframe[title]'))!.contentFrame();
    // A string: e2e code is compiled without the DOM's types.
    await frame!.evaluate(`(() => {
      const log = document.querySelector('[role="log"]');
      const lengths = (globalThis.streamedLengths = new Set());
      new MutationObserver(() => lengths.add(log.innerText.trim().length)).observe(log, { subtree: true, childList: true, characterData: true });
    })()`);
    await input.fill('How much does the Pro plan cost?');
    await input.press('Enter');

    const log = chat.getByRole('log');
    await expect.poll(async () => /29 dollars per month/.test(await log.innerText()) && (await chat.getByText('Sources').count()) > 0, { timeout: 20_000 }).toBe(true);
    // The reply grew through several lengths: it streamed rather than arriving whole.
    const lengths = await frame!.evaluate('globalThis.streamedLengths.size');
    expect(lengths).toBeGreaterThan(3);

    const transcript = await log.innerText();
    expect(transcript).toMatch(/29 dollars per month/);
    expect(transcript).toMatch(/\[1\]/);
    // A question the knowledge answers goes to nobody else: no handoff banner or notice, no contact form.
    await page.waitForTimeout(500); // room for a stray HandoffStatusChanged or requestsContact to arrive
    expect(await chat.locator('.handoff-notice').getAttribute('data-status')).toBe('BOT');
    expect(await log.innerText()).not.toMatch(/Waiting for a person/);
    expect(await chat.locator('.lead-form').count()).toBe(0);
    await chat.getByText('Sources').first().click();
    await expect.poll(() => chat.getByText(/Acme Cloud customer guide/).first().isVisible()).toBe(true);
    expect(violations).toEqual([]);
    await page.close();
  });
});
