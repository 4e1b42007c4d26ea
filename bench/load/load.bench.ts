/**
 * `npm run bench:load`: the hot path at scale (issue 13), measured from outside, each party in its
 * own process: the Mascot server (production mode, real PostgreSQL + NATS, a fresh database), a fake
 * OpenAI-compatible provider, a bare graphql-ws server and a bare Apollo Server 5 as baselines, and a
 * load generator. This file starts them, drives the phases, reads CPU and memory from /proc and
 * Postgres' write counters, and prints the figures next to the baselines. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { splitIntoStreamTokens } from '@mascot/knowledge-core';
import { createTestDatabase, type TestDatabase } from '../../server/src/test/test-database.ts';
import { table } from '../stats.ts';
import { killChildrenNow, natsPid, startChild, type Child } from './child-processes.ts';
import { httpPart, streamingPart, summaryTable, ttftPart, type Parties, type Settings } from './phases.ts';
import type { ServerInfo } from './protocol.ts';

// ───────────────────────────── options ─────────────────────────────

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    streams: { type: 'string' },
    'skip-http': { type: 'boolean' },
    'skip-ttft': { type: 'boolean' },
    'skip-streams': { type: 'boolean' },
    'skip-baseline': { type: 'boolean' },
    'http-connections': { type: 'string' },
    'http-duration-s': { type: 'string' },
    'ttft-samples': { type: 'string' },
    chunks: { type: 'string' },
    tenants: { type: 'string' },
    'ramp-ms': { type: 'string' },
    'phase-timeout-s': { type: 'string' },
    'log-level': { type: 'string' },
    'profile-server': { type: 'string' },
    'server-node-args': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (flags.help) {
  console.log(`Usage: npm run bench:load [-- options]
  --quick               smoke run: 20 and 50 visitors, 3 s HTTP runs, 5 TTFT samples, 1,000 chunks
  --streams=LIST        concurrent streaming visitors per phase (default 100,500,1000,2000)
  --skip-http           no HTTP throughput part      --skip-ttft     no time-to-first-token part
  --skip-streams        no streaming part            --skip-baseline no graphql-ws baseline phases
  --http-connections=N  autocannon connections (default 32)
  --http-duration-s=N   seconds per HTTP measurement, after a 2 s warm-up (default 10)
  --ttft-samples=N      sequential samples per TTFT row, after 3 warm-ups (default 20)
  --chunks=N            knowledge chunks of the large bot in the TTFT part (default 10000)
  --tenants=N           spread the streaming visitors over N tenants, one bot each (default 1: one big site)
  --ramp-ms=N           spread the N first messages over this long (default 1000)
  --phase-timeout-s=N   time limit of each streaming phase; setup has the same (default 120)
  --log-level=LEVEL     the server's LOG_LEVEL (default info, as in production)
  --profile-server=DIR  write a V8 CPU profile of the whole server process into DIR (open in Chrome DevTools)
  --server-node-args=…  extra Node.js options for the server process, space-separated (A/B runs of runtime flags)
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and NATS_URL (default nats://127.0.0.1:4222)
name the services; the run creates its own database there and drops it at the end.`);
  process.exit(0);
}

function count(name: keyof typeof flags, fallback: number, min: number, max: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`Invalid --${name}=${String(raw)}: expected an integer in ${min}..${max}.`);
    process.exit(2);
  }
  return value;
}

const quick = flags.quick ?? false;
const streams = (flags.streams ?? (quick ? '20,50' : '100,500,1000,2000')).split(',').map((entry) => {
  const n = Number(entry.trim());
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    console.error(`Invalid --streams entry "${entry}": expected integers in 1..10000.`);
    process.exit(2);
  }
  return n;
});
/** What the fake provider and the graphql-ws baseline stream: 40 tokens at 20 tokens/s. */
const ANSWER = [
  'The Pro plan costs 29 dollars per month and includes unlimited projects, priority support from 8 am',
  'to 8 pm on weekdays, shared workspaces for your whole team, and a free trial so you can try every',
  'feature first [1].',
].join(' ');
const ANSWER_TOKENS = splitIntoStreamTokens(ANSWER).length;
const TOKEN_DELAY_MS = 50;
const FIRST_TOKEN_DELAY_MS = 0;

