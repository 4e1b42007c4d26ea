/**
 * Knowledge at scale: how the vector side of retrieval behaves with 10k–100k chunks on real
 * PostgreSQL + pgvector, and which HNSW settings reach the recall target. For each size, in a fresh
 * database: generate deterministic synthetic chunks, embed them with the offline embedder (chunks/s),
 * insert them with multi-row INSERTs (chunks/s) into a table shaped like knowledge_chunk (untyped
 * `vector` column, partial expression HNSW index per dimension, exactly as
 * Migration20261122090000EmbeddingModels builds it). Then the sweep, all in the same run:
 *   - exact top-10 search (index scans off → sequential scan): the baseline and the recall reference;
 *   - per HNSW build (m, ef_construction): build time and size, then top-10 searches at each
 *     hnsw.ef_search: latency p50/p95 and recall@10 against the exact answer;
 *   - filtered searches (one bot of ten, as retrieval filters by bot) on the production build at the
 *     production ef_search, with hnsw.iterative_scan off / relaxed_order / strict_order.
 * See bench/README.md.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres nice -n 10 npx tsx bench/knowledge-scale.bench.ts
 *   … --sizes 10000 --queries 200 --builds 16:64,32:128 --ef 40,100,200,400
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { OFFLINE_EMBEDDING_DIMENSIONS, embedTexts } from '@mascot/knowledge-core';
import { HNSW_EF_CONSTRUCTION, HNSW_M, embeddingIndexStatement } from '../server/src/migrations/Migration20261122090000EmbeddingModels.ts';
import { HNSW_EF_SEARCH, HNSW_MAX_SCAN_TUPLES, dimensionsPredicate, vectorExpression } from '../server/src/modules/knowledge/vector-index.ts';
import { toVectorLiteral } from '../server/src/modules/knowledge/vector-literal.ts';
import { createTestDatabase } from '../server/src/test/test-database.ts';
import { ms, ratio, summarize, table, type Summary } from './stats.ts';
import { chunkAt, queryAt } from './synthetic-corpus.ts';

// ───────────────────────────── options ─────────────────────────────

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string' },
    queries: { type: 'string' },
    builds: { type: 'string' },
    ef: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

const PRODUCTION_BUILD = `${HNSW_M}:${HNSW_EF_CONSTRUCTION}`;

if (flags.help) {
  console.log(`Usage: DATABASE_URL=postgres://… nice -n 10 npx tsx bench/knowledge-scale.bench.ts [options]
  --sizes N,N,…      corpus sizes in chunks, each in its own fresh database       (default 10000,100000)
  --queries N        timed queries per search setting                            (default 200)
  --builds M:EF,…    HNSW builds to compare, m:ef_construction; the production
                     build (${PRODUCTION_BUILD}) is always measured, last              (default 16:64)
  --ef N,N,…         hnsw.ef_search values per build                             (default 40,100,${HNSW_EF_SEARCH},400)
Needs a real PostgreSQL with pgvector (DATABASE_URL); embedded PGlite is too slow at this scale.`);
  process.exit(0);
}

function parseCount(raw: string, what: string, min: number, max: number): number {
  const value = Number(raw.trim().replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`Invalid ${what} ${JSON.stringify(raw)}: expected an integer in ${min}..${max}.`);
    process.exit(2);
  }
  return value;
}

interface Build {
  m: number;
  efConstruction: number;
}

function parseBuild(raw: string): Build {
  const [m = '', efConstruction = ''] = raw.split(':');
  return { m: parseCount(m, '--builds m', 2, 100), efConstruction: parseCount(efConstruction, '--builds ef_construction', 4, 1000) };
}

const sizes = (flags.sizes ?? '10000,100000').split(',').map((s) => parseCount(s, '--sizes entry', 100, 5_000_000));
const queryCount = parseCount(flags.queries ?? '200', '--queries', 10, 100_000);
const builds = [...new Set([...(flags.builds ?? '16:64').split(','), PRODUCTION_BUILD].map((b) => b.trim()))]
  .filter((b) => b !== PRODUCTION_BUILD)
  .concat(PRODUCTION_BUILD)
  .map(parseBuild);
const efSearches = [...new Set((flags.ef ?? `40,100,${HNSW_EF_SEARCH},400`).split(',').map((s) => parseCount(s, '--ef entry', 1, 1000)))];
const TOP_K = 10;
/** Filtered searches look at one "bot" of this many, like retrieval scoped to a bot. */
const BOTS = 10;
const ITERATIVE_SCANS = ['off', 'relaxed_order', 'strict_order'] as const;
const WARMUP_QUERIES = 10;
const EMBED_BATCH = 1000;
const INSERT_ROWS = 250;
const DIMENSIONS = OFFLINE_EMBEDDING_DIMENSIONS;

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.log(
    'knowledge-scale bench skipped: DATABASE_URL is not set. It needs a real PostgreSQL with pgvector, e.g.\n' +
      '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/knowledge-scale.bench.ts',
  );
  process.exit(0);
}

