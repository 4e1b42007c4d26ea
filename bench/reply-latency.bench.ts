/**
 * Reply latency bench: N concurrent visitors talk to a published bot through the public contract
 * (startConversation → conversationEvents over graphql-ws → sendMessage) and we measure, from the
 * moment each message is sent, the first ReplyDelta (TTFT) and ReplyCompleted. Baselines from the
 * same server in the same run put those numbers in proportion: a bare graphql-ws subscribe round
 * trip and a trivial HTTP query round trip. See bench/README.md for how to read the output.
 *
 *   npm run bench:reply -- --visitors 20 --messages 3 --token-delay-ms 0
 *   DATABASE_URL=postgres://… NATS_URL=nats://… npm run bench:reply
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { publishedBot } from '../server/src/test/fixtures.ts';
import { graphqlOk, graphqlRequest, wsClient } from '../server/src/test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, SEND_MESSAGE, START_CONVERSATION } from '../server/src/test/operations.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { ms, ratio, summarize, table, type Summary } from './stats.ts';

// ───────────────────────────── options ─────────────────────────────

const env = process.env;

const { values: flags } = parseArgs({
  options: {
    visitors: { type: 'string' },
    messages: { type: 'string' },
    'token-delay-ms': { type: 'string' },
    warmup: { type: 'string' },
    'baseline-samples': { type: 'string' },
    'timeout-ms': { type: 'string' },
    profile: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (flags.help) {
  console.log(`Usage: npm run bench:reply -- [options]    (each option also reads the env variable shown)
  --visitors N           concurrent visitors                           BENCH_VISITORS          (default 20)
  --messages N           messages per visitor, one after another       BENCH_MESSAGES          (default 3)
  --token-delay-ms N     offline provider pause per token (0–1000)     BENCH_TOKEN_DELAY_MS    (default 0)
  --warmup N             warm-up messages, not counted                 BENCH_WARMUP            (default 3)
  --baseline-samples N   idle baseline round trips of each kind        BENCH_BASELINE_SAMPLES  (default 30)
  --timeout-ms N         give up on one reply / probe after N ms       BENCH_TIMEOUT_MS        (default 30000)
  --profile FILE         write a V8 CPU profile of the load phase only (open in Chrome DevTools or speedscope)
DATABASE_URL / NATS_URL select real PostgreSQL / NATS (else embedded PGlite + in-process bus).`);
  process.exit(0);
}

function intOption(flag: string | undefined, envName: string, fallback: number, min: number, max: number): number {
  const raw = flag ?? env[envName];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    const source = flag === undefined ? envName : `--${envName.slice('BENCH_'.length).toLowerCase().replaceAll('_', '-')}`;
    console.error(`Invalid value ${JSON.stringify(raw)} for ${source}: expected an integer in ${min}..${max}.`);
    process.exit(2);
  }
  return value;
}

const options = {
  visitors: intOption(flags.visitors, 'BENCH_VISITORS', 20, 1, 10_000),
  messages: intOption(flags.messages, 'BENCH_MESSAGES', 3, 1, 10_000),
  tokenDelayMs: intOption(flags['token-delay-ms'], 'BENCH_TOKEN_DELAY_MS', 0, 0, 1000),
  warmup: intOption(flags.warmup, 'BENCH_WARMUP', 3, 0, 1000),
  baselineSamples: intOption(flags['baseline-samples'], 'BENCH_BASELINE_SAMPLES', 30, 1, 100_000),
  timeoutMs: intOption(flags['timeout-ms'], 'BENCH_TIMEOUT_MS', 30_000, 100, 3_600_000),
  profile: flags.profile,
};

/** Questions rotate so replies differ in length and path (cited answer vs. "I don't know"). */
const QUESTIONS = [
  'How much does the Pro plan cost?',
  'When is support open?',
  'Is the Starter plan free?',
  'What is the capital of Peru?',
];

// ───────────────────────────── the visitor ─────────────────────────────

type Client = ReturnType<typeof wsClient>;

interface ConversationEvent {
  __typename: 'ConversationSubscribed' | 'ReplyStarted' | 'ReplyDelta' | 'ReplyCompleted' | 'ReplyFailed';
  seq: number;
  messageId?: string;
  code?: string;
  reason?: string;
}

interface ReplyTiming {
  ackMs: number;
  startedMs: number;
  firstDeltaMs: number;
  completedMs: number;
  deltas: number;
}

/** The reply currently awaited by one visitor; the subscription's sink fills it in as events arrive. */
interface PendingReply {
  sentAt: number;
  startedAt?: number;
  firstDeltaAt?: number;
  deltas: number;
  resolve(completedAt: number): void;
  reject(error: Error): void;
}

