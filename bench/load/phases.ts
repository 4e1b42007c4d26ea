import type pg from 'pg';
import { signUpAccount } from '../../server/src/test/fixtures.ts';
import { graphqlRequest } from '../../server/src/test/graphql-test-client.ts';
import { ms, summarize, table } from '../stats.ts';
import { benchBot, knowledgeDocuments, PRICE_LIST } from './bench-fixtures.ts';
import { cpuSeconds, machineJiffies, rssBytes, type Child } from './child-processes.ts';
import type { HttpFigures, LoadCommand, OpenResult, ServerInfo, TtftSamples } from './protocol.ts';
import { streamFigures, streamTable, times, type StreamFigures, type StreamPhase } from './stream-figures.ts';
import type { StreamRecord } from './stream-metrics.ts';

/**
 * The load bench's three parts — HTTP throughput, added time to first token, streaming at N — as the
 * parent (`load.bench.ts`) runs them against the processes it started, with the readings around each.
 */

export interface Settings {
  streams: number[];
  httpConnections: number;
  httpDurationS: number;
  ttftSamples: number;
  chunks: number;
  tenants: number;
  rampMs: number;
  phaseTimeoutMs: number;
  /** The answer the fake provider and the graphql-ws baseline stream, and their pace. */
  answerTokens: number;
  tokenDelayMs: number;
  firstTokenDelayMs: number;
}

/**
 * PostgreSQL 15 backends flush their table counters at most once a second while busy and up to
 * PGSTAT_IDLE_INTERVAL (10 s) after going idle, so pg_stat_user_tables is read after this long.
 */
const STATS_SETTLE_MS = 11_000;

// ───────────────────────────── measuring helpers ─────────────────────────────

const now = () => performance.timeOrigin + performance.now();

async function rowsWrittenByTable(stats: pg.Client): Promise<Map<string, number>> {
  const { rows } = await stats.query<{ relname: string; written: string }>(
    'select relname, (n_tup_ins + n_tup_upd)::bigint as written from pg_stat_user_tables',
  );
  return new Map(rows.map((row) => [row.relname, Number(row.written)]));
}

async function postgresBackendPids(stats: pg.Client, name: string): Promise<number[]> {
  const { rows } = await stats.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  return rows.map((row) => row.pid);
}


/** CPU seconds of a changing set of processes between two readings (processes new since `before` count from 0). */
function cpuOf(pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
}
function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) if (Number.isFinite(seconds)) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** Samples a process's RSS every 200 ms until stopped; returns the peak. */
function rssPeak(pid: number): () => number {
  let peak = rssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 200);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssBytes(pid));
  };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

// ───────────────────────────── the phases ─────────────────────────────

/** Everything a phase works with: the processes, the run's database, the settings. */
export interface Parties {
  settings: Settings;
  /** A connection to the run's database as its owner: pg_stat counters, backend pids, stored messages. */
  stats: pg.Client;
  server: Child<ServerInfo>;
  provider: Child<{ url: string; pid: number }>;
  wsBaseline: Child<{ websocketUrl: string; pid: number }> | undefined;
  apollo: Child<{ graphqlUrl: string; pid: number }> | undefined;
  load: Child<{ pid: number }>;
  databaseName: string;
  databaseUrl: string;
  nats: number | undefined;
}

const ask = <R>(parties: Parties, command: LoadCommand, timeoutMs: number) => parties.load.request<R>(command, timeoutMs);

