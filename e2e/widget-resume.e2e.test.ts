import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { publishedBot, type TenantFixture } from '../server/src/test/fixtures.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { ownerQuery } from '../server/src/test/owner-database.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';

// The conversation state of the widget against a real server in Chromium: a reply that keeps
// streaming across a dropped socket and a page reload, history kept per bot, an agent taking over,
// and the contact form making a lead.

let server: TestServer;
let browser: Browser;
let bot: TenantFixture;

beforeAll(async () => {
  // Replies stream slowly enough (a quarter second a token) to cut the socket or reload the page mid-reply.
  server = await startTestServer({ MASCOT_OFFLINE_TOKEN_DELAY_MS: '250' });
  bot = await publishedBot(server.graphqlUrl);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface WireEvent {
  __typename: string;
  seq: number;
  delta?: string;
}

/**
 * Proxies the widget's WebSockets to the server, recording what went over them, and can cut every
 * open one and refuse new ones for a while, like a network outage.
 */
async function socketProxy(page: Page) {
  const open = new Map<WebSocketRoute, { close(): Promise<void> }>();
  const received: WireEvent[] = [];
  const subscribedAfter: (number | null)[] = [];
  let refusing = false;
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    if (refusing) {
      // 1012 (service restart) is a close graphql-ws retries after, as after a dropped network.
      void ws.close({ code: 1012, reason: 'outage' });
      return;
    }
    const upstream = ws.connectToServer();
    let cut = false;
    open.set(ws, {
      async close() {
        cut = true;
        await ws.close({ code: 1012, reason: 'outage' });
        await upstream.close();
      },
    });
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message));
      if (frame.type === 'subscribe') subscribedAfter.push(frame.payload.variables.afterSeq ?? null);
      upstream.send(message);
    });
    upstream.onMessage((message) => {
      if (cut) return; // what the server sends after the cut never reaches the page
      const frame = JSON.parse(String(message));
      const event = frame.type === 'next' ? frame.payload?.data?.conversationEvents : undefined;
      if (event) received.push(event);
      ws.send(message);
    });
  });
  return {
    received,
    subscribedAfter,
    async outage(ms: number) {
      refusing = true;
      for (const connection of open.values()) await connection.close();
      open.clear();
      await page.waitForTimeout(ms);
      refusing = false;
    },
  };
}

async function openWidget(page: Page) {
  await page.goto(`${server.url}/widget/?bot=${bot.embedId}`);
}

/** Sends a question once the widget may send (its event subscription is live). */
async function ask(page: Page, question: string) {
  const input = page.getByLabel('Message', { exact: true });
  await input.fill(question);
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect.poll(() => send.isEnabled(), { timeout: 20_000 }).toBe(true);
  await input.press('Enter');
}

/** Waits until the widget may send (its event subscription is live). */
async function waitUntilLive(page: Page) {
  const input = page.getByLabel('Message', { exact: true });
  await input.fill('?');
  await expect.poll(() => page.getByRole('button', { name: 'Send', exact: true }).isEnabled(), { timeout: 20_000 }).toBe(true);
  await input.fill('');
}

/** The conversation the page stored for the bot. */
async function storedConversationId(page: Page): Promise<string> {
  const raw = await page.evaluate((key) => {
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i)!;
      if (name.endsWith(`:conversation:${key}`)) return localStorage.getItem(name);
    }
    return null;
  }, bot.embedId);
  return JSON.parse(raw!).conversationId;
}

async function storedReplies(conversationId: string): Promise<string[]> {
  const rows = await ownerQuery<{ text: string }>(
    server.databaseUrl,
    `select text from message where conversation_id = $1 and role = 'ASSISTANT' order by created_at`,
    [conversationId],
  );
  return rows.map((r) => r.text);
}

const lastReply = (page: Page) => page.locator('.bubble--assistant').last();

/** What a bubble shows as its text, without the screen-reader prefix ("Pip said:"). */
function shownText(bubble: ReturnType<typeof lastReply>): Promise<string> {
  // Runs in the page; the test's TypeScript has no DOM types, hence `any`.
  return bubble.evaluate((el: any) => {
    const body = el.querySelector('.bubble__body')?.cloneNode(true);
    body?.querySelectorAll('.sr-only').forEach((n: any) => n.remove());
    return (body?.textContent ?? '') as string;
  });
}

