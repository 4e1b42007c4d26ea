/**
 * Streaming through a real provider path: the server's reply pipeline → provider router → official
 * OpenAI SDK → the fake OpenAI server (fixed first-token delay and token pacing), tokens back to
 * visitors over graphql-ws. Two questions, each against a baseline measured in the same run:
 *
 * 1. Added time to first token: sendMessage → first ReplyDelta at a graphql-ws subscriber, minus the
 *    same fake server's first token when called directly with the SDK.
 * 2. Many concurrent streaming conversations: delivered tokens per second and the delay the platform
 *    adds between tokens (each delta's gap at the subscriber minus the provider's pacing for the words
 *    in it).
 *
 *   npm run bench:streaming                                   # embedded PGlite + in-process bus
 *   DATABASE_URL=postgres://… NATS_URL=nats://… npm run bench:streaming -- --conversations 500
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { splitIntoStreamTokens } from '@mascot/knowledge-core';
import { startFakeOpenAiServer } from '../server/src/test/fake-openai-server.ts';
import { publishedBot, type TenantFixture } from '../server/src/test/fixtures.ts';
import { graphqlOk, graphqlRequest, wsClient } from '../server/src/test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, SEND_MESSAGE, START_CONVERSATION } from '../server/src/test/operations.ts';
import { publishProviderChain } from '../server/src/test/provider-chain.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { BENCH_MODEL, directTtft } from './openai-direct.ts';
import { ms, ratio, summarize, table, type Summary, runBench } from './stats.ts';

const { values: flags } = parseArgs({
  options: {
    conversations: { type: 'string', default: '500' },
    'ttft-samples': { type: 'string', default: '20' },
    'first-token-delay-ms': { type: 'string', default: '200' },
    'token-delay-ms': { type: 'string', default: '50' },
    words: { type: 'string', default: '40' },
    'timeout-ms': { type: 'string', default: '120000' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (flags.help) {
  console.log(`Usage: npm run bench:streaming -- [options]
  --conversations N         concurrent streaming conversations (default 500)
  --ttft-samples N          sequential samples for the added-TTFT comparison (default 20)
  --first-token-delay-ms N  the fake provider's time to first token (default 200)
  --token-delay-ms N        the fake provider's pause between tokens (default 50)
  --words N                 words per answer (default 40)
  --timeout-ms N            give up on the load phase after N ms (default 120000)
DATABASE_URL / NATS_URL select real PostgreSQL / NATS (else embedded PGlite + in-process bus).`);
  process.exit(0);
}

function positive(name: keyof typeof flags, max: number): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`Invalid --${name} ${JSON.stringify(flags[name])}: expected an integer in 0..${max}.`);
    process.exit(2);
  }
  return value;
}

const options = {
  conversations: Math.max(1, positive('conversations', 5000)),
  ttftSamples: Math.max(1, positive('ttft-samples', 1000)),
  firstTokenDelayMs: positive('first-token-delay-ms', 10_000),
  tokenDelayMs: positive('token-delay-ms', 1000),
  words: Math.max(2, positive('words', 2000)),
  timeoutMs: Math.max(1000, positive('timeout-ms', 3_600_000)),
};

const ANSWER = Array.from({ length: options.words }, (_, i) => (i === 0 ? 'The' : i % 9 === 0 ? 'plan [1].' : 'word')).join(' ');

interface DeltaArrival {
  at: number;
  words: number;
}

/** One visitor conversation with its graphql-ws subscription; `reply()` sends and times one answer. */
interface Conversation {
  reply(question: string): Promise<{ sentAt: number; deltas: DeltaArrival[] }>;
  close(): Promise<void>;
}

