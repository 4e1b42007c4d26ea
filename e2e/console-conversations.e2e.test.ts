// The Console's Conversations screen in real Chromium against a real server (issue 17): sign in with the
// account's e-mail and password, search and filter the tenant's conversations, page through them, open one
// for its transcript with citations and costs, and download the exports; roles decide what shows.
// Screenshots land in docs/console/ when MASCOT_UPDATE_SCREENSHOTS=1.
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVisitorSession, subscribeToEvents } from '../server/src/test/conversation-stream.ts';
import { ADD_KNOWLEDGE_TEXT, CREATE_BOT, PUBLISH_BOT, SEND_MESSAGE } from '../server/src/test/operations.ts';
import { PRICING_TEXT, signUpAccount, type Account } from '../server/src/test/fixtures.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { visitorActivity } from '../server/src/test/visitor-activity.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { launchChromium } from './chromium.ts';
import { DESKTOP, expectNoSeriousAxeViolations, invitedMember, openConsole, ownerMember, watchProblems } from './console-page.ts';

const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/console')
  : path.join(tmpdir(), 'mascot-console-screenshots');
const SLOW_MACHINE_TIMEOUT = 45_000;

let server: TestServer;
let browser: Browser;
let owner: Account;
let embedId: string;
/** Conversations the tests look for, by what their visitor asked. */
const asked = {
  price: 'How much does the Pro plan cost?',
  trial: 'Is there a free trial of the Team plan?',
  withLead: 'What does the Team plan include?',
};
const conversationIds: Record<keyof typeof asked, string> = { price: '', trial: '', withLead: '' };
const EXTRA_CONVERSATIONS = 24;

const START_AS = /* GraphQL */ `
  mutation StartAs($embedId: String!, $visitorId: String) { startConversation(embedId: $embedId, visitorId: $visitorId) { conversationId visitorToken } }`;

/** A visitor's conversation with one question answered; a returning visitor when `visitorId` is given. */
async function askedOnce(question: string, visitorId?: string): Promise<string> {
  const session = visitorId
    ? (await graphqlOk(server.graphqlUrl, START_AS, { embedId, visitorId })).startConversation
    : await startVisitorSession(server.graphqlUrl, embedId);
  const { client, recorder } = await subscribeToEvents(server.websocketUrl, session, null);
  try {
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: question }, session.visitorToken);
    await recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted', 30_000);
    return session.conversationId;
  } finally {
    await recorder.close();
    await client.dispose();
  }
}

beforeAll(async () => {
  server = await startTestServer({ MASCOT_OFFLINE_TOKEN_DELAY_MS: '0' });
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  owner = await signUpAccount(server.graphqlUrl, 'Acme Support');
  const { createBot } = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: 'Pip' } }, owner.accessToken);
  await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: createBot.id, input: { title: 'Price list', text: PRICING_TEXT } }, owner.accessToken);
  await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: createBot.id }, owner.accessToken);
  embedId = createBot.embedId;
  // Enough conversations for two pages of 25.
  for (let index = 0; index < EXTRA_CONVERSATIONS; index++) await askedOnce(`Question number ${index} about opening hours`);
  conversationIds.price = await askedOnce(asked.price);
  // The visitor who later leaves a lead came once before.
  conversationIds.trial = await askedOnce(asked.trial, 'visitor-with-lead-01');
  conversationIds.withLead = (await visitorActivity(server, embedId, { visitorId: 'visitor-with-lead-01', question: asked.withLead, email: 'ada@example.com' })).conversationId;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const rows = (page: Page) => page.locator('table tbody tr');
const pageRange = (page: Page) => page.getByTestId('page-range').innerText();

