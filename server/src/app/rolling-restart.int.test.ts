import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from 'graphql-ws';
import { publishedBot, type TenantFixture } from '../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../test/graphql-test-client.ts';
import { CONVERSATION_EVENTS_AFTER, SEND_MESSAGE } from '../test/operations.ts';
import { eventsOf, startVisitorSession, textOf, type StreamEvent, type StreamRecorder, type VisitorSession } from '../test/conversation-stream.ts';
import { assertFreshBuild, spawnServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../test/test-database.ts';
import { TEST_JWT_SECRET } from '../test/test-server.ts';

/*
 * Issue 20: a rolling deploy drops nothing. Two built server processes (plain `node server/dist/main.js`, as the
 * image runs) share a real PostgreSQL and NATS. Visitors are connected to the first while replies stream; the
 * first gets SIGTERM, as Kubernetes sends it during a rollout. It must turn not-ready before its listener
 * closes, finish its own replies, keep forwarding replies the survivor produces, then close its sockets with
 * 1001 and exit 0. Each visitor then reconnects to the survivor with `afterSeq` — the widget's resume — and must
 * end up with every reply whole: every token exactly once, in seq order, nothing failed. New messages during and
 * after the restart are served by the survivor.
 */

const { DATABASE_URL, NATS_URL } = process.env;
const VISITORS = 8;
/** Visitors whose reply the stopping instance produces; the others' replies are produced by the survivor. */
const PRODUCED_ON_STOPPING = 5;
const QUESTION = 'How much does the Pro plan cost?';

interface Visitor {
  session: VisitorSession;
  /** One recorder per socket, in connection order: the stopping instance's first, then the survivor's. */
  connections: { client: Client; recorder: StreamRecorder; closeCodes: number[] }[];
}

/** Everything the visitor received over all its sockets, in arrival order. */
const received = (visitor: Visitor): StreamEvent[] => visitor.connections.flatMap(({ recorder }) => eventsOf(recorder));
const lastSeq = (visitor: Visitor): number =>
  Math.max(...visitor.connections.flatMap(({ recorder }) => recorder.events.map((e) => e.conversationEvents.seq)));

describe.skipIf(!DATABASE_URL || !NATS_URL)('a rolling restart of one of two instances while replies stream', () => {
  let database: TestDatabase;
  let stopping: ServerProcess;
  let survivor: ServerProcess;
  let bot: TenantFixture;
  const clients: Client[] = [];

  beforeAll(async () => {
    assertFreshBuild();
    database = await createTestDatabase(DATABASE_URL);
    const env = {
      DATABASE_URL: database.url!,
      NATS_URL: NATS_URL!,
      MASCOT_JWT_SECRET: TEST_JWT_SECRET,
      MASCOT_JOBS_NAMESPACE: `r${Date.now()}`,
    };
    // Both at once, as a rollout's surge pods do: the migration lock lets one migrate.
    [stopping, survivor] = await Promise.all([
      // Its replies last about three seconds, so the signal lands while they stream.
      spawnServerProcess({ ...env, MASCOT_OFFLINE_TOKEN_DELAY_MS: '200', MASCOT_SHUTDOWN_READINESS_DELAY_MS: '300' }, { built: true }),
      // The survivor's replies are over three times slower: those started with the others are still streaming
      // when the stopping instance closes its sockets, so their visitors cross over in the middle of a reply.
      spawnServerProcess({ ...env, MASCOT_OFFLINE_TOKEN_DELAY_MS: '600' }, { built: true }),
    ]);
    bot = await publishedBot(stopping.graphqlUrl);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => Promise.resolve(client.dispose()).catch(() => undefined)));
    await Promise.all([stopping?.kill('SIGKILL'), survivor?.kill()]);
    await database?.drop();
  });

  /** Subscribes the visitor over `websocketUrl`; when that socket goes away (1001), resumes on the survivor after the last seq seen. */
  async function connect(visitor: Visitor, websocketUrl: string, afterSeq: number | null): Promise<void> {
    const closeCodes: number[] = [];
    const client: Client = wsClient(websocketUrl, visitor.session.visitorToken, (event) => {
      closeCodes.push(event.code);
      if (event.code !== 1001) return;
      void Promise.resolve(client.dispose()).catch(() => undefined);
      void connect(visitor, survivor.websocketUrl, lastSeq(visitor));
    });
    clients.push(client);
    const recorder: StreamRecorder = recordSubscription(client, CONVERSATION_EVENTS_AFTER, { conversationId: visitor.session.conversationId, afterSeq });
    visitor.connections.push({ client, recorder, closeCodes });
    await recorder.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  }

  const send = (server: ServerProcess, visitor: Visitor, text = QUESTION) =>
    graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: visitor.session.conversationId, text }, visitor.session.visitorToken);
  const producedBy = (server: ServerProcess, visitor: Visitor) =>
    server.logs.filter((l) => l['msg'] === 'reply completed' && l['conversationId'] === visitor.session.conversationId).length;
  const completions = (visitor: Visitor) => received(visitor).filter((e) => e.__typename === 'ReplyCompleted');

  it('hands every visitor over to the survivor with every token exactly once, and the survivor serves new messages', async () => {
    const visitors: Visitor[] = [];
    for (let i = 0; i < VISITORS; i++) {
      const visitor: Visitor = { session: await startVisitorSession(stopping.graphqlUrl, bot.embedId), connections: [] };
      await connect(visitor, stopping.websocketUrl, null);
      visitors.push(visitor);
    }
    const onStopping = visitors.slice(0, PRODUCED_ON_STOPPING);
    const onSurvivor = visitors.slice(PRODUCED_ON_STOPPING);

    // Visitors connected to the stopping instance; some replies produced there, some by the survivor (the
    // instance that took the sendMessage request), forwarded to the stopping instance's sockets over NATS.
    await Promise.all([...onStopping.map((visitor) => send(stopping, visitor)), ...onSurvivor.map((visitor) => send(survivor, visitor))]);
    await vi.waitFor(() => expect(visitors.every((v) => received(v).some((e) => e.__typename === 'ReplyDelta'))).toBe(true), { timeout: 15_000 });

    stopping.child.kill('SIGTERM');
    // Not ready while the listener still accepts: a 503 is an answer, so the socket was taken.
    await vi.waitFor(async () => expect((await fetch(stopping.graphqlUrl.replace('/graphql', '/readyz'))).status).toBe(503), { timeout: 5_000, interval: 20 });
    // Then the listener closes, with the instance's own replies still streaming.
    await vi.waitFor(() => expect(fetch(stopping.graphqlUrl.replace('/graphql', '/healthz'))).rejects.toThrow(), { timeout: 5_000, interval: 20 });
    await stopping.waitForLog((line) => line['msg'] === 'waiting for in-flight replies');

    expect(await stopping.exited).toBe(0);
    for (const visitor of visitors) {
      await vi.waitFor(() => expect(visitor.connections).toHaveLength(2), { timeout: 5_000 });
      expect(visitor.connections[0]!.closeCodes).toEqual([1001]);
      await visitor.connections[1]!.recorder.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
    }
    for (const visitor of onSurvivor) {
      const reply = await visitor.connections[1]!.recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted', 20_000);
      const messageId = reply.conversationEvents.message!.id;
      // The seam: part of this reply came over the stopping instance's socket, the rest from the survivor's resume.
      const deltasOver = visitor.connections.map(({ recorder }) => eventsOf(recorder).filter((e) => e.__typename === 'ReplyDelta' && e.messageId === messageId).length);
      expect(deltasOver.every((count) => count > 0)).toBe(true);
    }

    // After the restart every visitor talks to the survivor alone.
    await Promise.all(visitors.map((visitor) => send(survivor, visitor, 'When is support open?')));
    for (const visitor of visitors) {
      await vi.waitFor(() => expect(completions(visitor)).toHaveLength(2), { timeout: 20_000 });
      const events = received(visitor);
      const seqs = events.map((e) => e.seq);
      // Every event once, in order, across both sockets.
      expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      expect(events.filter((e) => e.__typename === 'ReplyFailed')).toEqual([]);
      const [first, second] = completions(visitor).map((e) => e.message!);
      expect(first!.text).toMatch(/29 dollars/);
      expect(second!.text).toMatch(/8 am to 8 pm/);
      for (const message of [first!, second!]) {
        expect(textOf(events.filter((e) => e.messageId === message.id))).toBe(message.text);
      }
    }
    for (const visitor of onStopping) expect(producedBy(stopping, visitor)).toBe(1);
    for (const visitor of visitors) await vi.waitFor(() => expect(producedBy(survivor, visitor)).toBe(onSurvivor.includes(visitor) ? 2 : 1));
  }, 120_000);
});
