import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMascotServer, type MascotServer } from '../../app/create-server.ts';
import { loadConfig } from '../../core/config/index.ts';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient, type EventRecorder } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { CONVERSATION_EVENTS_AFTER, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../test/test-server.ts';
import { pruneConversationData } from './conversation-retention.ts';
import { scriptedProvider, streamGate, type StreamGate } from './reply-test-kit.ts';

const natsUrl = process.env['NATS_URL'];
const gates = new Map<number, StreamGate>();
const LONG_ANSWER = Array.from({ length: 300 }, (_, i) => `token${i}`).join(' ') + '.';

let server: TestServer;
/** With NATS, a second instance on the same database: reconnects land there, as behind a load balancer. */
let other: { server: MascotServer; dataDir: string } | undefined;
let bot: TenantFixture;

beforeAll(async () => {
  const provider = scriptedProvider({ gates, answer: (request) => (request.question.startsWith('long') ? LONG_ANSWER : `${Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')}.`) });
  server = await startTestServer({}, { provider });
  bot = await publishedBot(server.graphqlUrl);
  if (natsUrl) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-test-'));
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', MASCOT_DATA_DIR: dataDir, MASCOT_JWT_SECRET: TEST_JWT_SECRET, MASCOT_SEED_DEMO: 'false',
      MASCOT_JOBS_NAMESPACE: `r${randomBytes(6).toString('hex')}`, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
      DATABASE_URL: server.databaseUrl, NATS_URL: natsUrl,
    });
    other = { server: await startMascotServer(config, { embeddedStorage: 'memory', provider: scriptedProvider() }), dataDir };
  }
});
afterAll(async () => {
  if (other) {
    await other.server.close();
    await rm(other.dataDir, { recursive: true, force: true });
  }
  await server?.stop();
});

type Event = { __typename: string; seq: number; delta?: string; message?: { id: string; text: string } };

async function startSession() {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
  return startConversation as { conversationId: string; visitorToken: string };
}

async function subscribe(websocketUrl: string, session: { conversationId: string; visitorToken: string }, afterSeq: number | null) {
  const client = wsClient(websocketUrl, session.visitorToken);
  const recorder = recordSubscription<{ conversationEvents: Event }>(client, CONVERSATION_EVENTS_AFTER, {
    conversationId: session.conversationId, afterSeq,
  });
  await recorder.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  return { client, recorder };
}

const eventsOf = (recorder: EventRecorder<{ conversationEvents: Event }>) =>
  recorder.events.map((e) => e.conversationEvents).filter((e) => e.__typename !== 'ConversationSubscribed');
const completed = (recorder: EventRecorder<{ conversationEvents: Event }>) =>
  recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
const textOf = (events: Event[]) => events.filter((e) => e.__typename === 'ReplyDelta').map((e) => e.delta).join('');

/** Sends one message while subscribed and returns the reply's events once it completed. */
async function replyWatched(session: { conversationId: string; visitorToken: string }, text: string): Promise<Event[]> {
  const watcher = await subscribe(server.websocketUrl, session, null);
  await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text }, session.visitorToken);
  await completed(watcher.recorder);
  await watcher.client.dispose();
  return eventsOf(watcher.recorder);
}

async function storedText(messageId: string): Promise<string> {
  const [row] = await ownerQuery<{ text: string }>(server.databaseUrl, 'select text from message where id = $1', [messageId]);
  return row!.text;
}