// ───────────────────────────── measurement ─────────────────────────────

interface Hit {
  id: number;
  distance: number;
}

interface Setting {
  label: string;
  latency: Summary;
  recall: number;
  minRecall: number;
  /** Mean rows returned: below TOP_K when a filtered scan runs dry (iterative scan off). */
  rows: number;
}

interface BuildResult {
  build: Build;
  seconds: number;
  indexMb: number;
  settings: Setting[];
}

interface SizeResult {
  size: number;
  embedPerSecond: number;
  insertPerSecond: number;
  tableMb: number;
  exact: Summary;
  exactFiltered: Summary;
  builds: BuildResult[];
  filtered: Setting[];
}

const DISTANCE = `${vectorExpression(DIMENSIONS)} <=> $1::vector(${DIMENSIONS})`;
/** The shape retrieval uses: the dimension filter and the cast select the partial expression index. */
const SEARCH_SQL = `select id, ${DISTANCE} as distance from bench_chunk
  where ${dimensionsPredicate(DIMENSIONS)} order by ${DISTANCE} limit ${TOP_K}`;
const FILTERED_SQL = `select id, ${DISTANCE} as distance from bench_chunk
  where ${dimensionsPredicate(DIMENSIONS)} and bot = $2 order by ${DISTANCE} limit ${TOP_K}`;
const INDEX_NAME = `bench_chunk_embedding_${DIMENSIONS}_idx`;

const botOf = (i: number) => i % BOTS;

async function timedSearches(client: pg.Client, sql: string, vectors: readonly string[], filtered: boolean) {
  const params = (i: number) => (filtered ? [vectors[i]!, botOf(i)] : [vectors[i]!]);
  for (let i = 0; i < Math.min(WARMUP_QUERIES, vectors.length); i++) await client.query(sql, params(i));
  const latencies: number[] = [];
  const hits: Hit[][] = [];
  for (let i = 0; i < vectors.length; i++) {
    const start = performance.now();
    const result = await client.query<{ id: number; distance: number }>(sql, params(i));
    latencies.push(performance.now() - start);
    hits.push(result.rows.map((row) => ({ id: row.id, distance: Number(row.distance) })));
  }
  return { latencies, hits };
}

/**
 * recall@k of an approximate answer against the exact one. A returned row whose distance ties the
 * exact k-th distance counts as a hit too, so equal-distance neighbours do not look like misses.
 */
function recallAt(exact: readonly Hit[], approximate: readonly Hit[]): number {
  if (exact.length === 0) return 1;
  const exactIds = new Set(exact.map((h) => h.id));
  const kth = exact[exact.length - 1]!.distance;
  const found = approximate.filter((h) => exactIds.has(h.id) || h.distance <= kth + 1e-9).length;
  return Math.min(found, exact.length) / exact.length;
}

function measure(label: string, run: { latencies: number[]; hits: Hit[][] }, exact: Hit[][]): Setting {
  const recalls = run.hits.map((h, i) => recallAt(exact[i]!, h));
  return {
    label,
    latency: summarize(run.latencies),
    recall: recalls.reduce((a, b) => a + b, 0) / recalls.length,
    minRecall: Math.min(...recalls),
    rows: run.hits.reduce((sum, h) => sum + h.length, 0) / run.hits.length,
  };
}

async function usesIndex(client: pg.Client, sql: string, vector: string): Promise<boolean> {
  const plan = await client.query<{ 'QUERY PLAN': string }>(`explain ${sql.replaceAll('$1', `'${vector}'`).replaceAll('$2', '0')}`);
  return plan.rows.some((row) => row['QUERY PLAN'].includes(INDEX_NAME));
}

/** Small tables: the planner may prefer the sequential scan; force the index to measure it. */
async function requireIndex(client: pg.Client, sql: string, vector: string): Promise<void> {
  if (await usesIndex(client, sql, vector)) return;
  await client.query('set enable_seqscan = off');
  if (!(await usesIndex(client, sql, vector))) throw new Error('HNSW search does not use the index');
}

function progress(message: string): void {
  console.log(`  ${new Date().toISOString().slice(11, 19)}  ${message}`);
}

