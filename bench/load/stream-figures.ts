import { ms, summarize, table, type Summary } from '../stats.ts';
import { checkIntegrity, tokenArrivals, tokenLateness, type StreamRecord } from './stream-metrics.ts';

/** What the parent measured around one streaming phase of one system (Mascot or the baseline). */
export interface StreamPhase {
  visitors: number;
  opened: number;
  openFailures: string[];
  records: StreamRecord[];
  /** Mascot: tag → when the fake provider wrote each token. The baseline stamps its own tokens. */
  emissions?: Record<string, number[]>;
  /** Mascot: message id → the text stored in the database. */
  storedTexts?: Map<string, string>;
  /** From the first message (or subscribe) sent to the last answer finished or the phase's time limit. */
  wallMs: number;
  serverCpuSeconds: number;
  rss: { idle: number; connected: number; peak: number };
  /** Mascot: n_tup_ins + n_tup_upd over the run's database, during the phase (settled). */
  rowsWritten?: number;
  writesByTable?: [string, number][];
  /** CPU seconds of the other processes during the phase (load generator, provider, Postgres, NATS). */
  otherCpu: [string, number][];
  machineBusy: number;
}

export interface StreamFigures {
  completed: number;
  failed: number;
  unfinished: number;
  tokens: number;
  tokensPerSecond: number;
  firstToken: Summary;
  lateness: Summary;
  lostTokens: number;
  duplicatedTokens: number;
  seqGaps: number;
  seqRepeats: number;
  /** Replies whose ReplyCompleted text differs from the database's. */
  storedMismatches: number;
  cpuPercent: number;
  /** Server CPU time per completed answer: what caps answers per second once the server's thread is busy. */
  cpuMsPerAnswer: number;
  kbPerVisitor: number;
  rowsPerToken: number;
  /** How late the producer itself wrote tokens against its own pace (a starved fake shows here). */
  producerDrift: Summary;
  failures: string[];
}

export function streamFigures(phase: StreamPhase, tokenDelayMs: number): StreamFigures {
  const firstToken: number[] = [];
  const lateness: number[] = [];
  const drift: number[] = [];
  const failures = [...phase.openFailures];
  let tokens = 0;
  let lostTokens = 0;
  let duplicatedTokens = 0;
  let seqGaps = 0;
  let seqRepeats = 0;
  let storedMismatches = 0;
  for (const record of phase.records) {
    const arrivals = tokenArrivals(record.events);
    tokens += arrivals.length;
    if (arrivals.length) firstToken.push(arrivals[0]! - record.startedAt);
    const emitted = phase.emissions
      ? phase.emissions[record.tag] ?? []
      : record.events.flatMap((event) => (event.emittedAt === undefined ? [] : [event.emittedAt]));
    lateness.push(...tokenLateness(arrivals, emitted));
    emitted.forEach((at, k) => drift.push(at - (emitted[0]! + k * tokenDelayMs)));
    const stored = record.messageId && phase.storedTexts ? phase.storedTexts.get(record.messageId) : record.completedText;
    if (phase.storedTexts && record.completedText !== undefined && stored !== record.completedText) storedMismatches++;
    // Answers that never finished have nothing stored to compare with; they are counted apart.
    const integrity = checkIntegrity(record.events, record.outcome === 'completed' ? stored : undefined);
    lostTokens += integrity.lostTokens;
    duplicatedTokens += integrity.duplicatedTokens;
    seqGaps += integrity.seqGaps;
    seqRepeats += integrity.seqRepeats;
    if (record.outcome !== 'completed') failures.push(`${record.tag}: ${record.outcome}${record.error ? ` (${record.error})` : ''}`);
    if (integrity.seqGaps || integrity.seqRepeats) failures.push(`${record.tag}: events ${describeSeqs(record)}`);
  }
  const count = (outcome: StreamRecord['outcome']) => phase.records.filter((r) => r.outcome === outcome).length;
  const completed = count('completed');
  return {
    completed,
    failed: count('failed'),
    unfinished: count('unfinished'),
    tokens,
    tokensPerSecond: tokens / (phase.wallMs / 1000),
    firstToken: summarize(firstToken),
    lateness: summarize(lateness),
    lostTokens,
    duplicatedTokens,
    seqGaps,
    seqRepeats,
    storedMismatches,
    cpuPercent: (phase.serverCpuSeconds / (phase.wallMs / 1000)) * 100,
    cpuMsPerAnswer: completed > 0 ? (phase.serverCpuSeconds * 1000) / completed : Number.NaN,
    kbPerVisitor: phase.opened ? (phase.rss.connected - phase.rss.idle) / phase.opened / 1024 : Number.NaN,
    rowsPerToken: phase.rowsWritten === undefined ? Number.NaN : phase.rowsWritten / Math.max(1, tokens),
    producerDrift: summarize(drift),
    failures,
  };
}

