// The Console's Inbox in real Chromium against a real server (issue 17): a visitor in a second browser
// context runs the real widget and asks for a person; the request appears live in two agents' inboxes;
// both take it over at once and exactly one wins, the other is told at once; the winner chats with the
// visitor (who sees it live), hands back, and the bot answers the visitor's next message.
// Screenshots land in docs/console/ when MASCOT_UPDATE_SCREENSHOTS=1.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishedBot } from '../server/src/test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../server/src/test/graphql-test-client.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { ask } from './chat-page.ts';
import { launchChromium } from './chromium.ts';
import { expectNoSeriousAxeViolations, invitedMember, openConsole, TABLET, watchProblems, type ConsoleMember } from './console-page.ts';

const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/console')
  : path.join(tmpdir(), 'mascot-console-screenshots');
/** Generous: these tests share two cores with other suites; things must only arrive, not be fast. */
const SLOW_MACHINE_TIMEOUT = 45_000;
const UNSURE = 'What is the capital of Peru?';
const PRICE = 'How much does the Pro plan cost?';
const AVAILABILITY = /* GraphQL */ `query Online { handoffAvailability { onlineAgentIds } }`;
const TYPING = /* GraphQL */ `subscription Typing($conversationId: ID!) { typingIndicators(conversationId: $conversationId) { who typing } }`;
const VISITOR_TYPING = /* GraphQL */ `mutation Typing($conversationId: ID!) { setVisitorTyping(conversationId: $conversationId, typing: true) }`;
const CREATE_CANNED_REPLY = /* GraphQL */ `mutation Canned($input: CannedReplyInput!) { createCannedReply(input: $input) { id } }`;

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

const completeAnswers = (page: Page) => page.locator('.bubble--assistant.bubble--complete');

