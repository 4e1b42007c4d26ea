import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_IN, SEND_MESSAGE } from '../test/operations.ts';
import { CONSOLE_CSP, CONSOLE_DIST } from './console-routes.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { eventsOf, startVisitorSession, subscribeToEvents, textOf } from '../test/conversation-stream.ts';
import { spawnServerProcess, type ServerProcess } from '../test/server-process.ts';

/*
 * The README's quick start as a new user runs it: `server/src/main.ts` in its own process with nothing
 * configured — PGlite on disk in a fresh data directory (migrated on first start), the in-process bus,
 * the offline answerer, the seeded demo tenant — printing where to go, answering the demo bot's visitors
 * and stopping cleanly on SIGTERM. DATABASE_URL and NATS_URL are blanked on purpose, so this runs
 * embedded even where CI sets them.
 */
let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-quick-start-'));
  server = await spawnServerProcess({
    DATABASE_URL: '',
    NATS_URL: '',
    MASCOT_DATA_DIR: dataDir,
    MASCOT_SEED_DEMO: 'true',
    MASCOT_OFFLINE_TOKEN_DELAY_MS: '0',
  });
});

afterAll(async () => {
  await server?.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A line of the banner main.ts prints for people, e.g. `Demo page (widget):  http://…/`. */
async function bannerValue(label: string): Promise<string> {
  const line = await server.waitForLog((entry) => typeof entry['text'] === 'string' && entry['text'].trim().startsWith(`${label}:`));
  return String(line['text']).trim().slice(label.length + 1).trim();
}

describe('the quick start (embedded defaults)', () => {
  it('prints the demo page and API addresses, and both answer', async () => {
    const running = server.logs.find((entry) => entry['msg'] === 'Mascot is running')!;
    expect(running['database']).toBe('embedded (PGlite + pgvector)');
    expect(running['bus']).toBe('in-process');

    const demoPage = await bannerValue('Demo page (widget)');
    expect(await bannerValue('GraphQL API')).toBe(server.graphqlUrl);
    const page = await fetch(demoPage);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(await bannerValue('Demo bot embed id'));
  });

  it('prints the Console address, and it answers', async () => {
    const consoleUrl = await bannerValue('Console');
    expect(consoleUrl).toBe(`${new URL(server.graphqlUrl).origin}/console/`);
    const page = await fetch(consoleUrl);
    // Built by `npm run build` (the root test script builds before the integration tests run).
    if (existsSync(path.join(CONSOLE_DIST, 'index.html'))) {
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(await page.text()).toContain('<title>Mascot Console</title>');
    } else {
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/npm run build/);
    }
  });

  it("streams the demo bot's cited answer to a visitor", async () => {
    const embedId = await bannerValue('Demo bot embed id');
    const session = await startVisitorSession(server.graphqlUrl, embedId);
    const { client, recorder } = await subscribeToEvents(server.websocketUrl, session, null);
    try {
      await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' }, session.visitorToken);
      const completed = await recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted', 30_000);
      const reply = completed.conversationEvents.message!;
      expect(reply.text).toMatch(/29 dollars per month/);
      expect(textOf(eventsOf(recorder))).toBe(reply.text);
      const { sources } = reply as unknown as { sources: { documentTitle: string }[] };
      expect(sources.length).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });

  it("shows a fortnight of demo conversations in the demo bot's analytics", async () => {
    const [email, password] = (await bannerValue('Demo sign-in')).split(' / ');
    const { logIn } = await graphqlOk(server.graphqlUrl, LOG_IN, { input: { email, password } });
    const { bots } = await graphqlOk(server.graphqlUrl, `{ bots(first: 1) { edges { node { id } } } }`, {}, logIn.accessToken);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 13 * 86_400_000).toISOString().slice(0, 10);
    // Written in the background once the server is up: wait for them.
    await server.waitForLog((entry) => entry['msg'] === 'seeded the demo conversations', 60_000);
    const { botAnalytics } = await graphqlOk(
      server.graphqlUrl,
      `query($botId: ID!, $from: String!, $to: String!) { botAnalytics(botId: $botId, from: $from, to: $to) { totals { conversations messages uniqueVisitors leads costUsd ttftMedianMs } } }`,
      { botId: bots.edges[0].node.id, from, to },
      logIn.accessToken,
    );
    const totals = botAnalytics.totals;
    expect(totals.conversations).toBeGreaterThan(20);
    expect(totals.messages).toBeGreaterThan(totals.conversations);
    expect(totals.uniqueVisitors).toBeGreaterThan(0);
    expect(totals.leads).toBeGreaterThan(0);
    expect(totals.costUsd).toBeGreaterThan(0);
    expect(totals.ttftMedianMs).toBeGreaterThan(0);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
