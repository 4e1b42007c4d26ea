// Visitor feedback in real Chromium against a real server (issue 14): 👎 with a comment under an
// answer, a CSAT rating when the visitor starts over, both reaching analytics and a webhook, and the
// transcript downloaded as text and as a printable page — on a desktop and on a 360×640 phone.
// Screenshots land in docs/widget/ when MASCOT_UPDATE_SCREENSHOTS=1.
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { publishedBot, type TenantFixture } from '../server/src/test/fixtures.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { BOT_FEEDBACK_ANALYTICS } from '../server/src/test/operations.ts';
import { ownerQuery } from '../server/src/test/owner-database.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../server/src/test/webhook-receiver.ts';
import { launchChromium } from './chromium.ts';

const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/widget')
  : path.join(tmpdir(), 'mascot-widget-screenshots');
/** Generous: these tests share two cores with other suites, and a reply must only arrive, not be fast. */
const SLOW_MACHINE_TIMEOUT = 45_000;
const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!, $displayName: String) { takeOverConversation(conversationId: $conversationId, displayName: $displayName) { conversation { id } } }`;
const AGENT_MESSAGE = /* GraphQL */ `
  mutation AgentMessage($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id } }`;
const HAND_BACK = /* GraphQL */ `mutation HandBack($conversationId: ID!) { handBackConversation(conversationId: $conversationId) { id } }`;
const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`;

let server: TestServer;
let receiver: WebhookReceiver;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({
    MASCOT_OFFLINE_TOKEN_DELAY_MS: '5',
    // The receiver listens on loopback, which only an operator's explicit exemption allows.
    MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    MASCOT_WEBHOOK_POLL_MS: '50',
  });
  receiver = await startWebhookReceiver();
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await server?.stop();
});

async function openChat(bot: TenantFixture, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, acceptDownloads: true, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  await page.goto(`${server.url}/widget/?bot=${bot.embedId}`);
  return page;
}

async function ask(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Message', { exact: true });
  await input.fill(text);
  await expect.poll(() => page.getByRole('button', { name: 'Send', exact: true }).isEnabled(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(true);
  await input.press('Enter');
}

/** Clicks a menu item that downloads a file and returns the file's text. */
async function download(page: Page, item: string): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: 'More options' }).click();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: item }).click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
}

async function feedbackFigures(bot: TenantFixture) {
  const today = new Date().toISOString().slice(0, 10);
  const { botAnalytics } = await graphqlOk(server.graphqlUrl, BOT_FEEDBACK_ANALYTICS, { botId: bot.botId, from: today, to: today }, bot.accessToken);
  return botAnalytics.totals.feedback as { unhelpfulAnswers: number; helpfulShare: number | null; csatResponses: number; csatAverage: number | null; csatDistribution: number[] };
}