async function openConversation(server: TestServer, embedId: string): Promise<Conversation> {
  const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId });
  const client = wsClient(server.websocketUrl, session.visitorToken);
  let current: { deltas: DeltaArrival[]; done(error?: Error): void } | undefined;
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const unsubscribe = client.subscribe<{ conversationEvents: any }>(
    { query: CONVERSATION_EVENTS, variables: { conversationId: session.conversationId } },
    {
      next: ({ data, errors }) => {
        const at = performance.now();
        const event = data?.conversationEvents;
        if (errors?.length || !event) return current?.done(new Error(JSON.stringify(errors)));
        if (event.__typename === 'ConversationSubscribed') return subscribed();
        if (event.__typename === 'ReplyDelta') current?.deltas.push({ at, words: splitIntoStreamTokens(event.delta).length });
        else if (event.__typename === 'ReplyCompleted') current?.done();
        else if (event.__typename === 'ReplyFailed') current?.done(new Error(`ReplyFailed ${event.code}: ${event.reason}`));
      },
      error: (error) => current?.done(error instanceof Error ? error : new Error(String(error))),
      complete: () => {},
    },
  );
  await ready;
  return {
    async reply(question) {
      const deltas: DeltaArrival[] = [];
      const finished = new Promise<void>((resolve, reject) => {
        current = { deltas, done: (error) => (error ? reject(error) : resolve()) };
      });
      const sentAt = performance.now();
      const sent = await graphqlRequest(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: question }, session.visitorToken);
      if (sent.errors?.length) throw new Error(`sendMessage: ${JSON.stringify(sent.errors)}`);
      await finished;
      return { sentAt, deltas };
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}

/** A published bot whose chain is the OpenAI provider (served by the fake through OPENAI_BASE_URL). */
async function openAiBot(server: TestServer): Promise<TenantFixture> {
  const bot = await publishedBot(server.graphqlUrl);
  await publishProviderChain(server.graphqlUrl, bot, [{ provider: 'openai', model: BENCH_MODEL }]);
  return bot;
}

const row = (label: string, s: Summary) => [label, String(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)];

