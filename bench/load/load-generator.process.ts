/**
 * Process 3 of the load bench: the visitors. It keeps as little state and does as little work per
 * event as it can (stamp, push), so its own CPU stays out of the way; the arithmetic happens in the
 * parent afterwards (`stream-metrics.ts`). Commands come from `load.bench.ts` over IPC.
 *
 * A Mascot visitor does what the widget does through the public API: `startConversation` with the
 * bot's embed id, a graphql-ws socket authenticated with the visitor token, `conversationEvents`,
 * then `sendMessage`, and it reads the whole answer. A baseline visitor opens a graphql-ws socket to
 * the baseline server and subscribes to its answer stream.
 */
import autocannon from 'autocannon';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { graphqlRequest, wsClient } from '../../server/src/test/graphql-test-client.ts';
import { CONVERSATION_EVENTS_AFTER, SEND_MESSAGE, START_CONVERSATION } from '../../server/src/test/operations.ts';
import { directTtft } from '../openai-direct.ts';
import { serveParent } from './child-processes.ts';
import { letterTag, type ReceivedEvent, type StreamRecord } from './stream-metrics.ts';
import type { HttpFigures, LoadCommand, TtftSamples } from './protocol.ts';

const now = () => performance.timeOrigin + performance.now();

interface EventPayload {
  __typename: string;
  seq: number;
  delta?: string;
  message?: { id: string; text: string };
  code?: string;
  reason?: string;
}

/** One open visitor: its socket, its subscription, and the record of the answer it is waiting for. */
interface Visitor {
  conversationId: string;
  visitorToken: string;
  client: Client;
  unsubscribe: () => void;
  record: StreamRecord;
  finished: Promise<void>;
}

/** Every visitor's question is unique (its tag), so no reply comes from the answer cache. */
let visitorsSoFar = 0;
const question = (tag: string) => `What does the Pro plan include? (ref ${tag})`;

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'code' in error) return `socket closed ${(error as { code: number }).code} ${(error as { reason?: string }).reason ?? ''}`.trim();
  return JSON.stringify(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs `task` for 0..count-1 with at most `concurrency` at once; failures are collected, not thrown.
 * No task starts after `deadlineMs`, so a server that stopped answering cannot hold the bench.
 */
async function pool<T>(count: number, concurrency: number, deadlineMs: number, task: (i: number) => Promise<T>): Promise<{ values: T[]; errors: string[] }> {
  const values: T[] = [];
  const errors: string[] = [];
  const deadline = performance.now() + deadlineMs;
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      if (performance.now() > deadline) {
        errors.push(`${count - next} not started: setup took over ${deadlineMs} ms`);
        next = count;
        break;
      }
      const i = next++;
      try {
        values.push(await task(i));
      } catch (error) {
        errors.push(errorText(error));
      }
    }
  }));
  return { values, errors };
}