async function ingest(client: pg.Client, size: number): Promise<{ embedPerSecond: number; insertPerSecond: number }> {
  // Embed and insert in alternating batches, timed separately.
  let embedMs = 0;
  let insertMs = 0;
  let nextReport = Math.max(10_000, Math.ceil(size / 10));
  for (let offset = 0; offset < size; offset += EMBED_BATCH) {
    const texts = Array.from({ length: Math.min(EMBED_BATCH, size - offset) }, (_, j) => chunkAt(offset + j));
    let start = performance.now();
    const vectors = embedTexts(texts);
    embedMs += performance.now() - start;

    start = performance.now();
    for (let from = 0; from < texts.length; from += INSERT_ROWS) {
      const rows = texts.slice(from, from + INSERT_ROWS);
      const params: (string | number)[] = [];
      const tuples = rows.map((text, j) => {
        params.push(botOf(offset + from + j), text, toVectorLiteral(vectors[from + j]!));
        return `($${params.length - 2}, $${params.length - 1}, $${params.length}::vector)`;
      });
      await client.query(`insert into bench_chunk (bot, text, embedding) values ${tuples.join(',')}`, params);
    }
    insertMs += performance.now() - start;
    const done = offset + texts.length;
    if (done >= nextReport || done === size) {
      progress(`${done}/${size} chunks (embed ${(embedMs / 1000).toFixed(1)} s, insert ${(insertMs / 1000).toFixed(1)} s)`);
      nextReport += Math.max(10_000, Math.ceil(size / 10));
    }
  }
  return { embedPerSecond: size / (embedMs / 1000), insertPerSecond: size / (insertMs / 1000) };
}

async function benchBuild(client: pg.Client, build: Build, vectors: string[], exact: Hit[][]): Promise<BuildResult> {
  await client.query(`drop index if exists ${INDEX_NAME}`);
  progress(`building HNSW index (m = ${build.m}, ef_construction = ${build.efConstruction})…`);
  const start = performance.now();
  await client.query(embeddingIndexStatement('bench_chunk', DIMENSIONS, build));
  const seconds = (performance.now() - start) / 1000;
  progress(`index built in ${seconds.toFixed(1)} s`);
  const size = await client.query<{ mb: number }>(`select pg_relation_size('${INDEX_NAME}') / 1048576.0 as mb`);
  const settings: Setting[] = [];
  for (const efSearch of efSearches) {
    await client.query(`set hnsw.ef_search = ${efSearch}`);
    await requireIndex(client, SEARCH_SQL, vectors[0]!);
    const run = await timedSearches(client, SEARCH_SQL, vectors, false);
    settings.push(measure(`ef_search ${efSearch}`, run, exact));
    await client.query('reset enable_seqscan');
  }
  return { build, seconds, indexMb: Number(size.rows[0]!.mb), settings };
}

async function benchSize(size: number): Promise<SizeResult> {
  const database = await createTestDatabase(databaseUrl);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('create extension if not exists vector');
    await client.query(`create table bench_chunk (id serial primary key, bot integer not null, text text,
      embedding vector not null)`);
    const ingestion = await ingest(client, size);
    await client.query('vacuum analyze bench_chunk');
    // The server's default maintenance_work_mem (often 64 MB) cannot hold a 100k × 512 graph, which
    // makes the build spill and crawl; a deployment would raise it for the build too.
    await client.query(`set maintenance_work_mem = '1GB'`);
    const table = await client.query<{ mb: number }>(`select pg_total_relation_size('bench_chunk') / 1048576.0 as mb`);

    const vectors = embedTexts(Array.from({ length: queryCount }, (_, i) => queryAt(i))).map((v) => toVectorLiteral(v));
    // Exact baselines: no index exists yet, so these are sequential scans + top-k sorts.
    progress(`exact search × ${queryCount} (all chunks, then one bot of ${BOTS})…`);
    const exact = await timedSearches(client, SEARCH_SQL, vectors, false);
    const exactFiltered = await timedSearches(client, FILTERED_SQL, vectors, true);

    const results: BuildResult[] = [];
    for (const build of builds) results.push(await benchBuild(client, build, vectors, exact.hits));

    // The last build is the production one: filtered searches with each iterative-scan mode.
    const filtered: Setting[] = [];
    await client.query(`set hnsw.ef_search = ${HNSW_EF_SEARCH}`);
    await client.query(`set hnsw.max_scan_tuples = ${HNSW_MAX_SCAN_TUPLES}`);
    for (const mode of ITERATIVE_SCANS) {
      await client.query(`set hnsw.iterative_scan = ${mode}`);
      await requireIndex(client, FILTERED_SQL, vectors[0]!);
      const run = await timedSearches(client, FILTERED_SQL, vectors, true);
      filtered.push(measure(`bot filter, iterative_scan ${mode}`, run, exactFiltered.hits));
      await client.query('reset enable_seqscan');
    }
    return {
      size,
      ...ingestion,
      tableMb: Number(table.rows[0]!.mb),
      exact: summarize(exact.latencies),
      exactFiltered: summarize(exactFiltered.latencies),
      builds: results,
      filtered,
    };
  } finally {
    await client.end();
    await database.drop();
  }
}

