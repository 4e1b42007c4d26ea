import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { eventsOf, startVisitorSession, storedEvents, subscribeToEvents } from '../../test/conversation-stream.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { SEND_MESSAGE } from '../../test/operations.ts';
import { publishDraftChange } from '../../test/provider-chain.ts';
import { spawnServerProcess, type ServerProcess } from '../../test/server-process.ts';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../test/test-server.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { ConversationEventLog } from './conversation-event-log.ts';
import { OrphanedReplySweep } from './orphaned-replies.ts';
import { scriptedProvider, streamGate } from './reply-test-kit.ts';

// Replies left open by a crash are settled without anyone resuming them (issue 15, finding 6; orphaned-replies.ts):
// by the live instance's sweep, and by an instance started after the crash; never a reply a live producer streams.

const natsUrl = process.env['NATS_URL'];
const FAST_SWEEPS = { MASCOT_REPLY_SWEEP_MS: '300', MASCOT_REPLY_SWEEP_CONFIRM_MS: '600' };

const startSession = (graphqlUrl: string, bot: TenantFixture) => startVisitorSession(graphqlUrl, bot.embedId);
const subscribe = subscribeToEvents;

async function streamingOf(databaseUrl: string, conversationId: string): Promise<string[]> {
  const [row] = await ownerQuery<{ streaming: string[] }>(databaseUrl, 'select streaming_replies::text[] as streaming from conversation where id = $1', [conversationId]);
  return row!.streaming;
}

describe('the live instance', () => {
  const gate = streamGate();
  let server: TestServer;
  let bot: TenantFixture;

  beforeAll(async () => {
    const provider = scriptedProvider({ gates: new Map([[5, gate]]) });
    server = await startTestServer(FAST_SWEEPS, { provider });
    bot = await publishedBot(server.graphqlUrl);
    await publishDraftChange(server.graphqlUrl, bot, (draft) => ({ ...draft, personality: { ...draft['personality'], offerHuman: 'never' } }));
  });
  afterAll(() => server?.stop());

  it('closes a reply whose producer is gone with ReplyFailed, exactly once, with nobody resuming it', async () => {
    // What a producer killed mid-reply leaves: its lease, the reply listed as streaming, one stored batch.
    const session = await startSession(server.graphqlUrl, bot);
    const messageId = '0b7e4c52-3f7a-4a8e-9c55-5d1f0e6a9b21';
    const batch = [
      { type: 'ReplyStarted', seq: 1, messageId },
      { type: 'ReplyDelta', seq: 2, messageId, delta: 'Half' },
    ];
    await ownerQuery(server.databaseUrl, `update conversation set last_event_seq = 64, streaming_replies = array[$2::uuid] where id = $1`, [session.conversationId, messageId]);
    await ownerQuery(
      server.databaseUrl,
      `insert into conversation_event (tenant_id, conversation_id, seq, last_seq, type, payload) values ($1, $2, 1, 2, 'batch', $3::jsonb)`,
      [bot.tenantId, session.conversationId, JSON.stringify(batch)],
    );

    await expect.poll(() => streamingOf(server.databaseUrl, session.conversationId), { timeout: 15_000 }).toEqual([]);
    const stored = await storedEvents(server.databaseUrl, session.conversationId);
    expect(stored.map((e) => [e.__typename, e.seq])).toEqual([['ReplyStarted', 1], ['ReplyDelta', 2], ['ReplyFailed', 65]]);

    // A visitor who comes back later reads the stored part, then the failure with its reason, last.
    const reload = await subscribe(server.websocketUrl, session, 0);
    await reload.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyFailed');
    expect(eventsOf(reload.recorder)).toMatchObject([
      { seq: 1 }, { seq: 2, delta: 'Half' },
      { __typename: 'ReplyFailed', seq: 65, messageId, code: 'SERVICE_UNAVAILABLE', reason: expect.stringMatching(/interrupted/) },
    ]);
    await reload.client.dispose();
  });

  it('leaves a reply its producer is still streaming alone, however long it takes', async () => {
    const session = await startSession(server.graphqlUrl, bot);
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'Tell me slowly' }, session.visitorToken);
    await gate.reached;
    expect(await streamingOf(server.databaseUrl, session.conversationId)).toHaveLength(1);
    // Several sweeps and confirmation periods pass while the reply is held mid-stream.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await streamingOf(server.databaseUrl, session.conversationId)).toHaveLength(1);
    gate.release();
    await expect.poll(async () => (await storedEvents(server.databaseUrl, session.conversationId)).at(-1)?.__typename, { timeout: 15_000 }).toBe('ReplyCompleted');
    const stored = await storedEvents(server.databaseUrl, session.conversationId);
    expect(stored.some((e) => e.__typename === 'ReplyFailed')).toBe(false);
  });
});