const options: Settings & { logLevel: string } = {
  streams,
  httpConnections: count('http-connections', 32, 1, 1000),
  httpDurationS: count('http-duration-s', quick ? 3 : 10, 1, 600),
  ttftSamples: count('ttft-samples', quick ? 5 : 20, 1, 1000),
  chunks: count('chunks', quick ? 1000 : 10_000, 0, 200_000),
  tenants: count('tenants', 1, 1, 1000),
  rampMs: count('ramp-ms', 1000, 0, 60_000),
  phaseTimeoutMs: count('phase-timeout-s', quick ? 60 : 120, 5, 3600) * 1000,
  logLevel: flags['log-level'] ?? 'info',
  answerTokens: ANSWER_TOKENS,
  tokenDelayMs: TOKEN_DELAY_MS,
  firstTokenDelayMs: FIRST_TOKEN_DELAY_MS,
};

const databaseUrl = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env['NATS_URL'] || 'nats://127.0.0.1:4222';



// ───────────────────────────── the run's resources ─────────────────────────────

const now = () => performance.timeOrigin + performance.now();

const jobsNamespace = `bench${randomBytes(4).toString('hex')}`;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
let stats: pg.Client | undefined;
const children: Child<unknown>[] = [];

async function cleanUp(): Promise<void> {
  await Promise.allSettled(children.splice(0).reverse().map((child) => child.stop()));
  await stats?.end().catch(() => undefined);
  await database?.drop().catch((error: unknown) => console.error(`could not drop the bench database: ${String(error)}`));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  // The server made a JetStream stream for this run's job namespace; it outlives the server otherwise.
  try {
    const nc = await connect({ servers: natsUrl, timeout: 3000 });
    await (await jetstreamManager(nc)).streams.delete(`MASCOT_JOBS_${jobsNamespace.toUpperCase()}`).catch(() => undefined);
    await nc.close();
  } catch {
    // NATS is gone; nothing of ours is left there to remove.
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      killChildrenNow();
      process.exit(130);
    }
    interrupted = true;
    console.error(`\n${signal}: stopping the processes and dropping the bench database (again to force)…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ───────────────────────────── main ─────────────────────────────

function sourceState(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const head = git('log', '-1', '--format=%h %cI').trim();
    const changed = git('status', '--porcelain').split('\n').filter(Boolean).length;
    return `${head}${changed ? `, ${changed} uncommitted changes in the working tree` : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

async function main(): Promise<number> {
  const [load1] = loadavg();
  const runStartedAt = now();
  const childEnv = { BENCH_ANSWER: ANSWER, BENCH_TOKEN_DELAY_MS: String(TOKEN_DELAY_MS), BENCH_FIRST_TOKEN_DELAY_MS: String(FIRST_TOKEN_DELAY_MS) };
  database = await createTestDatabase(databaseUrl);
  const runDatabaseUrl = database.url!;
  const databaseName = new URL(runDatabaseUrl).pathname.slice(1);
  stats = new pg.Client({ connectionString: runDatabaseUrl });
  await stats.connect();
  const { rows: [version] } = await stats.query<{ v: string }>(`select current_setting('server_version') as v`);
  dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-bench-'));

  const [provider, wsBaseline, apollo, load] = await Promise.all([
    startChild<{ url: string; pid: number }>('fake provider', 'fake-provider.process.ts', childEnv),
    flags['skip-streams'] || flags['skip-baseline'] ? undefined : startChild<{ websocketUrl: string; pid: number }>('graphql-ws baseline', 'graphql-ws-baseline.process.ts', { ...childEnv, NODE_ENV: 'production' }),
    flags['skip-http'] || flags['skip-baseline'] ? undefined : startChild<{ graphqlUrl: string; pid: number }>('Apollo baseline', 'apollo-baseline.process.ts', { NODE_ENV: 'production' }),
    startChild<{ pid: number }>('load generator', 'load-generator.process.ts', {}),
  ]);
  children.push(...[provider, wsBaseline, apollo, load].filter((c): c is Child<any> => c !== undefined));
  const serverStartedAt = now();
  const server = await startChild<ServerInfo>('Mascot server', 'mascot-server.process.ts', {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: runDatabaseUrl,
    NATS_URL: natsUrl,
    MASCOT_JWT_SECRET: randomBytes(32).toString('hex'),
    MASCOT_SEED_DEMO: 'false',
    MASCOT_DATA_DIR: dataDir,
    MASCOT_JOBS_NAMESPACE: jobsNamespace,
    LOG_LEVEL: options.logLevel,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: provider.info.url,
    // A provider timeout under overload must show as a failed answer, not as the offline provider's different text.
    MASCOT_AI_OFFLINE_LAST_RESORT: 'false',
  }, undefined, [
    ...(flags['profile-server'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags['profile-server'])}`] : []),
    ...(flags['server-node-args']?.split(/\s+/).filter(Boolean) ?? []),
  ]);
  children.push(server);
  const serverStartMs = now() - serverStartedAt;
  const parties: Parties = {
    settings: options, stats, server, provider, wsBaseline, apollo, load, databaseName, databaseUrl: runDatabaseUrl, nats: await natsPid(),
  };

  console.log('Mascot load bench (issue 13: the hot path at scale)');
  console.log(table(['environment', ''], [
    ['started', new Date(runStartedAt).toISOString()],
    ['source', sourceState()],
    ['machine', `${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? '?'}, load average ${load1!.toFixed(2)} at the start; Node ${process.version}`],
    ['server', `own process (pid ${server.pid}), NODE_ENV=${server.info.env}, bus ${server.info.bus}, started in ${(serverStartMs / 1000).toFixed(1)} s, LOG_LEVEL=${options.logLevel}`],
    ['database', `PostgreSQL ${version!.v} at ${new URL(databaseUrl).host}, fresh database ${databaseName} (dropped at the end)`],
    ['NATS', `${natsUrl}, job namespace ${jobsNamespace}${parties.nats ? ` (nats-server pid ${parties.nats})` : ''}`],
    ['provider', `fake OpenAI SSE server, own process: ${ANSWER_TOKENS}-token answer, ${1000 / TOKEN_DELAY_MS} tokens/s, first token after ${FIRST_TOKEN_DELAY_MS} ms`],
    ['baselines', `${wsBaseline ? 'graphql-ws + graphql-js (trivial subscription, same tokens and pace)' : 'no graphql-ws baseline'}; ${apollo ? 'bare Apollo Server 5 (startStandaloneServer)' : 'no Apollo baseline'}; each its own process`],
    ['clients', `load generator, own process; every visitor connects from 127.0.0.1 (request rate limits raised in bench/load/mascot-server.process.ts)`],
  ], 'text'));

  if (!flags['skip-http']) await httpPart(parties);
  if (!flags['skip-ttft']) await ttftPart(parties);
  if (!flags['skip-streams']) {
    const results = await streamingPart(parties);
    if (results.length > 1) {
      console.log('\nStreaming summary (targets in issue 13: ≥ 0.7× the baseline, lateness p99 ≤ 100 ms, 0 lost/dup, ≤ 150 KB per visitor, ≤ 0.1 rows per token)');
      console.log(summaryTable(results));
    }
  }
  console.log(`\nTotal ${((now() - runStartedAt) / 1000).toFixed(0)} s.`);
  return 0;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    return 1;
  })
  .then(async (code) => {
    if (interrupted) return;
    await cleanUp();
    process.exit(code);
  });