interface Visitor {
  conversationId: string;
  visitorToken: string;
  client: Client;
  /** Ends the long-lived conversationEvents subscription. */
  unsubscribe: () => void;
  pending: PendingReply | undefined;
  /** Events that arrived while no reply was awaited (should stay 0). */
  strayEvents: number;
}

function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (Array.isArray(error)) return new Error(`GraphQL errors: ${JSON.stringify(error)}`);
  if (error && typeof error === 'object' && 'code' in error) {
    const close = error as { code: number; reason?: string };
    return new Error(`WebSocket closed ${close.code} ${close.reason ?? ''}`.trim());
  }
  return new Error(String(error));
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts a conversation, opens its graphql-ws connection and subscribes to its events; resolves
 * once ConversationSubscribed arrived, so no reply event can be missed from then on.
 */
async function openVisitor(server: TestServer, embedId: string): Promise<Visitor> {
  const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId });
  const client = wsClient(server.websocketUrl, session.visitorToken);
  const visitor: Visitor = {
    conversationId: session.conversationId,
    visitorToken: session.visitorToken,
    client,
    unsubscribe: () => {},
    pending: undefined,
    strayEvents: 0,
  };
  const subscribed = new Promise<void>((resolve, reject) => {
    let ready = false;
    const fail = (error: Error) => {
      if (!ready) reject(error);
      visitor.pending?.reject(error);
    };
    visitor.unsubscribe = client.subscribe<{ conversationEvents: ConversationEvent }>(
      { query: CONVERSATION_EVENTS, variables: { conversationId: session.conversationId } },
      {
        next: (result) => {
          const at = performance.now(); // first thing: the arrival time
          if (result.errors?.length || !result.data) return fail(toError(result.errors ?? 'event without data'));
          const event = result.data.conversationEvents;
          if (!ready && event.__typename === 'ConversationSubscribed') {
            ready = true;
            return resolve();
          }
          onConversationEvent(visitor, event, at);
        },
        error: (error) => fail(toError(error)),
        complete: () => fail(new Error('conversationEvents completed while a reply was awaited')),
      },
    );
  });
  await withTimeout(subscribed, options.timeoutMs, 'conversationEvents subscribe');
  return visitor;
}

function onConversationEvent(visitor: Visitor, event: ConversationEvent, at: number): void {
  const reply = visitor.pending;
  if (!reply) {
    visitor.strayEvents++;
    return;
  }
  switch (event.__typename) {
    case 'ReplyStarted':
      reply.startedAt ??= at;
      break;
    case 'ReplyDelta':
      reply.firstDeltaAt ??= at;
      reply.deltas++;
      break;
    case 'ReplyCompleted':
      reply.resolve(at);
      break;
    case 'ReplyFailed':
      reply.reject(new Error(`ReplyFailed ${event.code}: ${event.reason}`));
      break;
    default:
      visitor.strayEvents++;
  }
}

async function closeVisitor(visitor: Visitor): Promise<void> {
  visitor.pending = undefined;
  visitor.unsubscribe();
  await visitor.client.dispose();
}

/** Sends one message and times the reply from the instant before the mutation goes out. */
async function sendAndTime(server: TestServer, visitor: Visitor, text: string): Promise<ReplyTiming> {
  let pending!: PendingReply;
  const completed = new Promise<number>((resolve, reject) => {
    pending = { sentAt: 0, deltas: 0, resolve, reject };
  });
  visitor.pending = pending;
  try {
    pending.sentAt = performance.now();
    const ack = graphqlRequest(server.graphqlUrl, SEND_MESSAGE, { conversationId: visitor.conversationId, text }, visitor.visitorToken)
      .then((result) => {
        const at = performance.now();
        if (result.errors?.length || !result.data) throw toError(result.errors ?? `HTTP ${result.status} without data`);
        return at;
      });
    const [ackAt, completedAt] = await Promise.all([
      ack.catch((error: unknown) => {
        pending.reject(toError(error)); // no reply will come; do not wait for the timeout
        throw error;
      }),
      withTimeout(completed, options.timeoutMs, 'reply'),
    ]);
    if (pending.startedAt === undefined || pending.firstDeltaAt === undefined) {
      throw new Error(`ReplyCompleted without ${pending.startedAt === undefined ? 'ReplyStarted' : 'any ReplyDelta'}`);
    }
    return {
      ackMs: ackAt - pending.sentAt,
      startedMs: pending.startedAt - pending.sentAt,
      firstDeltaMs: pending.firstDeltaAt - pending.sentAt,
      completedMs: completedAt - pending.sentAt,
      deltas: pending.deltas,
    };
  } finally {
    visitor.pending = undefined;
  }
}