describe('a sweep while the bus delivers nothing', () => {
  let server: TestServer;
  let bot: TenantFixture;

  beforeAll(async () => {
    // Sweeps only at start: the sweeps below are the test's own.
    server = await startTestServer({ MASCOT_REPLY_SWEEP_MS: '3600000' });
    bot = await publishedBot(server.graphqlUrl);
  });
  afterAll(() => server?.stop());

  it('closes nothing, because silence proves nothing without its own probe; once the bus delivers, it closes', async () => {
    const session = await startSession(server.graphqlUrl, bot);
    const messageId = '5a0d7c11-2b8e-4f3a-9d61-7e4b2c9f8a30';
    await ownerQuery(server.databaseUrl, `update conversation set last_event_seq = 64, streaming_replies = array[$2::uuid] where id = $1`, [session.conversationId, messageId]);
    // A bus that takes publishes and delivers none of them (an outage the client has not noticed yet).
    const deaf: MessageBus = {
      kind: server.bus.kind,
      publish: async () => undefined,
      subscribe: (subject) => server.bus.subscribe(subject),
      ping: () => server.bus.ping(),
      close: async () => undefined,
    };
    const sweepOver = (bus: MessageBus) =>
      new OrphanedReplySweep(server.orm, new ConversationEventLog(server.orm, bus, server.logger, { tailTimeoutMs: 200 }), server.logger, { intervalMs: 60_000, confirmAfterMs: 0 });
    const deafSweep = sweepOver(deaf);
    expect(await deafSweep.sweep()).toBe(0);
    expect(await deafSweep.sweep()).toBe(0);
    expect(deafSweep.hasSuspects).toBe(false);
    expect(await streamingOf(server.databaseUrl, session.conversationId)).toEqual([messageId]);

    const sweep = sweepOver(server.bus);
    expect(await sweep.sweep()).toBe(0); // suspect
    expect(await sweep.sweep()).toBe(1); // confirmed
    expect(await streamingOf(server.databaseUrl, session.conversationId)).toEqual([]);
  });
});

// Two processes share a database only through a real PostgreSQL (embedded PGlite belongs to its process).
describe.skipIf(!process.env['DATABASE_URL'])('a server killed mid-reply', () => {
  let server: TestServer;
  let bot: TenantFixture;
  const processes: ServerProcess[] = [];
  const dataDirs: string[] = [];

  async function spawnInstance(env: Record<string, string> = {}): Promise<ServerProcess> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-orphans-'));
    dataDirs.push(dataDir);
    const instance = await spawnServerProcess({
      DATABASE_URL: server.databaseUrl,
      ...(natsUrl ? { NATS_URL: natsUrl } : {}),
      MASCOT_DATA_DIR: dataDir,
      MASCOT_JWT_SECRET: TEST_JWT_SECRET,
      MASCOT_OFFLINE_TOKEN_DELAY_MS: '250',
      MASCOT_REPLY_STORE_AFTER_MS: '300',
      ...env,
    });
    processes.push(instance);
    return instance;
  }

  beforeAll(async () => {
    // The test's own server sweeps only at its start: what follows is the spawned instances' work.
    server = await startTestServer({ MASCOT_REPLY_SWEEP_MS: '3600000' });
    bot = await publishedBot(server.graphqlUrl);
  });
  afterAll(async () => {
    for (const instance of processes) await instance.kill('SIGKILL');
    await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    await server?.stop();
  });

  it('is settled by an instance started afterwards, and a visitor subscribing later sees ReplyFailed with a reason', async () => {
    const producer = await spawnInstance();
    const session = await startSession(producer.graphqlUrl, bot);
    await graphqlOk(producer.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' }, session.visitorToken);
    await expect.poll(async () => (await storedEvents(server.databaseUrl, session.conversationId)).some((e) => e.__typename === 'ReplyDelta'), { timeout: 15_000 }).toBe(true);
    await producer.kill('SIGKILL');
    const [messageId] = await streamingOf(server.databaseUrl, session.conversationId);
    expect(messageId).toBeDefined();

    // Nobody resumes. The next instance to start settles what the dead one left.
    const next = await spawnInstance(FAST_SWEEPS);
    // Generous: on a loaded CI machine the new process's start and its two sweeps can take a while.
    await next.waitForLog((line) => line['msg'] === 'closed replies left open by a stopped instance as failed', 45_000);
    expect(await streamingOf(server.databaseUrl, session.conversationId)).toEqual([]);
    const stored = await storedEvents(server.databaseUrl, session.conversationId);
    expect(stored.filter((e) => e.__typename === 'ReplyFailed')).toHaveLength(1);
    expect(stored.at(-1)).toMatchObject({ __typename: 'ReplyFailed', messageId, code: 'SERVICE_UNAVAILABLE' });

    const later = await subscribe(server.websocketUrl, session, 0);
    const failed = await later.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyFailed');
    expect(failed.conversationEvents).toMatchObject({ messageId, code: 'SERVICE_UNAVAILABLE', reason: expect.stringMatching(/interrupted/) });
    expect(eventsOf(later.recorder).at(-1)!.__typename).toBe('ReplyFailed');
    await later.client.dispose();
  }, 120_000);

  // Without NATS the two processes have separate in-process buses and cannot hear each other: several instances need NATS.
  it.skipIf(!natsUrl)('never closes a reply another live instance is still producing', async () => {
    const sweeper = await spawnInstance(FAST_SWEEPS);
    const producer = await spawnInstance();
    const session = await startSession(producer.graphqlUrl, bot);
    const watcher = await subscribe(producer.websocketUrl, session, 0);
    await graphqlOk(producer.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' }, session.visitorToken);
    // The offline answer streams a token every 250 ms: seconds of sweeps by the other instance meanwhile.
    await watcher.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted', 60_000);
    expect(eventsOf(watcher.recorder).some((e) => e.__typename === 'ReplyFailed')).toBe(false);
    expect((await storedEvents(server.databaseUrl, session.conversationId)).some((e) => e.__typename === 'ReplyFailed')).toBe(false);
    expect(sweeper.logs.some((line) => line['msg'] === 'closed replies left open by a stopped instance as failed')).toBe(false);
    await watcher.client.dispose();
  }, 120_000); // two process starts: as generous as the test above on a loaded machine
});
