import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { eventsOf, startVisitorSession, storedEvents as storedEventsOf, subscribeToEvents, textOf } from '../../test/conversation-stream.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { SEND_MESSAGE } from '../../test/operations.ts';
import { publishDraftChange } from '../../test/provider-chain.ts';
import { spawnServerProcess, type ServerProcess } from '../../test/server-process.ts';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../test/test-server.ts';
import { scriptedProvider } from './reply-test-kit.ts';

// The token path's durability seams (REPLY-PATH.md, "Event log, seq and reconnects"): how many rows a reply
// costs, what a resuming visitor gets when the producing server dies mid-reply, and one execution of an
// event for many subscribers.

const natsUrl = process.env['NATS_URL'];
const LONG_ANSWER = Array.from({ length: 200 }, (_, i) => `token${i}`).join(' ') + '.';
// Ends just after crossing the point where the stream leases its next block ahead (a quarter of the first left).
const ALMOST_A_LEASE = Array.from({ length: 55 }, (_, i) => `word${i}`).join(' ') + '.';

let server: TestServer;
let bot: TenantFixture;

beforeAll(async () => {
  server = await startTestServer({}, { provider: scriptedProvider({ answer: (request) => (request.question.includes('almost') ? ALMOST_A_LEASE : LONG_ANSWER) }) });
  bot = await publishedBot(server.graphqlUrl);
  // The bot answers every message itself: no handoff adds events of its own.
  await publishDraftChange(server.graphqlUrl, bot, (draft) => ({ ...draft, personality: { ...draft['personality'], offerHuman: 'never' } }));
});
afterAll(() => server?.stop());

const startSession = (graphqlUrl = server.graphqlUrl) => startVisitorSession(graphqlUrl, bot.embedId);
const subscribe = subscribeToEvents;
const storedEvents = (conversationId: string) => storedEventsOf(server.databaseUrl, conversationId);

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('what a reply writes', () => {
  it('stores a 200-token reply in a bounded number of rows, every event of it replayable', async () => {
    const session = await startSession();
    const watcher = await subscribe(server.websocketUrl, session, 0);
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'Tell me a long story' }, session.visitorToken);
    const done = await watcher.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    await watcher.client.dispose();
    const streamed = eventsOf(watcher.recorder);
    expect(streamed.filter((e) => e.__typename === 'ReplyDelta').length).toBeGreaterThanOrEqual(200);

    const [{ rows }] = (await ownerQuery<{ rows: number }>(server.databaseUrl, 'select count(*)::int as rows from conversation_event where conversation_id = $1', [session.conversationId])) as [{ rows: number }];
    // Batches on a timer (every few seconds) plus the closing transaction: never a row per token.
    expect(rows).toBeLessThanOrEqual(3);
    const [{ messages }] = (await ownerQuery<{ messages: number }>(server.databaseUrl, `select count(*)::int as messages from message where conversation_id = $1 and role = 'ASSISTANT'`, [session.conversationId])) as [{ messages: number }];
    expect(messages).toBe(1);
    // The coarse rows hold every event exactly as it streamed; the lease's unused seqs were given back.
    expect((await storedEvents(session.conversationId)).map((e) => [e.seq, e.__typename, e.delta])).toEqual(streamed.map((e) => [e.seq, e.__typename, e.delta]));
    const [conversation] = await ownerQuery<{ last: number; streaming: string[] }>(
      server.databaseUrl, 'select last_event_seq as last, streaming_replies::text[] as streaming from conversation where id = $1', [session.conversationId],
    );
    expect(conversation).toEqual({ last: streamed.at(-1)!.seq, streaming: [] });
    expect(textOf(streamed)).toBe(done.conversationEvents.message!.text);
  });
  it('gives back a lease taken ahead and never used: the closing events follow the last token without a gap', async () => {
    const session = await startSession();
    const watcher = await subscribe(server.websocketUrl, session, 0);
    for (const text of ['almost a lease, please', 'and almost again']) {
      await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text }, session.visitorToken);
      await watcher.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted' && eventsOf(watcher.recorder).filter((x) => x.__typename === 'ReplyCompleted').length === (text.startsWith('and') ? 2 : 1));
    }
    await watcher.client.dispose();
    const streamed = eventsOf(watcher.recorder);
    // More events than three quarters of the first lease (64): the next block was leased ahead.
    expect(streamed.filter((e) => e.__typename === 'ReplyDelta').length).toBeGreaterThan(2 * 48);
    expect(streamed.map((e) => e.seq)).toEqual(streamed.map((_, i) => i + 1));
    const [conversation] = await ownerQuery<{ last: number }>(server.databaseUrl, 'select last_event_seq as last from conversation where id = $1', [session.conversationId]);
    expect(conversation!.last).toBe(streamed.at(-1)!.seq);
  });
});

