import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ask } from './chat-page.ts';
import { launchChromium } from './chromium.ts';
import { publishedBot } from '../server/src/test/fixtures.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { PUBLISH_BOT } from '../server/src/test/operations.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { shopPage, sitemapOf, startTestSite, type TestSite } from '../server/src/test/test-site.ts';

// A bot that learnt a website (served by the test on loopback) answers in the real widget, and its
// citation links to the page. The screenshot lands in docs/widget/ when MASCOT_UPDATE_SCREENSHOTS=1.
const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/widget')
  : path.join(tmpdir(), 'mascot-widget-screenshots');

let server: TestServer;
let site: TestSite;
let browser: Browser;

beforeAll(async () => {
  site = await startTestSite();
  site.routes.set('/robots.txt', { type: 'text/plain', body: 'User-agent: *\nAllow: /\n' });
  site.routes.set('/sitemap.xml', { type: 'application/xml', body: sitemapOf(site.origin, ['/docs/returns']) });
  site.routes.set('/docs/returns', {
    body: shopPage('Returns policy | Example Shop', '<h1>Returns policy</h1><h2>Online orders</h2><p>Online orders can be returned within 45 days of delivery for a full refund.</p>'),
  });
  server = await startTestServer({ MASCOT_OUTBOUND_ALLOWED_PRIVATE: site.origin });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await site?.close();
});

describe('a citation of a website page', () => {
  it('links to the page it quotes', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const { addWebsiteSource } = await graphqlOk(server.graphqlUrl, /* GraphQL */ `
      mutation($botId: ID!, $input: WebsiteSourceInput!) { addWebsiteSource(botId: $botId, input: $input) { id } }`,
    { botId: bot.botId, input: { sitemapUrl: `${site.origin}/sitemap.xml` } }, bot.accessToken);
    await vi.waitFor(async () => {
      const { websiteSources } = await graphqlOk(server.graphqlUrl, /* GraphQL */ `
        query($botId: ID!) { websiteSources(botId: $botId) { id syncStatus pageCount } }`, { botId: bot.botId }, bot.accessToken);
      expect(websiteSources).toEqual([{ id: addWebsiteSource.id, syncStatus: 'IDLE', pageCount: 1 }]);
    }, { timeout: 120_000, interval: 250 });
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);

    const context = await browser.newContext({ viewport: { width: 420, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/widget/?bot=${bot.embedId}`);
    await ask(page, 'how many days do I have to return an online order?');
    const reply = page.locator('.bubble--assistant.bubble--complete').nth(1);
    await reply.waitFor({ timeout: 60_000 });
    expect(await reply.innerText()).toContain('45 days');
    const toggle = reply.locator('.sources__toggle', { hasText: 'Returns policy | Example Shop' });
    await toggle.click();
    const link = reply.locator('.sources__link');
    expect(await link.getAttribute('href')).toBe(`${site.origin}/docs/returns`);
    expect(await link.innerText()).toBe(`${new URL(site.origin).host}/docs/returns`);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'website-citation.png') });
    await context.close();
  });
});
