// Handoff by the visitor's choice in real Chromium against a real server (issue 14): an unsure answer
// offers a person; "No thanks" keeps the bot answering; accepting queues the conversation, the bot still
// answers while the person is on the way, an agent joins through the agent GraphQL API and hands back;
// cancelling a wait; nobody online, outside business hours or a wait nobody takes → the panel says so (and
// when people are back) and shows the contact form — on a desktop and on a 360×640 phone.
// Screenshots land in docs/widget/ when MASCOT_UPDATE_SCREENSHOTS=1.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentOnline } from '../server/src/test/agent-online.ts';
import { publishedBot, type TenantFixture } from '../server/src/test/fixtures.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { ownerQuery } from '../server/src/test/owner-database.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { ask } from './chat-page.ts';
import { launchChromium } from './chromium.ts';

const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/widget')
  : path.join(tmpdir(), 'mascot-widget-screenshots');
/** Generous: these tests share two cores with other suites, and a reply must only arrive, not be fast. */
const SLOW_MACHINE_TIMEOUT = 45_000;

const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!) { takeOverConversation(conversationId: $conversationId, displayName: "Sam") { conversation { status } } }`;
const AGENT_SAYS = /* GraphQL */ `
  mutation AgentSays($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id } }`;
const HAND_BACK = /* GraphQL */ `
  mutation HandBack($conversationId: ID!) { handBackConversation(conversationId: $conversationId) { status } }`;
const UPDATE_SETTINGS = /* GraphQL */ `
  mutation Update($input: HandoffSettingsInput!) { updateHandoffSettings(input: $input) { openNow nextOpeningAt } }`;

const UNSURE = 'What is the capital of Peru?';
const PRICE = 'How much does the Pro plan cost?';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ MASCOT_OFFLINE_TOKEN_DELAY_MS: '5' });
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const VIEWPORTS: [string, BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['mobile', { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
];

async function openChat(bot: TenantFixture, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  await page.goto(`${server.url}/widget/?bot=${bot.embedId}`);
  // The greeting first, so counting answers starts after it.
  await page.locator('.bubble--assistant.bubble--complete').first().waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
  return page;
}

const completeAnswers = (page: Page) => page.locator('.bubble--assistant.bubble--complete');

/** Asks `question` and waits for its answer (the count of finished assistant bubbles grows by one). */
async function askAndWait(page: Page, question: string): Promise<Locator> {
  const before = await completeAnswers(page).count();
  await ask(page, question);
  await expect.poll(() => completeAnswers(page).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(before + 1);
  return completeAnswers(page).last();
}

const offer = (page: Page) => page.getByRole('group', { name: 'Would you like to talk to a person from the team?' });
const banner = (page: Page) => page.locator('.handoff-notice');

/** The banner sits above the transcript, never over it; everything stays inside the viewport. */
async function expectBannerInFlow(page: Page, width: number): Promise<void> {
  const notice = (await banner(page).boundingBox())!;
  const transcript = (await page.getByRole('log').boundingBox())!;
  expect(notice.y + notice.height).toBeLessThanOrEqual(transcript.y + 1);
  expect(notice.x + notice.width).toBeLessThanOrEqual(width);
}

describe('handoff by the visitor\'s choice in the widget', () => {
  it.each(VIEWPORTS)('offers a person; "No thanks" keeps the bot answering; accept → bot answers while waiting → agent joins → hands back (%s)', async (name, options) => {
    const width = options.viewport!.width;
    const bot = await publishedBot(server.graphqlUrl);
    const agent = await agentOnline(server, bot.accessToken);
    const page = await openChat(bot, options);

    // An unsure answer says it does not know and offers a person; nothing is queued yet.
    const unsure = await askAndWait(page, UNSURE);
    expect(await unsure.innerText()).toMatch(/connect you with someone from the team\?/);
    await offer(page).waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    expect(await banner(page).isHidden()).toBe(true);
    const offerBox = (await offer(page).boundingBox())!;
    expect(offerBox.x + offerBox.width).toBeLessThanOrEqual(width);
    await page.screenshot({ path: path.join(SCREENSHOTS, `handoff-offer-${name}.png`) });

    // No thanks: the offer goes, the bot answers the next question.
    await offer(page).getByRole('button', { name: 'No thanks' }).click();
    expect(await offer(page).count()).toBe(0);
    expect(await (await askAndWait(page, PRICE)).innerText()).toMatch(/29 dollars/);
    expect(agent.queue.events.filter((e) => e.waitingConversations.change === 'WAITING')).toHaveLength(0);

    // Accept this time: a person is asked to join, and the bot goes on answering meanwhile.
    await askAndWait(page, UNSURE);
    await offer(page).getByRole('button', { name: 'Yes, connect me' }).click();
    await banner(page).getByRole('button', { name: 'Stop waiting for a person' }).waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    expect(await banner(page).innerText()).toMatch(/A person from the team has been asked to join/);
    const queued = await agent.queue.waitFor((e) => e.waitingConversations.change === 'WAITING');
    const conversationId = queued.waitingConversations.conversation.id;
    expect(queued.waitingConversations.conversation.reason).toBe('BOT_UNSURE');
    const whileWaiting = await askAndWait(page, PRICE);
    expect(await whileWaiting.innerText()).toMatch(/29 dollars[\s\S]*asked to join/);
    await expectBannerInFlow(page, width);
    await page.screenshot({ path: path.join(SCREENSHOTS, `handoff-waiting-${name}.png`) });

    // The agent takes over and writes; the visitor sees them join.
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId }, bot.accessToken);
    await graphqlOk(server.graphqlUrl, AGENT_SAYS, { conversationId, text: 'Hi, Sam here. Lima is the capital of Peru.' }, bot.accessToken);
    await page.locator('.bubble--agent').getByText('Lima is the capital of Peru.').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await expect.poll(() => banner(page).innerText()).toBe('You are chatting with Sam.');
    await expectBannerInFlow(page, width);
    await page.screenshot({ path: path.join(SCREENSHOTS, `handoff-agent-${name}.png`) });

    // Hand back: the bot answers again.
    await graphqlOk(server.graphqlUrl, HAND_BACK, { conversationId }, bot.accessToken);
    await page.getByText('Sam left; you are chatting with the assistant again.').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    expect(await banner(page).isHidden()).toBe(true);
    expect(await (await askAndWait(page, PRICE)).innerText()).toMatch(/29 dollars/);

    // A wait can be cancelled from the banner.
    await askAndWait(page, UNSURE);
    await offer(page).getByRole('button', { name: 'Yes, connect me' }).click();
    const cancel = banner(page).getByRole('button', { name: 'Stop waiting for a person' });
    await cancel.click();
    await page.getByText('You are chatting with the assistant again.', { exact: true }).waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    expect(await banner(page).isHidden()).toBe(true);
    await agent.leave();
    await page.context().close();
  });

  it.each(VIEWPORTS)('says when nobody can come — no agent online, closed until the next opening, a wait nobody takes — and shows the contact form (%s)', async (name, options) => {
    const width = options.viewport!.width;
    const height = options.viewport!.height;

    // Nobody online.
    const lonely = await publishedBot(server.graphqlUrl);
    const page = await openChat(lonely, options);
    await askAndWait(page, UNSURE);
    await offer(page).getByRole('button', { name: 'Yes, connect me' }).click();
    await expect.poll(() => banner(page).innerText(), { timeout: SLOW_MACHINE_TIMEOUT }).toMatch(/^No one from the team is online right now\. Leave your details/);
    const form = page.locator('form.lead-form');
    await form.waitFor();
    const submit = (await form.getByRole('button', { name: 'Send my details' }).boundingBox())!;
    expect(submit.y + submit.height).toBeLessThanOrEqual(height);
    // The bot still answers.
    expect(await (await askAndWait(page, PRICE)).innerText()).toMatch(/29 dollars/);
    await page.context().close();

    // Closed today (a holiday), open again tomorrow at 09:00 UTC: said in the visitor's time zone.
    const shop = await publishedBot(server.graphqlUrl);
    const agent = await agentOnline(server, shop.accessToken);
    const today = new Date().toISOString().slice(0, 10);
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, opens: '09:00', closes: '17:00' }));
    const { updateHandoffSettings } = await graphqlOk(server.graphqlUrl, UPDATE_SETTINGS, {
      input: { timeZone: 'UTC', weeklyHours: weekly, holidays: [today], waitTimeoutSeconds: 300 },
    }, shop.accessToken);
    expect(updateHandoffSettings.openNow).toBe(false);
    const closed = await openChat(shop, options);
    await askAndWait(closed, UNSURE);
    await offer(closed).getByRole('button', { name: 'Yes, connect me' }).click();
    await expect.poll(() => banner(closed).innerText(), { timeout: SLOW_MACHINE_TIMEOUT })
      .toMatch(/^No one from the team is available right now\. We are back \w+ 09:00\./);
    const notice = closed.locator('.notice').last();
    expect(await notice.innerText()).toMatch(/We are back \w+ 09:00\./);
    const closedForm = closed.locator('form.lead-form');
    await closedForm.waitFor();
    const send = (await closedForm.getByRole('button', { name: 'Send my details' }).boundingBox())!;
    expect(send.y + send.height).toBeLessThanOrEqual(height);
    expect(send.x + send.width).toBeLessThanOrEqual(width);
    await expectBannerInFlow(closed, width);
    await closed.screenshot({ path: path.join(SCREENSHOTS, `handoff-unavailable-${name}.png`) });
    expect(agent.queue.events.filter((e) => e.waitingConversations.change === 'WAITING')).toHaveLength(0);
    await agent.leave();
    await closed.context().close();

    // Open, an agent online, but nobody takes the wait in time: back to the bot and the contact form.
    const slow = await publishedBot(server.graphqlUrl);
    const idle = await agentOnline(server, slow.accessToken);
    // Below what the API accepts (30 s), so the test does not wait long.
    await ownerQuery(server.databaseUrl, 'insert into handoff_settings (tenant_id, wait_timeout_seconds) values ($1, 2)', [slow.tenantId]);
    const waiting = await openChat(slow, options);
    await askAndWait(waiting, UNSURE);
    await offer(waiting).getByRole('button', { name: 'Yes, connect me' }).click();
    await idle.queue.waitFor((e) => e.waitingConversations.change === 'WAITING');
    await expect.poll(() => banner(waiting).innerText(), { timeout: SLOW_MACHINE_TIMEOUT })
      .toMatch(/^No one from the team could join in time\. Leave your details/);
    await waiting.getByText('You are chatting with the assistant again.', { exact: true }).waitFor();
    await waiting.locator('form.lead-form').waitFor();
    expect(await (await askAndWait(waiting, PRICE)).innerText()).toMatch(/29 dollars/);
    await idle.leave();
    await waiting.context().close();
  });
});