describe('fan-out', () => {
  it('gives many subscribers of one conversation identical events from one execution per event', async () => {
    const session = await startSession();
    // Different resume positions, same selection: the position only picks the stream, not the result.
    const subscribers = await Promise.all([0, 0, null, 0, null].map((afterSeq) => subscribe(server.websocketUrl, session, afterSeq)));
    const executedBefore = await metric('mascot_subscription_events_total', 'outcome="executed"');
    const sharedBefore = await metric('mascot_subscription_events_total', 'outcome="shared"');

    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'Tell me a long story' }, session.visitorToken);
    await Promise.all(subscribers.map((s) => s.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted')));
    await Promise.all(subscribers.map((s) => s.client.dispose()));

    const streams = subscribers.map((s) => eventsOf(s.recorder));
    for (const stream of streams.slice(1)) expect(stream).toEqual(streams[0]);
    const events = streams[0]!.length;
    expect(events).toBeGreaterThan(200);
    await expect.poll(() => metric('mascot_subscription_events_total', 'outcome="executed"')).toBe(executedBefore + events);
    expect(await metric('mascot_subscription_events_total', 'outcome="shared"')).toBe(sharedBefore + events * (subscribers.length - 1));
  });
});

describe('a reply cut off with its producer', () => {
  it('is closed with ReplyFailed by the instance a visitor resumes on, after the stored part, exactly once', async () => {
    // What a producer killed mid-reply leaves behind: a lease of seqs, the reply listed as streaming, one
    // stored batch — and nobody answering tail requests. (The next test kills a real process; it needs a
    // PostgreSQL that two processes can share.)
    const session = await startSession();
    const messageId = '6f1c1a3e-9f57-4c1e-8d1e-0c5a2a0f7b11';
    const batch = [
      { type: 'ReplyStarted', seq: 1, messageId },
      { type: 'ReplyDelta', seq: 2, messageId, delta: 'Half' },
      { type: 'ReplyDelta', seq: 3, messageId, delta: ' an' },
    ];
    await ownerQuery(server.databaseUrl, `update conversation set last_event_seq = 64, streaming_replies = array[$2::uuid] where id = $1`, [session.conversationId, messageId]);
    await ownerQuery(
      server.databaseUrl,
      `insert into conversation_event (tenant_id, conversation_id, seq, last_seq, type, payload) values ($1, $2, 1, 3, 'batch', $3::jsonb)`,
      [bot.tenantId, session.conversationId, JSON.stringify(batch)],
    );

    // Two visitors resume at once (two tabs): both get the failure, once, after exactly what each had not seen.
    const [first, second] = await Promise.all([subscribe(server.websocketUrl, session, 2), subscribe(server.websocketUrl, session, 0)]);
    await Promise.all([first, second].map((s) => s.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyFailed', 15_000)));
    const failed = { __typename: 'ReplyFailed', messageId, code: 'SERVICE_UNAVAILABLE', seq: 65 };
    expect(eventsOf(first.recorder)).toMatchObject([{ seq: 3, delta: ' an' }, failed]);
    expect(eventsOf(second.recorder)).toMatchObject([{ seq: 1 }, { seq: 2 }, { seq: 3 }, failed]);
    const stored = await storedEvents(session.conversationId);
    expect(stored.map((e) => e.__typename)).toEqual(['ReplyStarted', 'ReplyDelta', 'ReplyDelta', 'ReplyFailed']);
    const [conversation] = await ownerQuery(server.databaseUrl, 'select last_event_seq as last, streaming_replies::text[] as streaming from conversation where id = $1', [session.conversationId]);
    expect(conversation).toEqual({ last: 65, streaming: [] });

    // The conversation goes on: the next reply is numbered after the failure.
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'Again please' }, session.visitorToken);
    const completed = await first.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(completed.conversationEvents.seq).toBeGreaterThan(66);
    expect(eventsOf(first.recorder).filter((e) => e.__typename === 'ReplyStarted')[0]!.seq).toBe(66);
    await Promise.all([first.client.dispose(), second.client.dispose()]);
  });
});