async function main(): Promise<number> {
  const [load1] = loadavg();
  const fake = await startFakeOpenAiServer();
  fake.setDefault({ text: ANSWER, firstTokenDelayMs: options.firstTokenDelayMs, tokenDelayMs: options.tokenDelayMs });
  const server = await startTestServer({
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: fake.url,
    MASCOT_AI_FIRST_TOKEN_TIMEOUT_MS: String(options.firstTokenDelayMs + 30_000),
    MASCOT_AI_IDLE_TIMEOUT_MS: '120000',
  });
  const open: Conversation[] = [];
  try {
    console.log('Streaming bench (fake OpenAI server through the official SDK)');
    console.log(table(['environment', ''], [
      ['node', `${process.version}, ${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? '?'}`],
      ['services', `${process.env['DATABASE_URL'] ? 'PostgreSQL' : 'embedded PGlite'}, ${process.env['NATS_URL'] ? 'NATS' : 'in-process bus'}`],
      ['load average', `${load1!.toFixed(2)} (1 min) at the start`],
      ['provider', `first token after ${options.firstTokenDelayMs} ms, then ${options.tokenDelayMs} ms per token, ${options.words} words`],
      ['note', 'server, fake provider and every client share one Node process'],
    ], 'text'));

    // ── 1. added time to first token ──
    const ttftBot = await openAiBot(server);
    const direct: number[] = [];
    const platform: number[] = [];
    for (let i = 0; i < 3 + options.ttftSamples; i++) {
      const d = await directTtft(fake.url);
      // A new conversation each time (conversations can move on to a person); distinct questions, since
      // the pipeline caches answers to identical first questions.
      const conversation = await openConversation(server, ttftBot.embedId);
      const { sentAt, deltas } = await conversation.reply(`How much does the Pro plan cost, case ${i}?`);
      await conversation.close();
      if (i < 3) continue; // warm-up
      direct.push(d);
      platform.push(deltas[0]!.at - sentAt);
    }
    const directSummary = summarize(direct);
    const platformSummary = summarize(platform);
    const added = summarize(platform.map((p, i) => p - direct[i]!));
    console.log(`\n1. Time to first token, ${options.ttftSamples} sequential samples (ms)`);
    console.log(table(['', 'count', 'p50', 'p95', 'p99', 'max'], [
      row('SDK → fake provider directly (baseline)', directSummary),
      row('sendMessage → first ReplyDelta over graphql-ws', platformSummary),
      row('added by the platform (pairwise)', added),
    ]));
    console.log(`Platform TTFT ${ratio(platformSummary.p50, directSummary.p50)} (p50) / ${ratio(platformSummary.p95, directSummary.p95)} (p95) the direct call; added p50 ${ms(added.p50)} ms.`);

    // ── 2. concurrent streaming conversations ──
    const perBot = 400; // stays under a free tenant's monthly message quota
    const bots: TenantFixture[] = [];
    while (bots.length * perBot < options.conversations) bots.push(await openAiBot(server));
    const setupStartedAt = performance.now();
    const conversations: Conversation[] = [];
    // Embedded PGlite serves one query at a time and has tripped over many parallel visitor sign-ins; open them one by one there.
    const batchSize = process.env['DATABASE_URL'] ? 25 : 1;
    for (let i = 0; i < options.conversations; i += batchSize) {
      const batch = await Promise.all(Array.from({ length: Math.min(batchSize, options.conversations - i) }, (_, j) =>
        openConversation(server, bots[Math.floor((i + j) / perBot)]!.embedId)));
      conversations.push(...batch);
    }
    open.push(...conversations);
    const setupMs = performance.now() - setupStartedAt;
    const cpuBefore = process.cpuUsage();
    const loadStartedAt = performance.now();
    const outcomes = await Promise.race([
      Promise.allSettled(conversations.map((c, i) => c.reply(`What does the Pro plan include, visitor ${i}?`))),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`load phase over ${options.timeoutMs} ms`)), options.timeoutMs).unref()),
    ]);
    const loadMs = performance.now() - loadStartedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const replies = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
    const gaps: number[] = [];
    const addedGaps: number[] = [];
    const ttfts: number[] = [];
    const lateness: number[] = [];
    let words = 0;
    for (const { sentAt, deltas } of replies) {
      ttfts.push(deltas[0]!.at - sentAt);
      let sentWords = 0;
      deltas.forEach((delta, i) => {
        words += delta.words;
        sentWords += delta.words;
        // The provider wrote this delta's last word at the earliest firstTokenDelay + (n − 1) × pacing after the send.
        lateness.push(delta.at - (sentAt + options.firstTokenDelayMs + (sentWords - 1) * options.tokenDelayMs));
        if (i === 0) return;
        const gap = delta.at - deltas[i - 1]!.at;
        gaps.push(gap);
        addedGaps.push(gap - delta.words * options.tokenDelayMs);
      });
    }
    const ideal = options.firstTokenDelayMs + (options.words - 1) * options.tokenDelayMs;
    console.log(`\n2. ${options.conversations} concurrent streaming conversations (setup ${(setupMs / 1000).toFixed(1)} s, not counted)`);
    console.log(table(['', 'count', 'p50', 'p95', 'p99', 'max'], [
      row('sendMessage → first ReplyDelta (ms)', summarize(ttfts)),
      row('gap between deltas at the subscriber (ms)', summarize(gaps)),
      row('added inter-token delay (gap − pacing, ms)', summarize(addedGaps)),
      row("delta arrival after the provider's schedule (ms)", summarize(lateness)),
    ]));
    console.log(table(['throughput', ''], [
      ['replies completed / failed', `${replies.length} / ${failures.length}`],
      ['load phase', `${(loadMs / 1000).toFixed(2)} s (one answer alone takes ≥ ${(ideal / 1000).toFixed(2)} s at the provider's pace)`],
      ['delivered tokens/s', `${(words / (loadMs / 1000)).toFixed(0)} (provider-paced ceiling ${((options.conversations * 1000) / options.tokenDelayMs).toFixed(0)})`],
      ['this process CPU', `${(((cpu.user + cpu.system) / 1000 / loadMs) * 100).toFixed(0)} % of one core`],
    ], 'text'));
    if (failures.length) console.log(`failures (first 5):\n  ${failures.slice(0, 5).join('\n  ')}`);
    return failures.length ? 1 : 0;
  } finally {
    await Promise.allSettled(open.map((c) => c.close()));
    await server.stop();
    await fake.close();
  }
}

runBench(main);