async function openVisitor(graphqlUrl: string, websocketUrl: string, embedId: string, timeoutMs: number): Promise<Visitor> {
  const started = await graphqlRequest(graphqlUrl, START_CONVERSATION, { embedId });
  if (started.errors?.length || !started.data) throw new Error(`startConversation: ${JSON.stringify(started.errors ?? started.status)}`);
  const session = started.data['startConversation'] as { conversationId: string; visitorToken: string };
  const client = wsClient(websocketUrl, session.visitorToken);
  const record: StreamRecord = { tag: letterTag(visitorsSoFar++), startedAt: 0, outcome: 'unfinished', events: [] };
  let subscribed!: () => void;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    subscribed = resolve;
    fail = (error) => {
      reject(error instanceof Error ? error : new Error(errorText(error)));
      if (record.outcome === 'unfinished' && record.startedAt) {
        record.outcome = 'failed';
        record.error = errorText(error);
        finish();
      }
    };
  });
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const unsubscribe = client.subscribe<{ conversationEvents: EventPayload }>(
    { query: CONVERSATION_EVENTS_AFTER, variables: { conversationId: session.conversationId } },
    {
      next: ({ data, errors }) => {
        const at = now();
        const event = data?.conversationEvents;
        if (errors?.length || !event) return fail(errors ?? 'event without data');
        const received: ReceivedEvent = { at, seq: event.seq, typename: event.__typename };
        if (event.delta !== undefined) received.text = event.delta;
        record.events.push(received);
        if (event.__typename === 'ConversationSubscribed') return subscribed();
        if (record.outcome !== 'unfinished') return;
        if (event.__typename === 'ReplyCompleted') {
          record.outcome = 'completed';
          record.messageId = event.message?.id;
          record.completedText = event.message?.text;
          finish();
        } else if (event.__typename === 'ReplyFailed') {
          record.outcome = 'failed';
          record.error = `ReplyFailed ${event.code}: ${event.reason}`;
          finish();
        }
      },
      error: (error) => fail(error),
      complete: () => fail(new Error('conversationEvents completed')),
    },
  );
  try {
    await withTimeout(ready, timeoutMs, 'conversationEvents subscribe');
  } catch (error) {
    unsubscribe();
    await client.dispose();
    throw error;
  }
  return { conversationId: session.conversationId, visitorToken: session.visitorToken, client, unsubscribe, record, finished };
}

async function closeVisitors(visitors: { unsubscribe(): void; client: Client }[]): Promise<void> {
  await Promise.allSettled(visitors.splice(0).map(async (visitor) => {
    visitor.unsubscribe();
    await visitor.client.dispose();
  }));
}

/** Starts each visitor's answer at an even spread over `rampMs`, then waits for all (at most `timeoutMs`). */
async function runAll<V extends { record: StreamRecord; finished: Promise<void> }>(
  visitors: V[],
  rampMs: number,
  timeoutMs: number,
  start: (visitor: V) => Promise<void>,
): Promise<StreamRecord[]> {
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
  await Promise.race([
    deadline,
    Promise.all(visitors.map(async (visitor, i) => {
      if (rampMs > 0) await new Promise((resolve) => setTimeout(resolve, (rampMs * i) / visitors.length));
      visitor.record.startedAt = now();
      try {
        await start(visitor);
      } catch (error) {
        if (visitor.record.outcome === 'unfinished') {
          visitor.record.outcome = 'failed';
          visitor.record.error = errorText(error);
        }
        return;
      }
      await visitor.finished;
    })),
  ]);
  return visitors.map((visitor) => visitor.record);
}

// ───────────────────────────── the commands ─────────────────────────────

const mascotVisitors: Visitor[] = [];
const baselineVisitors: BaselineVisitor[] = [];

async function sendMessage(graphqlUrl: string, visitor: Visitor): Promise<void> {
  const sent = await graphqlRequest(graphqlUrl, SEND_MESSAGE, { conversationId: visitor.conversationId, text: question(visitor.record.tag) }, visitor.visitorToken);
  if (sent.errors?.length) throw new Error(`sendMessage: ${JSON.stringify(sent.errors)}`);
}

/** A baseline visitor: a connected graphql-ws client; `begin` subscribes it to the answer stream. */
interface BaselineVisitor {
  client: Client;
  record: StreamRecord;
  finished: Promise<void>;
  begin(): void;
  unsubscribe(): void;
}