/** The record's events as `seq type` in arrival order, shortened around the first irregularity. */
function describeSeqs(record: StreamRecord): string {
  const events = record.events;
  const at = events.findIndex((e, i) => i > 0 && e.seq !== events[i - 1]!.seq + 1);
  const short = (name: string) => name.replace(/^Reply/, '');
  return events
    .slice(Math.max(0, at - 2), at + 3)
    .map((e) => `${e.seq} ${short(e.typename)}`)
    .join(', ');
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const int = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
/** A collection between the two readings can make RSS fall while visitors connect: no figure then. */
const perVisitor = (kb: number) => (kb < 0 ? '– (RSS fell: GC)' : int(kb));
const percentiles = (s: Summary) => (s.count ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}` : '–');
export const times = (value: number, base: number) => (Number.isFinite(value) && Number.isFinite(base) && value >= 0 && base > 0 ? `${(value / base).toFixed(2)}×` : '–');

/** One table per N: each figure for Mascot, for the baseline, and their ratio where one makes sense. */
export function streamTable(mascot: { phase: StreamPhase; figures: StreamFigures }, baseline: { phase: StreamPhase; figures: StreamFigures } | undefined): string {
  const m = mascot.figures;
  const b = baseline?.figures;
  const bp = baseline?.phase;
  const row = (label: string, mascotValue: string, baselineValue: string, ratio = '') => [label, mascotValue, baseline ? baselineValue : '(skipped)', ratio];
  const other = (phase: StreamPhase | undefined) => phase?.otherCpu.map(([name, seconds]) => `${name} ${((seconds / (phase.wallMs / 1000)) * 100).toFixed(0)}%`).join(', ') ?? '–';
  return table(['', 'Mascot', 'graphql-ws baseline', 'Mascot / baseline'], [
    row('answers completed / failed / unfinished', `${m.completed} / ${m.failed} / ${m.unfinished}`, b ? `${b.completed} / ${b.failed} / ${b.unfinished}` : ''),
    row('delivered tokens/s', int(m.tokensPerSecond), int(b?.tokensPerSecond ?? Number.NaN), times(m.tokensPerSecond, b?.tokensPerSecond ?? Number.NaN)),
    row('first token p50 / p95 / p99 (ms)', percentiles(m.firstToken), b ? percentiles(b.firstToken) : ''),
    row('per-token lateness p50 / p95 / p99 (ms)', percentiles(m.lateness), b ? percentiles(b.lateness) : '', times(m.lateness.p99, b?.lateness.p99 ?? Number.NaN)),
    row('lost / duplicated tokens', `${m.lostTokens} / ${m.duplicatedTokens}`, b ? `${b.lostTokens} / ${b.duplicatedTokens}` : ''),
    row('seq gaps / repeats; stored ≠ completed', `${m.seqGaps} / ${m.seqRepeats}; ${m.storedMismatches}`, b ? `${b.seqGaps} / ${b.seqRepeats}; –` : ''),
    row('server CPU (% of one core)', m.cpuPercent.toFixed(0), b ? b.cpuPercent.toFixed(0) : '', times(m.cpuPercent, b?.cpuPercent ?? Number.NaN)),
    row('server CPU per completed answer (ms)', ms(m.cpuMsPerAnswer), b ? ms(b.cpuMsPerAnswer) : '', times(m.cpuMsPerAnswer, b?.cpuMsPerAnswer ?? Number.NaN)),
    row('server RSS idle → connected → peak (MB)', `${mb(mascot.phase.rss.idle)} → ${mb(mascot.phase.rss.connected)} → ${mb(mascot.phase.rss.peak)}`, bp ? `${mb(bp.rss.idle)} → ${mb(bp.rss.connected)} → ${mb(bp.rss.peak)}` : ''),
    row('RSS per connected visitor (KB)', perVisitor(m.kbPerVisitor), perVisitor(b?.kbPerVisitor ?? Number.NaN), times(m.kbPerVisitor, b?.kbPerVisitor ?? Number.NaN)),
    row('Postgres rows written per delivered token', Number.isFinite(m.rowsPerToken) ? m.rowsPerToken.toFixed(2) : '–', '0 (no database)'),
    row('producer drift p50 / p99 (ms)', `${ms(m.producerDrift.p50)} / ${ms(m.producerDrift.p99)}`, b ? `${ms(b.producerDrift.p50)} / ${ms(b.producerDrift.p99)}` : ''),
    row('other CPU (% of one core)', other(mascot.phase), other(bp)),
    row('machine busy (all cores)', `${(mascot.phase.machineBusy * 100).toFixed(0)}%`, bp ? `${(bp.machineBusy * 100).toFixed(0)}%` : ''),
    row('phase wall time (s)', (mascot.phase.wallMs / 1000).toFixed(1), bp ? (bp.wallMs / 1000).toFixed(1) : ''),
  ], 'text');
}