/**
 * Baseline 1: a second conversationEvents subscribe on the visitor's already-open graphql-ws
 * connection, until its ConversationSubscribed arrives (auth, DB existence check, bus subscribe,
 * graphql-ws framing, both ways). Then it is completed again.
 */
function wsSubscribeRoundTrip(visitor: Visitor): Promise<number> {
  const probe = new Promise<number>((resolve, reject) => {
    let done = false;
    let unsubscribe = () => {};
    const startedAt = performance.now();
    unsubscribe = visitor.client.subscribe<{ conversationEvents: ConversationEvent }>(
      { query: CONVERSATION_EVENTS, variables: { conversationId: visitor.conversationId } },
      {
        next: (result) => {
          const at = performance.now();
          if (done) return;
          done = true;
          unsubscribe();
          const typename = result.data?.conversationEvents.__typename;
          if (typename === 'ConversationSubscribed') resolve(at - startedAt);
          else reject(toError(result.errors ?? `expected ConversationSubscribed first, got ${typename}`));
        },
        error: (error) => {
          if (!done) reject(toError(error));
          done = true;
        },
        complete: () => {
          if (!done) reject(new Error('probe subscription completed without an event'));
          done = true;
        },
      },
    );
  });
  return withTimeout(probe, options.timeoutMs, 'ws subscribe probe');
}

/** Baseline 2: `{ __typename }` POSTed as JSON (same path and middleware as every operation). */
async function httpRoundTrip(server: TestServer): Promise<number> {
  const startedAt = performance.now();
  const result = await withTimeout(graphqlRequest(server.graphqlUrl, '{ __typename }'), options.timeoutMs, 'HTTP probe');
  const at = performance.now();
  if (result.data?.['__typename'] !== 'Query') throw toError(result.errors ?? `unexpected answer ${JSON.stringify(result.data)}`);
  return at - startedAt;
}

// ───────────────────────────── the run ─────────────────────────────

interface Samples {
  wsSubscribe: number[];
  http: number[];
  ack: number[];
  started: number[];
  firstDelta: number[];
  completed: number[];
  deltas: number[];
}

const emptySamples = (): Samples => ({ wsSubscribe: [], http: [], ack: [], started: [], firstDelta: [], completed: [], deltas: [] });

/** One visitor's session: before each message one ws and one HTTP probe, then the message and its reply. */
async function visitorSession(server: TestServer, visitor: Visitor, messages: number, offset: number, into: Samples, failures: string[]) {
  for (let m = 0; m < messages; m++) {
    try {
      into.wsSubscribe.push(await wsSubscribeRoundTrip(visitor));
      into.http.push(await httpRoundTrip(server));
      const reply = await sendAndTime(server, visitor, QUESTIONS[(offset + m) % QUESTIONS.length]!);
      into.ack.push(reply.ackMs);
      into.started.push(reply.startedMs);
      into.firstDelta.push(reply.firstDeltaMs);
      into.completed.push(reply.completedMs);
      into.deltas.push(reply.deltas);
    } catch (error) {
      failures.push(`visitor ${offset} message ${m + 1}: ${toError(error).message}`);
    }
  }
}

/** Busy and total CPU time of the whole machine so far (all cores, all processes: Postgres and NATS too). */
function machineCpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** The event-loop histogram records whole sampling intervals; the lag is what exceeds the resolution. */
const LOOP_RESOLUTION_MS = 2;
const lag = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS);

async function describeDatabase(server: TestServer): Promise<string> {
  let version: string;
  let pgvector = '?';
  try {
    const em = server.orm.em.fork();
    const [row] = await em.execute<{ version: string }[]>(`select current_setting('server_version') as version`);
    const [ext] = await em.execute<{ extversion: string }[]>(`select extversion from pg_extension where extname = 'vector'`);
    version = row?.version ?? '?';
    pgvector = ext?.extversion ?? 'not installed';
  } catch (error) {
    version = `unknown (${toError(error).message})`;
  }
  const url = env['DATABASE_URL'];
  if (!url) return `embedded (in-memory PGlite ${version}, pgvector ${pgvector}, same process)`;
  const { host } = new URL(url);
  return `postgres (${host}, PostgreSQL ${version}, pgvector ${pgvector}, fresh database per run)`;
}