async function openBaselineVisitor(websocketUrl: string, timeoutMs: number): Promise<BaselineVisitor> {
  let connected!: () => void;
  let refused!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => ((connected = resolve), (refused = reject)));
  const client = createClient({
    url: websocketUrl, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
    on: { connected: () => connected(), closed: (event) => refused(event) },
  });
  try {
    await withTimeout(ready, timeoutMs, 'baseline connect');
  } catch (error) {
    await client.dispose();
    throw error;
  }
  const record: StreamRecord = { tag: `b${baselineVisitors.length}`, startedAt: 0, outcome: 'unfinished', events: [] };
  let finish!: () => void;
  const visitor: BaselineVisitor = {
    client,
    record,
    finished: new Promise<void>((resolve) => (finish = resolve)),
    unsubscribe: () => finish(),
    begin() {
      visitor.unsubscribe = client.subscribe<{ answer: { seq: number; text: string; emittedAt: number } }>(
        { query: 'subscription { answer { seq text emittedAt } }' },
        {
          next: ({ data }) => {
            const at = now();
            if (data) record.events.push({ at, seq: data.answer.seq, typename: 'Token', text: data.answer.text, emittedAt: data.answer.emittedAt });
          },
          error: (error) => {
            record.outcome = 'failed';
            record.error = errorText(error);
            finish();
          },
          complete: () => {
            if (record.outcome === 'unfinished') record.outcome = 'completed';
            finish();
          },
        },
      );
    },
  };
  return visitor;
}

async function httpRun(command: Extract<LoadCommand, { kind: 'http' }>): Promise<HttpFigures> {
  const result = await autocannon({
    url: command.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(command.token ? { authorization: `Bearer ${command.token}` } : {}) },
    body: JSON.stringify({ query: command.query }),
    connections: command.connections,
    duration: command.durationS,
  });
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function ttft(command: Extract<LoadCommand, { kind: 'ttft' }>): Promise<TtftSamples> {
  const samples: TtftSamples = { direct: [], platform: [], failures: [] };
  for (let i = 0; i < command.warmup + command.samples; i++) {
    const direct = await directTtft(command.providerUrl);
    let visitor: Visitor | undefined;
    try {
      visitor = await openVisitor(command.graphqlUrl, command.websocketUrl, command.embedId, command.timeoutMs);
      // Times are taken with performance.now() on both sides, like directTtft's.
      const sentAt = performance.now();
      const seen = visitor.record.events.length;
      await sendMessage(command.graphqlUrl, visitor);
      await withTimeout(visitor.finished, command.timeoutMs, 'reply');
      const first = visitor.record.events.slice(seen).find((e) => e.typename === 'ReplyDelta');
      if (visitor.record.outcome !== 'completed' || !first) throw new Error(visitor.record.error ?? 'no ReplyDelta');
      if (i < command.warmup) continue;
      samples.direct.push(direct);
      samples.platform.push(first.at - performance.timeOrigin - sentAt);
    } catch (error) {
      samples.failures.push(errorText(error));
    } finally {
      if (visitor) await closeVisitors([visitor]);
    }
  }
  return samples;
}

async function handle(command: LoadCommand): Promise<unknown> {
  switch (command.kind) {
    case 'http':
      return httpRun(command);
    case 'ttft':
      return ttft(command);
    case 'open-visitors': {
      const { values, errors } = await pool(command.count, command.concurrency, command.deadlineMs, (i) =>
        openVisitor(command.graphqlUrl, command.websocketUrl, command.embedIds[i % command.embedIds.length]!, command.timeoutMs));
      mascotVisitors.push(...values);
      return { opened: values.length, failures: errors };
    }
    case 'send':
      return runAll(mascotVisitors, command.rampMs, command.timeoutMs, (visitor) => sendMessage(command.graphqlUrl, visitor));
    case 'close-visitors':
      await closeVisitors(mascotVisitors);
      return null;
    case 'open-baseline': {
      const { values, errors } = await pool(command.count, command.concurrency, command.deadlineMs, () => openBaselineVisitor(command.websocketUrl, command.timeoutMs));
      baselineVisitors.push(...values);
      return { opened: values.length, failures: errors };
    }
    case 'baseline-go':
      return runAll(baselineVisitors, command.rampMs, command.timeoutMs, async (visitor) => {
        visitor.begin();
      });
    case 'close-baseline':
      await closeVisitors(baselineVisitors);
      return null;
  }
}

serveParent({ pid: process.pid }, (command: LoadCommand) => handle(command), async () => {
  await closeVisitors(mascotVisitors);
  await closeVisitors(baselineVisitors);
});
