/**
 * Added time to first token, by knowledge size (issue 13: ≤ 10 ms p50 / 25 ms p95 without knowledge,
 * ≤ 25 ms p50 / 50 ms p95 with 10,000 passages). The server runs in a process of its own
 * (bench/first-token.server.ts); this process holds the fake OpenAI server and the visitors.
 *
 * For each size, one bot whose provider chain is OpenAI (the fake, through the official SDK in the
 * server) with that many synthetic passages beside its price list (bench/synthetic-knowledge.ts).
 * Each sample, one after another on a quiet server: the SDK calls the fake directly (the baseline),
 * then a new visitor conversation sends a question (distinct each time: identical first questions are
 * answered from the cache) and we time sendMessage → first ReplyDelta over graphql-ws. Added = the
 * pair's difference. The fake's first token comes after --first-token-delay-ms, then one word every
 * --token-delay-ms: a first word the output guard held would cost a whole token delay.
 *
 *   npm run bench:first-token
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres NATS_URL=nats://127.0.0.1:4222 npm run bench:first-token -- --sizes 0,1600,10000
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startFakeOpenAiServer } from '../server/src/test/fake-openai-server.ts';
import { publishedBot, type TenantFixture } from '../server/src/test/fixtures.ts';
import { graphqlOk, graphqlRequest, wsClient } from '../server/src/test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, SEND_MESSAGE, START_CONVERSATION } from '../server/src/test/operations.ts';
import { publishProviderChain } from '../server/src/test/provider-chain.ts';
import { BENCH_MODEL, directTtft } from './openai-direct.ts';
import { ms, summarize, table, runBench } from './stats.ts';
import { addSyntheticKnowledge } from './synthetic-knowledge.ts';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '0,1600,10000' },
    samples: { type: 'string', default: '30' },
    'first-token-delay-ms': { type: 'string', default: '100' },
    'token-delay-ms': { type: 'string', default: '50' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
if (flags.help) {
  console.log(`Usage: npm run bench:first-token -- [options]
  --sizes N,N,…             synthetic passages per bot, one bot each (default 0,1600,10000)
  --samples N               timed samples per size, after 3 warm-up ones (default 30)
  --first-token-delay-ms N  the fake provider's time to first token (default 100)
  --token-delay-ms N        the fake provider's pause between words (default 50)
DATABASE_URL / NATS_URL select real PostgreSQL / NATS (else embedded PGlite + in-process bus).`);
  process.exit(0);
}

function count(raw: string, what: string, max: number): number {
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`Invalid ${what} ${JSON.stringify(raw)}: expected an integer in 0..${max}.`);
    process.exit(2);
  }
  return value;
}
const sizes = flags.sizes.split(',').map((s) => count(s, '--sizes entry', 200_000));
const samples = Math.max(1, count(flags.samples, '--samples', 10_000));
const firstTokenDelayMs = count(flags['first-token-delay-ms'], '--first-token-delay-ms', 10_000);
const tokenDelayMs = count(flags['token-delay-ms'], '--token-delay-ms', 1000);
const ANSWER = 'The Pro plan costs 29 dollars per month and includes unlimited projects [1].';

interface ServerUrls {
  graphqlUrl: string;
  websocketUrl: string;
  databaseUrl: string;
}

/** The server in its own process; resolves with its URLs once it listens. */
function startServerProcess(fakeUrl: string): Promise<{ urls: ServerUrls; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./first-token.server.ts', import.meta.url).pathname], {
    env: { ...process.env, FAKE_OPENAI_URL: fakeUrl },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve({
        urls: JSON.parse(line) as ServerUrls,
        async stop() {
          child.stdin!.end();
          await exited;
        },
      });
    });
  });
}

/** One new visitor conversation: the time from sendMessage to its first ReplyDelta, in ms. */
async function platformTtft(urls: ServerUrls, embedId: string, question: string): Promise<number> {
  const { startConversation: session } = await graphqlOk(urls.graphqlUrl, START_CONVERSATION, { embedId });
  const client = wsClient(urls.websocketUrl, session.visitorToken);
  try {
    let subscribed!: () => void;
    let firstDelta!: (at: number) => void;
    let failed!: (error: Error) => void;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    const first = new Promise<number>((resolve, reject) => {
      firstDelta = resolve;
      failed = reject;
    });
    client.subscribe<{ conversationEvents: { __typename: string; code?: string } }>(
      { query: CONVERSATION_EVENTS, variables: { conversationId: session.conversationId } },
      {
        next: ({ data }) => {
          const at = performance.now();
          const type = data?.conversationEvents.__typename;
          if (type === 'ConversationSubscribed') subscribed();
          else if (type === 'ReplyDelta') firstDelta(at);
          else if (type === 'ReplyFailed') failed(new Error(`ReplyFailed ${data?.conversationEvents.code}`));
        },
        error: (error) => failed(error instanceof Error ? error : new Error(String(error))),
        complete: () => {},
      },
    );
    await ready;
    const sentAt = performance.now();
    const sent = await graphqlRequest(urls.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: question }, session.visitorToken);
    if (sent.errors?.length) throw new Error(`sendMessage: ${JSON.stringify(sent.errors)}`);
    return (await first) - sentAt;
  } finally {
    await client.dispose();
  }
}

async function main(): Promise<number> {
  const [load1] = loadavg();
  const fake = await startFakeOpenAiServer();
  fake.setDefault({ text: ANSWER, firstTokenDelayMs, tokenDelayMs });
  const server = await startServerProcess(fake.url);
  try {
    console.log('First-token bench (server in its own process; fake OpenAI server through the official SDK)');
    console.log(table(['environment', ''], [
      ['node', `${process.version}, ${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? '?'}`],
      ['services', `${process.env['DATABASE_URL'] ? 'PostgreSQL' : 'embedded PGlite'}, ${process.env['NATS_URL'] ? 'NATS' : 'in-process bus'}`],
      ['load average', `${load1!.toFixed(2)} (1 min) at the start`],
      ['provider', `first token after ${firstTokenDelayMs} ms, then ${tokenDelayMs} ms per word`],
    ], 'text'));
    const rows: string[][] = [];
    for (const size of sizes) {
      const bot: TenantFixture = await publishedBot(server.urls.graphqlUrl);
      if (size > 0) await addSyntheticKnowledge(server.urls.databaseUrl, bot, size);
      // Publishing after the passages exist puts them into the live version.
      await publishProviderChain(server.urls.graphqlUrl, bot, [{ provider: 'openai', model: BENCH_MODEL }]);
      const direct: number[] = [];
      const added: number[] = [];
      for (let i = 0; i < 3 + samples; i++) {
        const d = await directTtft(fake.url);
        const p = await platformTtft(server.urls, bot.embedId, `How much does the Pro plan cost for ${size} items, case ${i}?`);
        if (i < 3) continue; // warm-up
        direct.push(d);
        added.push(p - d);
      }
      const a = summarize(added);
      const d = summarize(direct);
      rows.push([`${size} + price list`, String(a.count), ms(d.p50), ms(a.p50), ms(a.p95), ms(a.max)]);
      console.log(`  ${size} synthetic passages: added p50 ${ms(a.p50)} ms, p95 ${ms(a.p95)} ms`);
    }
    console.log('\nAdded time to first token (sendMessage → first ReplyDelta, minus the direct SDK call), ms');
    console.log(table(['passages in the bot', 'samples', 'direct p50', 'added p50', 'added p95', 'added max'], rows));
    return 0;
  } finally {
    await server.stop();
    await fake.close();
  }
}

runBench(main);