function describeBus(server: TestServer): string {
  if (server.bus.kind !== 'nats') return 'in-process';
  const url = env['NATS_URL'];
  return `nats (${url ? new URL(url).host : '?'})`;
}

/** V8's sampling profiler over the inspector protocol, in this process (so: server and client). */
async function startProfiler(): Promise<{ stopInto(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stopInto(file) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`(CPU profile of the load phase written to ${file})`);
    },
  };
}

/** How busy the machine already is before we start: other processes skew every figure below. */
async function backgroundLoad(): Promise<string> {
  const before = machineCpuTimes();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = machineCpuTimes();
  const busy = (after.busy - before.busy) / (after.total - before.total);
  const [one, five] = loadavg();
  return `${(busy * 100).toFixed(0)}% of all cores busy in the second before the start; load average ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min)`;
}

async function main(): Promise<number> {
  const background = await backgroundLoad();
  const runStartedAt = performance.now();
  const server = await startTestServer({ MASCOT_OFFLINE_TOKEN_DELAY_MS: String(options.tokenDelayMs) });
  const serverStartMs = performance.now() - runStartedAt;
  const failures: string[] = [];
  const visitors: Visitor[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(visitors.map(closeVisitor));
    await server.stop();
  };

  try {
    const fixtureStartedAt = performance.now();
    const bot = await publishedBot(server.graphqlUrl);
    const fixtureMs = performance.now() - fixtureStartedAt;
    const cores = availableParallelism();
    console.log('Reply latency bench');
    console.log(table(['environment', ''], [
      ['node', `${process.version} (${process.platform}/${process.arch})`],
      ['cpu', `${cores} cores available, ${cpus()[0]?.model.trim() ?? '?'}`],
      ['database', await describeDatabase(server)],
      ['bus', describeBus(server)],
      ['background', background],
      ['provider', `offline, ${options.tokenDelayMs} ms per token`],
      ['load', `${options.visitors} concurrent visitors × ${options.messages} messages, ${options.warmup} warm-up messages`],
      ['note', 'bench client and server share one Node process (and event loop)'],
    ], 'text'));
    if (cores <= 2 && options.visitors > 50) console.log(`(warning: ${options.visitors} visitors on ${cores} cores mostly measures queueing)`);

    // Warm-up: JIT, connection pools, first-query paths. Nothing here is counted.
    const warmupStartedAt = performance.now();
    const warmupVisitors = await Promise.all(
      Array.from({ length: Math.min(options.warmup, options.visitors) }, () => openVisitor(server, bot.embedId)),
    );
    visitors.push(...warmupVisitors);
    const ignored = emptySamples();
    await Promise.all(warmupVisitors.map((visitor, i) => {
      const share = Math.floor(options.warmup / warmupVisitors.length) + (i < options.warmup % warmupVisitors.length ? 1 : 0);
      return visitorSession(server, visitor, share, i, ignored, failures);
    }));
    if (failures.length) throw new Error(`warm-up failed:\n  ${failures.join('\n  ')}`);

    const warmupMs = performance.now() - warmupStartedAt;

    // Idle baselines: one probe at a time on an otherwise quiet server.
    const idleStartedAt = performance.now();
    const idle = emptySamples();
    let prober = warmupVisitors[0];
    if (!prober) visitors.push((prober = await openVisitor(server, bot.embedId)));
    for (let i = 0; i < options.baselineSamples; i++) idle.wsSubscribe.push(await wsSubscribeRoundTrip(prober));
    for (let i = 0; i < options.baselineSamples; i++) idle.http.push(await httpRoundTrip(server));
    await Promise.all(visitors.splice(0).map(closeVisitor));
    const idleMs = performance.now() - idleStartedAt;

    // Setup of the load: every visitor starts a conversation and subscribes (all at once, not counted).
    const setupStartedAt = performance.now();
    const connectTimes: number[] = [];
    const opened = await Promise.allSettled(
      Array.from({ length: options.visitors }, async () => {
        const t0 = performance.now();
        const visitor = await openVisitor(server, bot.embedId);
        connectTimes.push(performance.now() - t0);
        return visitor;
      }),
    );
    for (const result of opened) {
      if (result.status === 'fulfilled') visitors.push(result.value);
      else failures.push(`setup: ${toError(result.reason).message}`);
    }
    const setupMs = performance.now() - setupStartedAt;

    // The load: every visitor runs its session concurrently, closed loop, no think time.
    const loaded = emptySamples();
    const profiler = options.profile ? await startProfiler() : undefined;
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const machineBefore = machineCpuTimes();
    const loadStartedAt = performance.now();
    await Promise.all(visitors.map(async (visitor, i) => {
      // A few ms of jitter so visitors do not move in lock step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      await visitorSession(server, visitor, options.messages, i, loaded, failures);
    }));
    const loadMs = performance.now() - loadStartedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const machineAfter = machineCpuTimes();
    const machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
    loop.disable();
    if (profiler && options.profile) await profiler.stopInto(options.profile);
    const strayEvents = visitors.reduce((sum, v) => sum + v.strayEvents, 0);

    // Report.
    const rows: [string, Summary][] = [
      ['idle   ws subscribe round trip', summarize(idle.wsSubscribe)],
      ['idle   HTTP { __typename } round trip', summarize(idle.http)],
      ['load   ws subscribe round trip (baseline)', summarize(loaded.wsSubscribe)],
      ['load   HTTP { __typename } round trip', summarize(loaded.http)],
      ['load   sendMessage → mutation answered', summarize(loaded.ack)],
      ['load   sendMessage → ReplyStarted', summarize(loaded.started)],
      ['load   sendMessage → first ReplyDelta (TTFT)', summarize(loaded.firstDelta)],
      ['load   sendMessage → ReplyCompleted', summarize(loaded.completed)],
    ];
    console.log('');
    console.log(table(
      ['latency (ms)', 'count', 'p50', 'p95', 'p99', 'max'],
      rows.map(([name, s]) => [name, String(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)]),
    ));

    const wsLoad = summarize(loaded.wsSubscribe);
    const wsIdle = summarize(idle.wsSubscribe);
    const ttft = summarize(loaded.firstDelta);
    const done = summarize(loaded.completed);
    console.log('');
    console.log(table(
      ['ratio', 'p50 vs load ws', 'p95 vs load ws', 'p50 vs idle ws', 'p95 vs idle ws'],
      [
        ['TTFT / ws subscribe round trip', ratio(ttft.p50, wsLoad.p50), ratio(ttft.p95, wsLoad.p95), ratio(ttft.p50, wsIdle.p50), ratio(ttft.p95, wsIdle.p95)],
        ['ReplyCompleted / ws subscribe round trip', ratio(done.p50, wsLoad.p50), ratio(done.p95, wsLoad.p95), ratio(done.p50, wsIdle.p50), ratio(done.p95, wsIdle.p95)],
      ],
    ));

    const teardownStartedAt = performance.now();
    await stop();
    const teardownMs = performance.now() - teardownStartedAt;

    const meanDeltas = loaded.deltas.length ? loaded.deltas.reduce((a, b) => a + b, 0) / loaded.deltas.length : Number.NaN;
    const connect = summarize(connectTimes);
    console.log('');
    console.log(table(['run', ''], [
      ['replies', `${loaded.completed.length} completed in ${(loadMs / 1000).toFixed(2)} s = ${(loaded.completed.length / (loadMs / 1000)).toFixed(1)} replies/s, ${meanDeltas.toFixed(1)} deltas per reply on average`],
      ['setup', `${visitors.length} visitors started + subscribed at once in ${ms(setupMs)} ms (each: p50 ${ms(connect.p50)}, max ${ms(connect.max)} ms)`],
      ['cpu', `this process ${(((cpu.user + cpu.system) / 1000 / loadMs) * 100).toFixed(0)}% of one core, whole machine ${(machineBusy * 100).toFixed(0)}% of all ${cores} cores, during the load`],
      ['event loop lag', `p50 ${ms(lag(loop.percentile(50)))} ms, p99 ${ms(lag(loop.percentile(99)))} ms, max ${ms(lag(loop.max))} ms during the load`],
      ['failures', `${failures.length}${strayEvents ? `, ${strayEvents} stray events` : ''}`],
      ['teardown', `${ms(teardownMs)} ms to close visitors and stop the server`],
      ['phases', `server start ${ms(serverStartMs)} ms, fixture bot ${ms(fixtureMs)} ms, warm-up ${ms(warmupMs)} ms, idle baselines ${ms(idleMs)} ms`],
      ['total', `${((performance.now() - runStartedAt) / 1000).toFixed(1)} s including server start and teardown`],
    ], 'text'));
    for (const failure of failures.slice(0, 10)) console.log(`  ! ${failure}`);
    if (failures.length > 10) console.log(`  ! … and ${failures.length - 10} more`);
    return failures.length || strayEvents ? 1 : 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed; if some handle still keeps the process alive, say so and leave anyway.
    setTimeout(() => {
      console.error('bench: handles still open 2 s after teardown; exiting anyway');
      process.exit(code);
    }, 2000).unref();
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