describe('streaming that survives reconnects', () => {
  it('replays what a dropped socket missed, then continues live: the reassembled text equals the stored message', async () => {
    const early = streamGate();
    const late = streamGate();
    gates.set(5, early).set(25, late);
    const session = await startSession();
    const first = await subscribe(server.websocketUrl, session, null);
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'Tell me everything' }, session.visitorToken);

    await early.reached;
    await first.recorder.waitFor((e) => e.conversationEvents.delta === ' word4');
    await first.client.dispose(); // the socket drops mid-reply
    const seenBefore = eventsOf(first.recorder);
    const lastSeen = Math.max(...seenBefore.map((e) => e.seq));

    early.release(); // the reply goes on while nobody listens
    await late.reached; // word24 has been published; it is in the producer's memory, not (yet) stored

    // Reconnect, where NATS joins instances, to the other one: it replays from the shared log plus the
    // producer's in-flight tail (asked for over the bus) and forwards what the first instance keeps producing.
    const second = await subscribe((other?.server ?? server).websocketUrl, session, lastSeen);
    expect(second.recorder.events[0]!.conversationEvents.seq).toBe(lastSeen);
    late.release();
    const done = await completed(second.recorder);
    await second.client.dispose();
    gates.clear();

    const seenAfter = eventsOf(second.recorder);
    const all = [...seenBefore, ...seenAfter];
    // Every event exactly once, numbered without gaps across both connections.
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(seenAfter.some((e) => e.delta === ' word24')).toBe(true); // replayed from the producer's tail
    const message = done.conversationEvents.message!;
    expect(textOf(all)).toBe(message.text);
    expect(await storedText(message.id)).toBe(textOf(all));
  });

  it('gives a subscriber joining a fast stream mid-way with afterSeq 0 every event exactly once', async () => {
    // The seam is raced on purpose: the reply streams at full speed while the subscriber reads the
    // log and goes live, so events land in both the replay and the live stream.
    for (let attempt = 0; attempt < 4; attempt++) {
      const session = await startSession();
      await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'long answer please' }, session.visitorToken);
      await new Promise((resolve) => setTimeout(resolve, attempt * 15));
      const late = await subscribe((attempt % 2 === 1 && other ? other.server : server).websocketUrl, session, 0);
      const done = await completed(late.recorder);
      await late.client.dispose();
      const events = eventsOf(late.recorder);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(textOf(events)).toBe(LONG_ANSWER);
      expect(await storedText(done.conversationEvents.message!.id)).toBe(LONG_ANSWER);
    }
  });

  it('continues after the given seq without replaying older events, and live only without afterSeq', async () => {
    const session = await startSession();
    const firstReply = await replyWatched(session, 'first');
    const lastSeq = firstReply.at(-1)!.seq;

    const live = await subscribe(server.websocketUrl, session, null);
    const resumed = await subscribe(server.websocketUrl, session, lastSeq - 2);
    expect(live.recorder.events[0]!.conversationEvents.seq).toBe(lastSeq);
    // The last two events of the first reply, and nothing before them.
    await resumed.recorder.waitFor((e) => e.conversationEvents.seq === lastSeq);
    expect(eventsOf(resumed.recorder).map((e) => e.seq)).toEqual([lastSeq - 1, lastSeq]);
    expect(eventsOf(live.recorder)).toEqual([]);
    await Promise.all([live.client.dispose(), resumed.client.dispose()]);
  });

  it('refuses a negative afterSeq with a typed error', async () => {
    const session = await startSession();
    const client = wsClient(server.websocketUrl, session.visitorToken);
    const recorder = recordSubscription(client, CONVERSATION_EVENTS_AFTER, { conversationId: session.conversationId, afterSeq: -1 });
    await expect(recorder.waitFor(() => true)).rejects.toSatisfy(
      (errors: any) => errors[0].extensions.code === 'BAD_USER_INPUT' && errors[0].extensions.fieldErrors[0].field === 'afterSeq',
    );
    await client.dispose();
  });

  it('forgets events past the retention period but keeps recent ones and every stored message', async () => {
    const session = await startSession();
    // Two replies: at least two rows of events (a reply's events are stored as one run).
    await replyWatched(session, 'old news');
    await replyWatched(session, 'more news');
    const count = async () =>
      (await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from conversation_event where conversation_id = $1', [session.conversationId]))[0]!.n;
    const logged = await count();

    expect(logged).toBeGreaterThanOrEqual(2);
    // Every row but the newest (a row holds a run of events) grows old.
    await ownerQuery(
      server.databaseUrl,
      `update conversation_event set created_at = now() - interval '25 hours' where conversation_id = $1 and seq < (select max(seq) from conversation_event where conversation_id = $1)`,
      [session.conversationId],
    );
    const aged = (await ownerQuery<{ n: number }>(server.databaseUrl, `select count(*)::int as n from conversation_event where conversation_id = $1 and created_at < now() - interval '24 hours'`, [session.conversationId]))[0]!.n;
    expect(aged).toBeGreaterThanOrEqual(1);
    const pruned = await pruneConversationData(server.orm);
    expect(pruned.events).toBeGreaterThanOrEqual(aged);
    expect(await count()).toBe(logged - aged);
    const messages = await ownerQuery(server.databaseUrl, 'select role from message where conversation_id = $1', [session.conversationId]);
    expect(messages).toHaveLength(4);
  });
});