export async function httpPart(parties: Parties): Promise<void> {
  const { settings } = parties;
  const { server, apollo } = parties;
  const member = await signUpAccount(server.info.graphqlUrl, 'Bench HTTP');
  const queries = [
    { label: '{ __typename }', query: '{ __typename }', token: undefined, expect: (data: any) => data?.__typename === 'Query' },
    { label: '{ me { user { id } } } (bearer)', query: '{ me { user { id } } }', token: member.accessToken, expect: (data: any) => typeof data?.me?.user?.id === 'string' },
  ];
  const rows: string[][] = [];
  for (const { label, query, token, expect } of queries) {
    const targets: [string, string][] = [['Mascot', server.info.graphqlUrl]];
    if (apollo) targets.push(['bare Apollo 5', apollo.info.graphqlUrl]);
    const figures: HttpFigures[] = [];
    for (const [name, url] of targets) {
      const probe = await graphqlRequest(url, query, {}, token);
      if (!expect(probe.data)) throw new Error(`${name} answered ${label} with ${JSON.stringify(probe)}`);
      const pid = name === 'Mascot' ? server.pid : apollo!.pid;
      await ask(parties, { kind: 'http', url, query, ...(token ? { token } : {}), connections: settings.httpConnections, durationS: 2 }, 60_000); // warm-up
      const startedAt = now();
      const cpuStart = cpuSeconds(pid);
      const machineStart = machineJiffies();
      const result = await ask<HttpFigures>(parties, { kind: 'http', url, query, ...(token ? { token } : {}), connections: settings.httpConnections, durationS: settings.httpDurationS }, settings.httpDurationS * 1000 + 60_000);
      const cpu = cpuSeconds(pid) - cpuStart;
      const machineEnd = machineJiffies();
      figures.push(result);
      rows.push([
        `${label} → ${name}`,
        result.requestsPerSecond.toFixed(0),
        ms(result.p50),
        ms(result.p99),
        `${result.non2xx + result.errors}`,
        ((cpu / ((now() - startedAt) / 1000)) * 100).toFixed(0),
        result.total ? ((cpu * 1000) / result.total).toFixed(3) : '–',
        `${(((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) * 100).toFixed(0)}%`,
      ]);
    }
    if (figures.length === 2) {
      const [mascot, bare] = figures as [HttpFigures, HttpFigures];
      rows.push([`${label}: Mascot / bare`, times(mascot.requestsPerSecond, bare.requestsPerSecond), times(mascot.p50, bare.p50), times(mascot.p99, bare.p99), '', '', '', '']);
    }
  }
  console.log(`\nHTTP, ${settings.httpConnections} connections, ${settings.httpDurationS} s each after a 2 s warm-up (autocannon in the load generator process)`);
  console.log(table(['', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx/errors', 'server CPU %', 'CPU ms/req', 'machine busy'], rows));
}

export async function ttftPart(parties: Parties): Promise<void> {
  const { settings } = parties;
  const { server, provider } = parties;
  const rows: string[][] = [];
  const notes: string[] = [];
  const bots: [string, () => Promise<string>][] = [
    ['no knowledge', async () => (await benchBot(server.info.graphqlUrl, parties.databaseUrl, [])).embedId],
  ];
  if (settings.chunks > 0) {
    bots.push([`${settings.chunks.toLocaleString('en-US')} chunks`, async () => {
      const { documents, chunkCount } = knowledgeDocuments(settings.chunks);
      const startedAt = now();
      const bot = await benchBot(server.info.graphqlUrl, parties.databaseUrl, documents);
      notes.push(`${chunkCount.toLocaleString('en-US')} chunks ingested in ${((now() - startedAt) / 1000).toFixed(1)} s through addKnowledgeText (${documents.length} Markdown document${documents.length === 1 ? '' : 's'} of ≤190,000 characters, one ## section per chunk; offline embeddings)`);
      return bot.embedId;
    }]);
  }
  for (const [label, makeBot] of bots) {
    const embedId = await makeBot();
    const samples = await ask<TtftSamples>(parties, {
      kind: 'ttft', graphqlUrl: server.info.graphqlUrl, websocketUrl: server.info.websocketUrl, embedId,
      providerUrl: provider.info.url, samples: settings.ttftSamples, warmup: 3, timeoutMs: 30_000,
    }, (settings.ttftSamples + 3) * 40_000);
    const direct = summarize(samples.direct);
    const platform = summarize(samples.platform);
    const added = summarize(samples.platform.map((p, i) => p - samples.direct[i]!));
    const line = (name: string, s: ReturnType<typeof summarize>) => [name, String(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)];
    rows.push(line(`${label}: SDK → provider directly`, direct), line(`${label}: sendMessage → first ReplyDelta`, platform), line(`${label}: added by Mascot`, added));
    if (samples.failures.length) notes.push(`${label}: ${samples.failures.length} failed samples, e.g. ${samples.failures[0]}`);
  }
  console.log(`\nAdded time to first token: sequential pairs (a direct openai-SDK call to the fake provider, then one visitor message in a new conversation), 3 warm-ups`);
  console.log(table(['ms', 'count', 'p50', 'p95', 'p99', 'max'], rows));
  for (const note of notes) console.log(`  ${note}`);
}

export interface NPhaseResult {
  n: number;
  mascot?: StreamFigures;
  baseline?: StreamFigures;
}

async function baselinePhase(parties: Parties, n: number): Promise<{ phase: StreamPhase; figures: StreamFigures }> {
  const { settings } = parties;
  const baseline = parties.wsBaseline!;
  const idle = rssBytes(baseline.pid);
  const opened = await ask<OpenResult>(parties, { kind: 'open-baseline', websocketUrl: baseline.info.websocketUrl, count: n, concurrency: 64, timeoutMs: 30_000, deadlineMs: settings.phaseTimeoutMs }, settings.phaseTimeoutMs + 60_000);
  try {
    const connected = rssBytes(baseline.pid);
    const peak = rssPeak(baseline.pid);
    const otherPids: [string, number][] = [['load generator', parties.load.pid]];
    const cpuBefore = cpuSeconds(baseline.pid);
    const othersBefore = otherPids.map(([, pid]) => cpuSeconds(pid));
    const machineBefore = machineJiffies();
    const startedAt = now();
    const records = await ask<StreamRecord[]>(parties, { kind: 'baseline-go', rampMs: settings.rampMs, timeoutMs: settings.phaseTimeoutMs }, settings.phaseTimeoutMs + 30_000);
    const wallMs = wallTime(records, startedAt);
    const machineAfter = machineJiffies();
    const phase: StreamPhase = {
      visitors: n, opened: opened.opened, openFailures: opened.failures, records, wallMs,
      serverCpuSeconds: cpuSeconds(baseline.pid) - cpuBefore,
      rss: { idle, connected, peak: peak() },
      otherCpu: otherPids.map(([name, pid], i) => [name, cpuSeconds(pid) - othersBefore[i]!]),
      machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
    };
    return { phase, figures: streamFigures(phase, settings.tokenDelayMs) };
  } finally {
    await ask(parties, { kind: 'close-baseline' }, 60_000);
  }
}

/** From the first send to the last token (or the phase's end when answers never finished). */
function wallTime(records: StreamRecord[], startedAt: number): number {
  const last = Math.max(startedAt, ...records.flatMap((r) => r.events.map((e) => e.at)));
  return last - startedAt;
}

async function mascotPhase(parties: Parties, n: number, embedIds: string[]): Promise<{ phase: StreamPhase; figures: StreamFigures }> {
  const { settings } = parties;
  const { server } = parties;
  const idle = rssBytes(server.pid);
  const opened = await ask<OpenResult>(parties, {
    kind: 'open-visitors', graphqlUrl: server.info.graphqlUrl, websocketUrl: server.info.websocketUrl, embedIds,
    count: n, concurrency: 32, timeoutMs: 30_000, deadlineMs: settings.phaseTimeoutMs,
  }, settings.phaseTimeoutMs + 60_000);
  try {
    // Let the setup's writes reach pg_stat before counting, and the server settle.
    await sleep(STATS_SETTLE_MS);
    const connected = rssBytes(server.pid);
    const writesBefore = await rowsWrittenByTable(parties.stats);
    const pgBefore = cpuOf(await postgresBackendPids(parties.stats, parties.databaseName));
    const otherPids: [string, number][] = [['load generator', parties.load.pid], ['fake provider', parties.provider.pid]];
    if (parties.nats) otherPids.push(['NATS', parties.nats]);
    const othersBefore = otherPids.map(([, pid]) => cpuSeconds(pid));
    const cpuBefore = cpuSeconds(server.pid);
    const machineBefore = machineJiffies();
    const peak = rssPeak(server.pid);
    const startedAt = now();
    const records = await ask<StreamRecord[]>(parties, { kind: 'send', graphqlUrl: server.info.graphqlUrl, rampMs: settings.rampMs, timeoutMs: settings.phaseTimeoutMs }, settings.phaseTimeoutMs + 30_000);
    const wallMs = wallTime(records, startedAt);
    const serverCpuSeconds = cpuSeconds(server.pid) - cpuBefore;
    const machineAfter = machineJiffies();
    const postgresCpu = cpuDelta(pgBefore, cpuOf(await postgresBackendPids(parties.stats, parties.databaseName)));
    const otherCpu: [string, number][] = otherPids.map(([name, pid], i) => [name, cpuSeconds(pid) - othersBefore[i]!]);
    otherCpu.push(['Postgres backends', postgresCpu]);
    const rssMax = peak();
    const emissions = await parties.provider.request<Record<string, number[]>>({ kind: 'emissions' }, 60_000);
    const ids = records.flatMap((r) => (r.messageId ? [r.messageId] : []));
    const { rows } = await parties.stats.query<{ id: string; text: string }>('select id::text as id, text from message where id::text = any($1)', [ids]);
    await sleep(STATS_SETTLE_MS);
    const writesAfter = await rowsWrittenByTable(parties.stats);
    const writesByTable = [...writesAfter].map(([name, after]): [string, number] => [name, after - (writesBefore.get(name) ?? 0)]).filter(([, d]) => d > 0).sort((a, b) => b[1] - a[1]);
    const phase: StreamPhase = {
      visitors: n, opened: opened.opened, openFailures: opened.failures, records, emissions,
      storedTexts: new Map(rows.map((row) => [row.id, row.text])), wallMs, serverCpuSeconds,
      rss: { idle, connected, peak: rssMax },
      rowsWritten: writesByTable.reduce((sum, [, d]) => sum + d, 0), writesByTable, otherCpu,
      machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
    };
    return { phase, figures: streamFigures(phase, settings.tokenDelayMs) };
  } finally {
    await ask(parties, { kind: 'close-visitors' }, 120_000);
  }
}

export async function streamingPart(parties: Parties): Promise<NPhaseResult[]> {
  const { settings } = parties;
  const embedIds: string[] = [];
  for (let i = 0; i < settings.tenants; i++) embedIds.push((await benchBot(parties.server.info.graphqlUrl, parties.databaseUrl, PRICE_LIST)).embedId);
  const results: NPhaseResult[] = [];
  for (const n of settings.streams) {
    const ceiling = (n * settings.answerTokens) / ((settings.rampMs + settings.firstTokenDelayMs + (settings.answerTokens - 1) * settings.tokenDelayMs) / 1000);
    console.log(`\nStreaming, N = ${n.toLocaleString('en-US')} concurrent visitors (${settings.tenants} tenant${settings.tenants > 1 ? 's' : ''}), ${settings.answerTokens} tokens each at ${1000 / settings.tokenDelayMs} tokens/s, starts spread over ${settings.rampMs} ms (delivered-tokens/s ceiling ≈ ${Math.round(ceiling).toLocaleString('en-US')})`);
    const result: NPhaseResult = { n };
    results.push(result);
    let baseline: Awaited<ReturnType<typeof baselinePhase>> | undefined;
    try {
      if (parties.wsBaseline) baseline = await baselinePhase(parties, n);
      result.baseline = baseline?.figures;
      const mascot = await mascotPhase(parties, n, embedIds);
      result.mascot = mascot.figures;
      console.log(streamTable(mascot, baseline));
      const top = (mascot.phase.writesByTable ?? []).slice(0, 6).map(([name, rows]) => `${name} ${rows.toLocaleString('en-US')}`).join(', ');
      console.log(`  Postgres rows written during the phase: ${(mascot.phase.rowsWritten ?? 0).toLocaleString('en-US')} (${top || 'none'})`);
      const failures = [...mascot.figures.failures.map((f) => `Mascot ${f}`), ...(baseline?.figures.failures ?? []).map((f) => `baseline ${f}`)];
      for (const failure of failures.slice(0, 5)) console.log(`  ! ${failure}`);
      if (failures.length > 5) console.log(`  ! … and ${failures.length - 5} more`);
      if (mascot.figures.unfinished > 0) {
        // A server that could not finish N answers within the time limit will not finish more; it may even be stuck.
        console.log(`  ${mascot.figures.unfinished} answers unfinished after ${settings.phaseTimeoutMs / 1000} s: larger N skipped.`);
        break;
      }
    } catch (error) {
      console.log(`  phase N = ${n} failed: ${error instanceof Error ? error.message : String(error)}`);
      console.log('  (later phases are skipped: the processes may still be busy with this one)');
      break;
    }
  }
  return results;
}

export function summaryTable(results: NPhaseResult[]): string {
  return table(['N', 'tokens/s Mascot', 'baseline', 'ratio', 'lateness p99 ms', 'baseline p99', 'lost/dup', 'KB/visitor', 'rows/token'], results.map(({ n, mascot, baseline }) => [
    n.toLocaleString('en-US'),
    mascot ? Math.round(mascot.tokensPerSecond).toLocaleString('en-US') : '–',
    baseline ? Math.round(baseline.tokensPerSecond).toLocaleString('en-US') : '–',
    mascot && baseline ? `${(mascot.tokensPerSecond / baseline.tokensPerSecond).toFixed(2)}×` : '–',
    mascot ? ms(mascot.lateness.p99) : '–',
    baseline ? ms(baseline.lateness.p99) : '–',
    mascot ? `${mascot.lostTokens}/${mascot.duplicatedTokens}` : '–',
    mascot && mascot.kbPerVisitor >= 0 ? Math.round(mascot.kbPerVisitor).toString() : '–',
    mascot && Number.isFinite(mascot.rowsPerToken) ? mascot.rowsPerToken.toFixed(2) : '–',
  ]));
}