describe('the Console conversations screen', () => {
  it('signs in with e-mail and password and keeps the deep link', async () => {
    const context = await browser.newContext({ ...DESKTOP, locale: 'en-GB', timezoneId: 'UTC' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const response = await page.goto(`${server.url}/console/conversations`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.getByRole('heading', { name: 'Sign in to Mascot Console' }).waitFor();
    await expectNoSeriousAxeViolations(page, 'sign-in');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in.png') });
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor();
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    expect(await page.getByTestId('signed-in-member').innerText()).toBe(owner.email);
    expect(page.url()).toBe(`${server.url}/console/conversations`);
    // Sign out ends the session on the server: a reload shows the sign-in form again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Mascot Console' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Mascot Console' }).waitFor();
    expect(problems.filter((problem) => !problem.includes('/graphql'))).toEqual([]);
    await context.close();
  });

  it('searches, filters and pages, opens a transcript with citations and costs, and exports', async () => {
    const page = await openConsole(browser, server.url, ownerMember(owner), { path: '/conversations' });
    const problems = watchProblems(page);
    const total = EXTRA_CONVERSATIONS + 3;
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`1–25 of ${total}`);
    expect(await rows(page).count()).toBe(25);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'conversations-list.png') });
    await expectNoSeriousAxeViolations(page, 'conversations list');

    // Paging through the connection.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`26–${total} of ${total}`);
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`1–25 of ${total}`);

    // Search the messages' text.
    await page.getByLabel('Search messages').fill('How much does');
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe('1–1 of 1');
    // With a lead: only the visitor who left contact details.
    await page.getByLabel('Search messages').fill('');
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`1–25 of ${total}`);
    await page.getByLabel('Lead').selectOption('yes');
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe('1–1 of 1');
    expect(await rows(page).first().innerText()).toMatch(/Lead/);
    expect(await rows(page).first().innerText()).toMatch(/★ 5/);
    await page.getByLabel('Lead').selectOption('no');
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`1–25 of ${total - 1}`);
    // Handed off: nobody asked for a person here.
    await page.getByLabel('Handed off').selectOption('yes');
    await page.getByText('No conversations match').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`1–25 of ${total}`);
    // A date range that ends before today has none.
    await page.getByLabel('Started until').fill('2020-01-31');
    await page.getByText('No conversations match').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await page.getByRole('button', { name: 'Clear' }).click();

    // Open the priced answer with the keyboard: the transcript with its citation and cost.
    await page.getByLabel('Search messages').fill('How much does');
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe('1–1 of 1');
    await rows(page).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/conversations/${conversationIds.price}`);
    const transcript = page.getByRole('log', { name: 'Transcript' });
    await transcript.getByText(asked.price).waitFor();
    await transcript.locator('.msg__bubble').getByText(/29 dollars/).waitFor();
    await transcript.getByText('1 source').click();
    await transcript.getByText(/Price list/).first().waitFor();
    expect(await page.getByTestId('cited-sources').innerText()).toMatch(/Price list/);
    expect(await transcript.getByTestId('message-usage').first().innerText()).toMatch(/offline/);
    expect(await page.getByTestId('conversation-cost').innerText()).toMatch(/^\$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'conversation-transcript.png'), fullPage: true });
    await expectNoSeriousAxeViolations(page, 'conversation transcript');

    // The transcript downloads, authenticated by the Console's token.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Transcript CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const csvText = await readFile((await csv.path())!, 'utf8');
    expect(csvText).toContain(asked.price);
    expect(csvText).toContain(conversationIds.price);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Transcript JSON' }).click()]);
    expect(await readFile((await json.path())!, 'utf8')).toContain(asked.price);

    // A deep link opens the same transcript after a reload; back to the list keeps the filters.
    await page.reload();
    await page.getByRole('log', { name: 'Transcript' }).getByText(asked.price).waitFor();
    await page.getByRole('button', { name: '← All conversations' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();

    // Export of every conversation in the range.
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const exported = await readFile((await all.path())!, 'utf8');
    for (const id of Object.values(conversationIds)) expect(exported).toContain(id);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows each role only what it may open', async () => {
    const analyst = await invitedMember(server.graphqlUrl, owner.accessToken, 'ANALYST');
    const page = await openConsole(browser, server.url, analyst, { path: '/conversations' });
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Conversations' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Inbox' }).count()).toBe(0);
    // The lead's details need leads:read: the analyst is told, not shown them.
    await page.goto(`${server.url}/console/conversations/${conversationIds.withLead}`);
    await page.getByRole('log', { name: 'Transcript' }).getByText(asked.withLead).waitFor();
    expect(await page.getByTestId('conversation-facts').innerText()).toMatch(/your role cannot read leads/);
    expect(await page.getByTestId('conversation-facts').innerText()).not.toContain('ada@example.com');
    // The same visitor's earlier conversation is a link away.
    const earlier = page.getByTestId('earlier-conversations').getByRole('link');
    await earlier.first().waitFor();
    expect(await earlier.count()).toBe(1);
    await earlier.click();
    await page.waitForURL(`${server.url}/console/conversations/${conversationIds.trial}`);
    await page.getByRole('log', { name: 'Transcript' }).getByText(asked.trial).waitFor();
    await page.goto(`${server.url}/console/inbox`);
    await page.getByText('No access').waitFor();
    await page.context().close();

    const viewer = await invitedMember(server.graphqlUrl, owner.accessToken, 'VIEWER');
    const viewerPage = await openConsole(browser, server.url, viewer, { path: '/conversations' });
    await viewerPage.getByText('No access').waitFor();
    await viewerPage.context().close();
  });

  it('filters by 👍/👎 and by closed, and shows the team’s internal notes in the transcript', async () => {
    const CLOSE = /* GraphQL */ `mutation Close($id: ID!) { closeConversation(conversationId: $id) { closedAt } }`;
    const NOTE = /* GraphQL */ `mutation Note($id: ID!, $text: String!) { addConversationNote(conversationId: $id, text: $text) { id } }`;
    await graphqlOk(server.graphqlUrl, CLOSE, { id: conversationIds.price }, owner.accessToken);
    await graphqlOk(server.graphqlUrl, NOTE, { id: conversationIds.price, text: 'Called them back about the Pro plan.' }, owner.accessToken);
    const page = await openConsole(browser, server.url, ownerMember(owner), { path: '/conversations' });
    const problems = watchProblems(page);
    const total = EXTRA_CONVERSATIONS + 3;
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`1–25 of ${total}`);

    // 👍: the visitor who left a lead rated its answer helpful; nobody rated one unhelpful.
    await page.getByLabel('Feedback').selectOption('HELPFUL');
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe('1–1 of 1');
    expect(await rows(page).first().innerText()).toMatch(/Lead/);
    await page.getByLabel('Feedback').selectOption('UNHELPFUL');
    await page.getByText('No conversations match').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    await page.getByRole('button', { name: 'Clear' }).click();

    // Closed: only the one an agent closed, marked; Open: all the others.
    await page.getByLabel('Open or closed').selectOption('yes');
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe('1–1 of 1');
    expect(await rows(page).first().innerText()).toMatch(/Closed/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'conversations-closed-filter.png') });
    await expectNoSeriousAxeViolations(page, 'conversations filtered by closed');
    await page.getByLabel('Open or closed').selectOption('no');
    await expect.poll(() => pageRange(page), { timeout: SLOW_MACHINE_TIMEOUT }).toBe(`1–25 of ${total - 1}`);

    // The note shows in the transcript, marked internal, after the messages it followed.
    await page.goto(`${server.url}/console/conversations/${conversationIds.price}`);
    const transcript = page.getByRole('log', { name: 'Transcript' });
    const note = transcript.getByRole('article', { name: /^Internal note by / });
    await note.getByText('Called them back about the Pro plan.').waitFor({ timeout: SLOW_MACHINE_TIMEOUT });
    expect(await transcript.locator('article').last().getAttribute('class')).toContain('msg--note');
    expect(await page.getByRole('heading', { level: 1 }).locator('..').innerText()).toMatch(/Closed/);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