const VIEWPORTS: [string, BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['mobile', { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
];

describe('visitor feedback in the widget', () => {
  it.each(VIEWPORTS)('takes a 👎 with a comment and a CSAT rating to analytics and a webhook, and downloads the transcript (%s)', async (name, options) => {
    const bot = await publishedBot(server.graphqlUrl);
    const { createWebhookEndpoint } = await graphqlOk(
      server.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['FEEDBACK_SUBMITTED'] } }, bot.accessToken,
    );
    const page = await openChat(bot, options);
    await ask(page, 'How much is the Pro plan?');
    const answers = page.locator('.bubble--assistant.bubble--complete');
    await expect.poll(() => answers.count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(2);
    const answer = answers.nth(1);
    const answerText = await answer.locator('.bubble__body').innerText();
    // The greeting is not an answer: only the reply has thumbs.
    expect(await answers.nth(0).getByRole('button', { name: 'Not helpful' }).count()).toBe(0);

    // 👎 is stored at once and asks what was missing.
    await answer.getByRole('button', { name: 'Not helpful' }).click();
    const comment = answer.getByLabel('What was missing or wrong? (optional)');
    await comment.fill('It does not say whether VAT is included.');
    expect(await answer.getByRole('button', { name: 'Not helpful' }).getAttribute('aria-pressed')).toBe('true');
    const commentBox = (await comment.boundingBox())!;
    expect(commentBox.x + commentBox.width).toBeLessThanOrEqual(options.viewport!.width);
    await page.screenshot({ path: path.join(SCREENSHOTS, `feedback-comment-${name}.png`) });
    await answer.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => answer.getByRole('status').innerText()).toBe('Thanks for your feedback!');

    // The transcript, as text and as a printable page, from the header's menu.
    await page.getByRole('button', { name: 'More options' }).click();
    const menu = page.getByRole('menu');
    const menuBox = (await menu.boundingBox())!;
    expect(menuBox.x).toBeGreaterThanOrEqual(0);
    expect(menuBox.x + menuBox.width).toBeLessThanOrEqual(options.viewport!.width);
    await page.screenshot({ path: path.join(SCREENSHOTS, `feedback-menu-${name}.png`) });
    await page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    const text = await download(page, 'Download transcript (text)');
    expect(text.name).toMatch(/^transcript-pip-\d{4}-\d{2}-\d{2}\.txt$/);
    expect(text.text).toMatch(/^Conversation with Pip\nDownloaded /);
    expect(text.text).toMatch(/\] You:\nHow much is the Pro plan\?\n/);
    expect(text.text).toContain(`] Pip:\n`);
    expect(text.text).toContain('29 dollars');
    const printable = await download(page, 'Download printable transcript (save as PDF)');
    expect(printable.name).toMatch(/\.html$/);
    expect(printable.text).toContain('<p dir="auto">How much is the Pro plan?</p>');
    expect(printable.text).not.toContain('<script');
    // The printable page renders, inert, as a document of its own.
    const sheet = await page.context().newPage();
    await sheet.setContent(printable.text);
    expect(await sheet.locator('article').count()).toBe(2);
    await sheet.close();

    // Starting over is one step: confirm it, rating the conversation on the way if one wants to.
    await page.getByRole('button', { name: 'New conversation' }).click();
    const startOver = page.getByRole('form', { name: 'New conversation' });
    await startOver.waitFor();
    expect(await startOver.innerText()).toMatch(/Start over\? This conversation will be cleared/);
    await startOver.getByRole('group', { name: 'Rate this conversation (optional)' }).locator('label.csat__star').nth(3).click();
    await startOver.getByLabel('Anything you would like to add? (optional)').fill('Quick, but I had to ask twice.');
    const confirm = startOver.getByRole('button', { name: 'Start over', exact: true });
    const confirmBox = (await confirm.boundingBox())!;
    expect(confirmBox.y + confirmBox.height).toBeLessThanOrEqual(options.viewport!.height);
    // Let the stars' colour transition finish before the picture.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS, `feedback-csat-${name}.png`) });
    await confirm.click();
    // A new conversation: the greeting alone, and no second question.
    await expect.poll(() => page.locator('.bubble').count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(1);
    expect(await page.locator('form.csat').count()).toBe(0);

    // Stored, counted in analytics, and delivered to the tenant's webhook.
    const [stored] = await ownerQuery(server.databaseUrl, 'select helpful, comment from answer_feedback where bot_id = $1', [bot.botId]);
    expect(stored).toEqual({ helpful: false, comment: 'It does not say whether VAT is included.' });
    await expect.poll(() => feedbackFigures(bot), { timeout: 15_000 }).toMatchObject({
      unhelpfulAnswers: 1, helpfulShare: 0, csatResponses: 1, csatAverage: 4, csatDistribution: [0, 0, 0, 1, 0],
    });
    const delivered = async () =>
      receiver.received
        // Other tests' endpoints have other secrets: verify only this bot's deliveries.
        .filter((m) => (JSON.parse(m.body) as { data: { botId: string } }).data.botId === bot.botId)
        .map((m) => new Webhook(createWebhookEndpoint.secret).verify(m.body, m.headers as Record<string, string>) as { type: string; data: any });
    const hasRating = (events: { data: any }[]) => events.some((p) => p.data.kind === 'conversation');
    await expect.poll(async () => hasRating(await delivered()), { timeout: 15_000 }).toBe(true);
    const events = await delivered();
    expect(events.every((p) => p.type === 'feedback.submitted')).toBe(true);
    expect(events.find((p) => p.data.kind === 'conversation')!.data).toMatchObject({ rating: 4, comment: 'Quick, but I had to ask twice.' });
    expect(events.filter((p) => p.data.kind === 'answer').map((p) => p.data.comment)).toContain('It does not say whether VAT is included.');
    expect(answerText).toContain('29 dollars');
    await page.context().close();
  });

  it('asks for a rating once a person hands the conversation back to the bot', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const page = await openChat(bot, VIEWPORTS[0]![1]);
    await ask(page, 'How much is the Pro plan?');
    await expect.poll(() => page.locator('.bubble--assistant.bubble--complete').count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(2);
    const [conversation] = await ownerQuery<{ id: string }>(server.databaseUrl, 'select id from conversation where bot_id = $1', [bot.botId]);
    const conversationId = conversation!.id;
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId, displayName: 'Sam' }, bot.accessToken);
    await graphqlOk(server.graphqlUrl, AGENT_MESSAGE, { conversationId, text: 'Hi, Sam here. VAT is included in all prices.' }, bot.accessToken);
    await page.getByText('Hi, Sam here.').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    // No prompt while the person is there.
    expect(await page.locator('form.csat').count()).toBe(0);
    await graphqlOk(server.graphqlUrl, HAND_BACK, { conversationId }, bot.accessToken);

    const csat = page.getByRole('form', { name: 'How satisfied are you with this conversation?' });
    await csat.waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await csat.locator('label.csat__star').nth(4).click();
    // Let the stars' colour transition finish before the picture.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'feedback-csat-handback-desktop.png') });
    await csat.getByRole('button', { name: 'Send rating' }).click();
    await expect.poll(() => page.locator('.csat--thanks').innerText()).toBe('Thank you for rating this conversation!');
    expect(await ownerQuery(server.databaseUrl, 'select rating, comment from conversation_rating where conversation_id = $1', [conversationId]))
      .toEqual([{ rating: 5, comment: null }]);
    // The conversation goes on with the bot; rating again from the menu shows the stars given.
    await page.getByRole('button', { name: 'More options' }).click();
    await page.getByRole('menuitem', { name: 'Rate this conversation' }).click();
    expect(await page.locator('form.csat input[type="radio"]:checked').getAttribute('value')).toBe('5');
    await page.context().close();
  });
});