// Two processes share a database only through a real PostgreSQL (embedded PGlite belongs to its process).
describe.skipIf(!process.env['DATABASE_URL'])('a server killed mid-reply', () => {
  let producer: ServerProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-killed-'));
    // A second instance on the same database (and NATS, where the test runs with it), producing slowly
    // enough to be killed mid-reply; the visitor resumes on the test server.
    producer = await spawnServerProcess({
      DATABASE_URL: server.databaseUrl,
      ...(natsUrl ? { NATS_URL: natsUrl } : {}),
      MASCOT_DATA_DIR: dataDir,
      MASCOT_JWT_SECRET: TEST_JWT_SECRET,
      MASCOT_OFFLINE_TOKEN_DELAY_MS: '250',
      // Batches every 300 ms instead of every few seconds, so the short offline answer is stored in parts.
      MASCOT_REPLY_STORE_AFTER_MS: '300',
    });
  });
  afterAll(async () => {
    await producer?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives a resuming visitor the stored part of the reply after its position, then ReplyFailed, and nothing after', async () => {
    const session = await startSession(producer!.graphqlUrl);
    const live = await subscribe(producer!.websocketUrl, session, 0);
    await graphqlOk(producer!.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' }, session.visitorToken);

    // Wait until a batch of the reply is stored, and the visitor has seen tokens beyond it: those exist only in
    // the producer's memory.
    await expect.poll(async () => (await storedEvents(session.conversationId)).some((e) => e.__typename === 'ReplyDelta'), { timeout: 15_000 }).toBe(true);
    const storedBefore = await storedEvents(session.conversationId);
    await live.recorder.waitFor((e) => e.conversationEvents.seq > storedBefore.at(-1)!.seq + 1);
    await producer!.kill('SIGKILL');
    producer = undefined;
    await live.client.dispose();
    const seenLive = eventsOf(live.recorder);
    const lastSeen = Math.max(...seenLive.map((e) => e.seq));
    const messageId = seenLive[0]!.messageId!;

    // The visitor reconnects to the surviving instance from where it was.
    const resumed = await subscribe(server.websocketUrl, session, lastSeen);
    const failed = await resumed.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyFailed', 15_000);
    expect(failed.conversationEvents).toMatchObject({ messageId, code: 'SERVICE_UNAVAILABLE' });
    expect(failed.conversationEvents.seq).toBeGreaterThan(lastSeen);

    // A reload (from the start) gets the stored prefix of what streamed, then the failure last; no message was stored.
    const reload = await subscribe(server.websocketUrl, session, 0);
    await reload.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyFailed');
    const replayed = eventsOf(reload.recorder);
    expect(replayed.at(-1)).toMatchObject({ __typename: 'ReplyFailed', messageId });
    expect(new Set(replayed.map((e) => e.seq)).size).toBe(replayed.length);
    expect(replayed.map((e) => e.seq)).toEqual([...replayed.map((e) => e.seq)].sort((a, b) => a - b));
    const replayedText = textOf(replayed);
    expect(replayedText.length).toBeGreaterThan(0);
    expect(textOf(seenLive).startsWith(replayedText)).toBe(true);
    expect(replayedText.length).toBeLessThan(textOf(seenLive).length); // the unstored tail died with the producer
    // The resumed visitor got exactly what is stored after its position, and nothing after the failure.
    const stored = await storedEvents(session.conversationId);
    expect(eventsOf(resumed.recorder).map((e) => e.seq)).toEqual(stored.filter((e) => e.seq > lastSeen).map((e) => e.seq));
    expect(stored.at(-1)!.__typename).toBe('ReplyFailed');
    const [{ messages }] = (await ownerQuery<{ messages: number }>(server.databaseUrl, `select count(*)::int as messages from message where conversation_id = $1 and role = 'ASSISTANT'`, [session.conversationId])) as [{ messages: number }];
    expect(messages).toBe(0);
    await Promise.all([resumed.client.dispose(), reload.client.dispose()]);
  });
});