/** Markdown turns line breaks into elements, so texts are compared without whitespace. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

/**
 * Samples the newest assistant bubble while it streams until it completed; returns the samples.
 * `during` runs once the bubble shows some text (mid-reply).
 */
async function followReply(page: Page, during: () => Promise<void>): Promise<string[]> {
  const samples: string[] = [];
  let interrupted = false;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const bubble = lastReply(page);
    const streaming = await bubble.evaluate((el) => el.classList.contains('bubble--streaming')).catch(() => false);
    const complete = await bubble.evaluate((el) => el.classList.contains('bubble--complete')).catch(() => false);
    if (streaming) {
      const text = squeeze(await shownText(bubble).catch(() => ''));
      if (text) samples.push(text);
      if (text && !interrupted) {
        interrupted = true;
        await during();
      }
    }
    if (complete && interrupted) break;
    await page.waitForTimeout(40);
  }
  expect(interrupted, 'the reply was interrupted while it streamed').toBe(true);
  return samples;
}

/** Every sample is a prefix of the stored text: nothing repeated, nothing skipped, in order. */
function expectPrefixes(samples: string[], stored: string) {
  for (const sample of samples) expect(squeeze(stored).startsWith(sample), sample).toBe(true);
}

describe('widget conversation state', () => {
  it('continues a reply after the socket drops mid-stream, without duplicated or missing text', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const proxy = await socketProxy(page);
    await openWidget(page);
    await ask(page, 'How much does the Pro plan cost?');

    const samples = await followReply(page, () => proxy.outage(1_000));
    const conversationId = await storedConversationId(page);
    const [stored] = await storedReplies(conversationId);
    expect(squeeze(await shownText(lastReply(page)))).toBe(squeeze(stored!));
    expectPrefixes(samples, stored!);
    // The drop happened mid-reply, and text kept streaming in after it.
    expect(samples[0]!.length).toBeLessThan(squeeze(stored!).length);
    expect(new Set(samples).size).toBeGreaterThan(2);

    // On the wire: the resubscription asked for what followed the last event received, and the
    // seqs received over both sockets are each present exactly once, without a hole.
    expect(proxy.subscribedAfter.length).toBeGreaterThanOrEqual(2);
    const seqs = proxy.received.filter((e) => e.__typename !== 'ConversationSubscribed').map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    const resumedAfter = proxy.subscribedAfter.at(-1)!;
    expect(resumedAfter).toBeGreaterThan(0);
    const deltas = proxy.received.filter((e) => e.__typename === 'ReplyDelta').map((e) => e.delta).join('');
    expect(deltas).toBe(stored);
    await context.close();
  });

  it('continues a reply after a reload mid-stream from the stored transcript and seq', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const proxy = await socketProxy(page);
    await openWidget(page);
    await ask(page, 'When is support open?');

    const samples = await followReply(page, async () => {
      await page.reload();
    });
    const conversationId = await storedConversationId(page);
    const [stored] = await storedReplies(conversationId);
    expectPrefixes(samples, stored!);
    await expect.poll(() => page.locator('.bubble--assistant.bubble--complete').count()).toBe(2); // greeting + reply
    expect(squeeze(await shownText(lastReply(page)))).toBe(squeeze(stored!));
    await expect.poll(() => page.getByText('When is support open?').count()).toBe(1);
    // The reloaded page resumed after the seq it had stored, rather than replaying everything.
    expect(proxy.subscribedAfter.at(-1)).toBeGreaterThan(0);
    await context.close();
  });

  it('keeps the history per bot across reloads and tabs, and starts over on request', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openWidget(page);
    await ask(page, 'How much does the Pro plan cost?');
    await expect.poll(() => page.locator('.bubble--assistant.bubble--complete').count(), { timeout: 30_000 }).toBe(2);
    const conversationId = await storedConversationId(page);

    const other = await context.newPage();
    await openWidget(other);
    await waitUntilLive(other);
    await expect.poll(() => other.getByText('How much does the Pro plan cost?').count()).toBe(1);
    expect(await storedConversationId(other)).toBe(conversationId);
    const [stored] = await storedReplies(conversationId);
    expect(squeeze(await shownText(lastReply(other)))).toBe(squeeze(stored!));

    // Both tabs stay open: a question asked in one shows in the other with its answer.
    await ask(other, 'When is support open?');
    await expect.poll(() => page.getByText('When is support open?').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.locator('.bubble--assistant.bubble--complete').count(), { timeout: 30_000 }).toBe(3);

    // Starting over in one tab starts over in the other too.
    await other.getByRole('button', { name: 'New conversation' }).click();
    await expect.poll(() => other.getByText('How much does the Pro plan cost?').count()).toBe(0);
    await waitUntilLive(other);
    await expect.poll(() => storedConversationId(other)).not.toBe(conversationId);
    await expect.poll(() => page.getByText('How much does the Pro plan cost?').count()).toBe(0);
    await context.close();
  });

  it('shows the wait for a person, the agent joining with their messages, and the return to the bot', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openWidget(page);
    await ask(page, 'Can I talk to a human, please?');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Waiting for a person' }).count(), { timeout: 20_000 }).toBe(1);
    const conversationId = await storedConversationId(page);

    const takeOver = /* GraphQL */ `
      mutation TakeOver($conversationId: ID!) { takeOverConversation(conversationId: $conversationId, displayName: "Grace") { conversation { status } } }`;
    const say = /* GraphQL */ `
      mutation Say($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id } }`;
    const handBack = /* GraphQL */ `mutation Back($conversationId: ID!) { handBackConversation(conversationId: $conversationId) { status } }`;
    await graphqlOk(server.graphqlUrl, takeOver, { conversationId }, bot.accessToken);
    await graphqlOk(server.graphqlUrl, say, { conversationId, text: 'Hi, Grace here. How can I help?' }, bot.accessToken);

    await expect.poll(() => page.getByText('Grace joined the conversation.').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'You are chatting with Grace' }).count()).toBe(1);
    const agentBubble = page.locator('.bubble--agent');
    await expect.poll(() => agentBubble.count()).toBe(1);
    expect(await agentBubble.innerText()).toMatch(/Grace[\s\S]*Hi, Grace here\. How can I help\?/);

    // The visitor's reply reaches the agent once and shows once.
    await ask(page, 'I need an invoice copy');
    await expect.poll(() => page.getByText('I need an invoice copy').count()).toBe(1);

    await graphqlOk(server.graphqlUrl, handBack, { conversationId }, bot.accessToken);
    await expect.poll(() => page.getByText(/Grace left; you are chatting with the assistant again/).count(), { timeout: 20_000 }).toBe(1);
    // A reload keeps all of it.
    await page.reload();
    await expect.poll(() => page.locator('.bubble--agent').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByText('I need an invoice copy').count()).toBe(1);
    await context.close();
  });

  it('offers the contact form when the bot cannot answer, validates it, and makes a lead', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openWidget(page);
    await ask(page, 'What is the capital of Peru?');
    const form = page.getByRole('form');
    await expect.poll(() => form.count(), { timeout: 30_000 }).toBe(1);

    await form.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
    await form.getByLabel('E-mail').fill('not-an-address');
    await form.getByRole('button', { name: 'Send my details' }).click();
    await expect.poll(() => form.getByText('Please enter a valid e-mail address.').count()).toBe(1);
    await expect.poll(() => form.getByText('Please agree to be contacted').count()).toBe(1);
    expect(await form.getByLabel('E-mail').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('E-mail').fill('ada@example.com');
    await form.getByLabel('Phone (optional)').fill('+44 20 7946 0958');
    await form.getByLabel('I agree to be contacted about my question.').check();
    await form.getByRole('button', { name: 'Send my details' }).click();
    await expect.poll(() => page.getByText(/Thank you! Someone from the team/).count(), { timeout: 20_000 }).toBe(1);

    const conversationId = await storedConversationId(page);
    const leads = /* GraphQL */ `
      query Leads($botId: ID!) { leads(botId: $botId, first: 50) { edges { node { conversationId name email phone wantsContact consentedAt } } } }`;
    const { leads: page1 } = await graphqlOk(server.graphqlUrl, leads, { botId: bot.botId }, bot.accessToken);
    const lead = page1.edges.map((e: any) => e.node).find((n: any) => n.conversationId === conversationId);
    expect(lead).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+442079460958', wantsContact: true });
    expect(lead.consentedAt).toEqual(expect.any(String));

    // The thank-you survives a reload; the form is not offered again.
    await page.reload();
    await expect.poll(() => page.getByText(/Thank you! Someone from the team/).count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByRole('form').count()).toBe(0);
    await context.close();
  });
});