async function askAndWait(page: Page, question: string): Promise<Locator> {
  const before = await completeAnswers(page).count();
  await ask(page, question);
  await expect.poll(() => completeAnswers(page).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(before + 1);
  return completeAnswers(page).last();
}

const queueItems = (page: Page) => page.getByTestId('inbox-list').locator('a[data-conversation-id]');

describe('the Console inbox', () => {
  it('shows a visitor’s request live, lets one of two racing agents take it, chats, and hands back to the bot', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const agents: ConsoleMember[] = [
      await invitedMember(server.graphqlUrl, bot.accessToken, 'AGENT'),
      await invitedMember(server.graphqlUrl, bot.accessToken, 'AGENT'),
    ];
    const pages = await Promise.all(agents.map((agent) => openConsole(browser, server.url, agent, { path: '/inbox' })));
    const problems = pages.map((page) => watchProblems(page));
    const names = ['Alex', 'Blake'];
    for (const [index, page] of pages.entries()) {
      expect(await page.getByTestId('presence').innerText()).toMatch(/^Online/);
      await page.getByLabel('Your name for visitors').fill(names[index]!);
      await page.getByLabel('Your name for visitors').blur();
    }

    // Holding the inbox open is being online: the server counts both agents before the visitor asks.
    await expect.poll(async () => {
      const { handoffAvailability } = await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, bot.accessToken);
      return [...handoffAvailability.onlineAgentIds].sort();
    }, { timeout: SLOW_MACHINE_TIMEOUT }).toEqual(agents.map((agent) => agent.userId).sort());
    for (const page of pages) expect(await queueItems(page).count()).toBe(0);

    // The visitor, in the real widget, accepts the offer of a person.
    const visitorContext = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 420, height: 720 } });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${server.url}/widget/?bot=${bot.embedId}`);
    await completeAnswers(visitor).first().waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await askAndWait(visitor, UNSURE);
    await visitor.getByRole('button', { name: 'Yes, connect me' }).click();
    await visitor.locator('.handoff-notice').getByText(/asked to join/).waitFor({ timeout: SLOW_MACHINE_TIMEOUT });

    // It appears in both inboxes without a reload, under Unassigned.
    for (const page of pages) await queueItems(page).first().waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    const conversationId = (await queueItems(pages[0]!).first().getAttribute('data-conversation-id'))!;
    expect(await queueItems(pages[1]!).first().getAttribute('data-conversation-id')).toBe(conversationId);
    expect(await queueItems(pages[0]!).first().innerText()).toMatch(/Waiting/);
    await pages[0]!.screenshot({ path: path.join(SCREENSHOTS, 'inbox-queue.png') });

    // Both open it and press Take over at the same moment: one wins, the other is told at once.
    for (const page of pages) {
      await queueItems(page).first().click();
      await page.getByRole('heading', { level: 2 }).waitFor();
      expect(await page.getByTestId('conversation-status').innerText()).toMatch(/Waiting/);
    }
    await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Take over' }).click()));
    const composer = (page: Page) => page.getByLabel('Reply to the visitor');
    await expect.poll(async () => (await Promise.all(pages.map((page) => composer(page).count()))).sort(), { timeout: SLOW_MACHINE_TIMEOUT }).toEqual([0, 1]);
    const winnerIndex = (await composer(pages[0]!).count()) === 1 ? 0 : 1;
    const winner = pages[winnerIndex]!;
    const loser = pages[1 - winnerIndex]!;
    const winnerName = names[winnerIndex]!;
    await loser.getByTestId('taken-by-other').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    expect(await loser.getByTestId('taken-by-other').innerText()).toContain(`${winnerName} is talking to the visitor`);
    expect(await loser.getByRole('button', { name: 'Take over' }).count()).toBe(0);
    expect(await winner.getByTestId('conversation-status').innerText()).toMatch(/With an agent\s+You/);

    // The visitor sees the agent join; the agent's reply arrives live in the widget.
    await expect.poll(() => visitor.locator('.handoff-notice').innerText(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`You are chatting with ${winnerName}.`);
    // Typing both ways. The widget does not signal or show typing yet, so the visitor's side is played with its
    // own token (from the widget's storage): its typing shows in the pane; the agent's reaches its subscription.
    const visitorToken = await visitor.evaluate((embedId) => {
      const key = Object.keys(localStorage).find((candidate) => candidate.endsWith(`:conversation:${embedId}`));
      return (JSON.parse(localStorage.getItem(key!)!) as { visitorToken: string }).visitorToken;
    }, bot.embedId);
    const typingClient = wsClient(server.websocketUrl, visitorToken);
    const heardByVisitor = recordSubscription(typingClient, TYPING, { conversationId });
    // Repeated until the pane's subscription is live (the server forwards a repeat every 1.5 s).
    await vi.waitFor(async () => {
      await graphqlOk(server.graphqlUrl, VISITOR_TYPING, { conversationId }, visitorToken);
      expect(await winner.getByTestId('visitor-typing').innerText()).toBe('The visitor is typing…');
    }, { timeout: SLOW_MACHINE_TIMEOUT, interval: 500 });
    await vi.waitFor(async () => {
      await composer(winner).press('.');
      expect(heardByVisitor.events.map((event) => event.typingIndicators)).toContainEqual({ who: 'AGENT', typing: true });
    }, { timeout: SLOW_MACHINE_TIMEOUT, interval: 500 });
    await typingClient.dispose();
    await composer(winner).fill('Hi, this is the team. Lima is the capital of Peru.');
    await composer(winner).press('Enter');
    await visitor.locator('.bubble--agent').getByText('Lima is the capital of Peru.').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await winner.getByRole('log').getByText('Lima is the capital of Peru.').waitFor();

    // The visitor answers; both agents see it live in the transcript.
    await ask(visitor, 'Thank you, that helps a lot!');
    for (const page of pages) await page.getByRole('log').getByText('Thank you, that helps a lot!').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });

    // Assigned to me lists it for the winner only.
    await winner.getByRole('tab', { name: /Assigned to me/ }).click();
    await expect.poll(() => queueItems(winner).count()).toBe(1);
    await loser.getByRole('tab', { name: /Assigned to me/ }).click();
    await expect.poll(() => queueItems(loser).count()).toBe(0);
    // An internal note: the team sees it in the transcript, the visitor never does.
    await winner.getByLabel(/^Internal note for the team/).fill('Asked about Peru; not a customer yet.');
    await winner.getByRole('button', { name: 'Add note' }).click();
    await winner.getByRole('log').getByRole('article', { name: /^Internal note by / }).getByText('not a customer yet').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await winner.screenshot({ path: path.join(SCREENSHOTS, 'inbox-conversation.png') });
    await expectNoSeriousAxeViolations(winner, 'inbox with a conversation taken over');

    // Hand back: the visitor is told, and the bot answers the next question again.
    await winner.getByRole('button', { name: 'Hand back to bot' }).click();
    await visitor.getByText(`${winnerName} left; you are chatting with the assistant again.`).waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await expect.poll(() => winner.getByTestId('conversation-status').innerText(), { timeout: SLOW_MACHINE_TIMEOUT }).toMatch(/With the bot/);
    expect(await (await askAndWait(visitor, PRICE)).innerText()).toMatch(/29 dollars/);
    // The agent still watching sees the bot's answer arrive.
    await winner.getByRole('log').locator('.msg__bubble').getByText(/29 dollars/).waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    expect(await visitor.getByText('not a customer yet').count()).toBe(0);

    for (const list of problems) expect(list).toEqual([]);
    await visitorContext.close();
    for (const page of pages) await page.context().close();
  });

  it('fits a tablet: queue, the conversation with canned replies and a way back, then closing it', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const agent = await invitedMember(server.graphqlUrl, bot.accessToken, 'AGENT');
    for (const input of [{ shortcut: 'wait', text: 'Thanks for waiting, one moment please.' }, { shortcut: 'welcome', text: 'Welcome! How can I help?' }]) {
      await graphqlOk(server.graphqlUrl, CREATE_CANNED_REPLY, { input }, bot.accessToken);
    }
    const page = await openConsole(browser, server.url, agent, { path: '/inbox', context: TABLET });
    const problems = watchProblems(page);
    const visitorContext = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${server.url}/widget/?bot=${bot.embedId}`);
    await completeAnswers(visitor).first().waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await expect.poll(async () => (await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, bot.accessToken)).handoffAvailability.onlineAgentIds, { timeout: SLOW_MACHINE_TIMEOUT }).toEqual([agent.userId]);
    await askAndWait(visitor, UNSURE);
    await visitor.getByRole('button', { name: 'Yes, connect me' }).click();
    await queueItems(page).first().waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await expectNoSeriousAxeViolations(page, 'inbox queue on a tablet');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-tablet-queue.png') });

    await queueItems(page).first().click();
    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByLabel('Reply to the visitor').waitFor();
    const composerBox = (await page.getByLabel('Reply to the visitor').boundingBox())!;
    expect(composerBox.x + composerBox.width).toBeLessThanOrEqual(820);
    expect(composerBox.y + composerBox.height).toBeLessThanOrEqual(1180);
    // The team's canned replies: "/w" lists both shortcuts, "/wa" only one; Enter inserts it, Enter again sends.
    const reply = page.getByLabel('Reply to the visitor');
    const suggestions = page.getByRole('listbox', { name: 'Canned replies matching the shortcut' }).getByRole('option');
    await reply.fill('/w');
    await expect.poll(() => suggestions.allInnerTexts()).toEqual([expect.stringMatching(/^\/wait/), expect.stringMatching(/^\/welcome/)]);
    await reply.press('ArrowDown');
    expect(await suggestions.nth(1).getAttribute('aria-selected')).toBe('true');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-tablet-canned-replies.png') });
    await reply.press('ArrowUp');
    await reply.fill('/wa');
    await expect.poll(() => suggestions.count()).toBe(1);
    await reply.press('Enter');
    expect(await reply.inputValue()).toBe('Thanks for waiting, one moment please.');
    expect(await suggestions.count()).toBe(0);
    await reply.press('Enter');
    await visitor.locator('.bubble--agent').getByText('Thanks for waiting, one moment please.').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-tablet-conversation.png') });
    await expectNoSeriousAxeViolations(page, 'inbox conversation on a tablet');

    // Keyboard only: back to the queue.
    await page.getByRole('button', { name: 'Back to the queue' }).focus();
    await page.keyboard.press('Enter');
    // Taken over, it moved from Unassigned to Assigned to me.
    await page.getByRole('tab', { name: /Unassigned/ }).waitFor();
    expect(await queueItems(page).count()).toBe(0);
    await page.getByRole('tab', { name: /Unassigned/ }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('tab', { name: /Assigned to me/ }).getAttribute('aria-selected')).toBe('true');
    await queueItems(page).first().waitFor();

    // Close: the visitor is back with the bot, and the conversation leaves the Inbox; Reopen marks it open again.
    await queueItems(page).first().click();
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await visitor.getByText(/left; you are chatting with the assistant again/).waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await expect.poll(() => page.getByTestId('conversation-status').innerText(), { timeout: SLOW_MACHINE_TIMEOUT }).toMatch(/With the bot\s+Closed/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-tablet-closed.png') });
    await expectNoSeriousAxeViolations(page, 'closed conversation on a tablet');
    await page.getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(() => page.getByTestId('conversation-status').innerText(), { timeout: SLOW_MACHINE_TIMEOUT }).not.toMatch(/Closed/);
    await page.getByRole('button', { name: 'Back to the queue' }).click();
    await page.getByRole('tab', { name: /Assigned to me/ }).click();
    await expect.poll(() => queueItems(page).count(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(0);
    expect(problems).toEqual([]);
    await visitorContext.close();
    await page.context().close();
  });
});