// ───────────────────────────── main ─────────────────────────────

async function serverInfo(): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const version = await client.query<{ server_version: string }>('show server_version');
    const vector = await client.query<{ default_version: string | null }>(`select default_version from pg_available_extensions where name = 'vector'`);
    return `PostgreSQL ${version.rows[0]!.server_version}, pgvector ${vector.rows[0]?.default_version ?? 'not available'}`;
  } finally {
    await client.end();
  }
}

function settingRow(label: string, setting: Setting, baseline: Summary): string[] {
  return [
    label,
    ms(setting.latency.p50),
    ms(setting.latency.p95),
    setting.recall.toFixed(3),
    setting.minRecall.toFixed(1),
    setting.rows.toFixed(1),
    ratio(baseline.p50, setting.latency.p50),
    ratio(baseline.p95, setting.latency.p95),
  ];
}

const HEADER = ['top-10 search', 'p50 ms', 'p95 ms', 'recall@10', 'min recall', 'rows', 'speed-up p50', 'speed-up p95'];
const exactRow = (label: string, s: Summary) => [label, ms(s.p50), ms(s.p95), '1.000', '1.0', String(TOP_K), '1.0×', '1.0×'];

const sample = chunkAt(0);
console.log(`knowledge-scale: sizes ${sizes.join(', ')}; ${queryCount} queries, top-${TOP_K}; ${await serverInfo()}`);
console.log(`production settings: m = ${HNSW_M}, ef_construction = ${HNSW_EF_CONSTRUCTION}, ef_search = ${HNSW_EF_SEARCH}, ` +
  `iterative_scan = relaxed_order, max_scan_tuples = ${HNSW_MAX_SCAN_TUPLES}`);
console.log(`sample chunk (${sample.split(' ').length} words): ${sample.slice(0, 160)}…`);
console.log(`sample query: ${queryAt(0)}\n`);

const results: SizeResult[] = [];
for (const size of sizes) {
  console.log(`── ${size} chunks`);
  const result = await benchSize(size);
  results.push(result);
  console.log(`\n${size} chunks: embed ${result.embedPerSecond.toFixed(0)} chunks/s, insert ${result.insertPerSecond.toFixed(0)} chunks/s, ` +
    `table ${result.tableMb.toFixed(0)} MB`);
  console.log(
    table(HEADER, [
      exactRow('exact (seq scan)', result.exact),
      ...result.builds.flatMap((b) =>
        b.settings.map((s) => settingRow(`m ${b.build.m}, ef_c ${b.build.efConstruction} (${b.seconds.toFixed(1)} s, ${b.indexMb.toFixed(0)} MB): ${s.label}`, s, result.exact)),
      ),
      exactRow(`exact, one bot of ${BOTS}`, result.exactFiltered),
      ...result.filtered.map((s) => settingRow(s.label, s, result.exactFiltered)),
    ]),
  );
  console.log('');
}

const production = (r: SizeResult) => r.builds.at(-1)!.settings.find((s) => s.label === `ef_search ${HNSW_EF_SEARCH}`);
console.log('Summary (production settings)');
console.log(
  table(
    ['chunks', 'embed/s', 'insert/s', 'index s', 'exact p50', 'exact p95', 'HNSW p50', 'HNSW p95', 'recall@10', 'filtered recall@10', 'speed-up p50'],
    results.map((r) => {
      const hnsw = production(r);
      const filtered = r.filtered.find((s) => s.label.endsWith('relaxed_order'));
      return [
        String(r.size),
        r.embedPerSecond.toFixed(0),
        r.insertPerSecond.toFixed(0),
        r.builds.at(-1)!.seconds.toFixed(1),
        ms(r.exact.p50),
        ms(r.exact.p95),
        hnsw ? ms(hnsw.latency.p50) : '–',
        hnsw ? ms(hnsw.latency.p95) : '–',
        hnsw ? hnsw.recall.toFixed(3) : '–',
        filtered ? filtered.recall.toFixed(3) : '–',
        hnsw ? ratio(r.exact.p50, hnsw.latency.p50) : '–',
      ];
    }),
  ),
);
const below = results.flatMap((r) => {
  const hnsw = production(r);
  return hnsw && hnsw.recall < 0.95 ? [`${r.size}: ${hnsw.recall.toFixed(3)}`] : [];
});
console.log(below.length ? `\nproduction recall@10 below the 0.95 target: ${below.join(', ')}` : '\nproduction recall@10 ≥ 0.95 everywhere');
