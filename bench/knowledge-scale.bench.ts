/**
 * Knowledge at scale: how the vector side of retrieval behaves with 10k–100k chunks on real
 * PostgreSQL + pgvector. For each size, in a fresh database: generate deterministic synthetic chunks,
 * embed them with the offline embedder (chunks/s), insert them with multi-row INSERTs (chunks/s),
 * build an HNSW index (vector_cosine_ops, m = 16, ef_construction = 64) and time it, then run the same
 * queries as an exact top-10 search (sequential scan, index scans off) and as HNSW searches with
 * hnsw.ef_search 40 and 100: latency p50/p95 and recall@10 against the exact answer. See bench/README.md.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/knowledge-scale.bench.ts
 *   … --sizes 10000,50000 --queries 200
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { OFFLINE_EMBEDDING_DIMENSIONS, embedTexts } from '@mascot/knowledge-core';
import { toVectorLiteral } from '../server/src/modules/knowledge/vector-literal.ts';
import { createTestDatabase } from '../server/src/test/test-database.ts';
import { ms, ratio, summarize, table, type Summary } from './stats.ts';

// ───────────────────────────── options ─────────────────────────────

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string' },
    queries: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (flags.help) {
  console.log(`Usage: DATABASE_URL=postgres://… npx tsx bench/knowledge-scale.bench.ts [options]
  --sizes N,N,…   corpus sizes in chunks, each in its own fresh database   (default 10000,100000)
  --queries N     timed queries per search mode                              (default 200)
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

const sizes = (flags.sizes ?? '10000,100000').split(',').map((s) => parseCount(s, '--sizes entry', 100, 5_000_000));
const queryCount = parseCount(flags.queries ?? '200', '--queries', 10, 100_000);
const TOP_K = 10;
const EF_SEARCHES = [40, 100] as const;
const WARMUP_QUERIES = 10;
const EMBED_BATCH = 1000;
const INSERT_ROWS = 250;

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.log(
    'knowledge-scale bench skipped: DATABASE_URL is not set. It needs a real PostgreSQL with pgvector, e.g.\n' +
      '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/knowledge-scale.bench.ts',
  );
  process.exit(0);
}

// ───────────────────────────── synthetic corpus ─────────────────────────────

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
/** Zipf-like: early items are much more frequent than late ones, as in real text. */
const pickZipf = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(items.length * rand() ** 3)]!;

interface Topic {
  nouns: string[];
  verbs: string[];
  adjectives: string[];
}

const BASE_TOPICS: Record<string, [string, string, string]> = {
  billing: [
    'invoice payment subscription plan refund charge card receipt discount coupon tax currency balance credit trial renewal upgrade downgrade seat quota price',
    'bill charge refund renew cancel upgrade downgrade prorate invoice pay',
    'annual monthly overdue paid unpaid prorated taxable recurring',
  ],
  shipping: [
    'parcel package courier delivery shipment warehouse carrier label tracking address customs pallet order return box depot route driver',
    'ship deliver track dispatch pack return route label collect',
    'express standard international domestic fragile delayed oversized',
  ],
  security: [
    'password token session login account certificate key firewall permission role audit breach encryption vulnerability credential policy device',
    'encrypt authenticate revoke rotate audit block verify sign grant',
    'secure encrypted expired compromised privileged suspicious multifactor',
  ],
  cooking: [
    'recipe oven flour butter sugar garlic onion sauce broth dough pan skillet pasta rice salad spice herb tomato cheese',
    'bake roast simmer chop whisk knead season boil fry stir',
    'crispy tender savory sweet spicy fresh homemade golden',
  ],
  gardening: [
    'soil seed compost mulch tomato rose shrub hedge lawn bulb root leaf fertilizer pot greenhouse weed pest trellis',
    'plant prune water sow harvest transplant fertilize mulch weed',
    'perennial annual shady sunny drought hardy organic fragrant',
  ],
  travel: [
    'flight hotel booking passport visa luggage airport terminal itinerary train ticket reservation museum beach tour guide',
    'book travel depart arrive cancel reschedule check board explore',
    'direct overnight refundable scenic crowded historic coastal',
  ],
  hardware: [
    'printer router laptop monitor battery cable charger keyboard firmware sensor display port adapter fan drive memory',
    'reboot connect charge update install pair calibrate reset replace',
    'wireless wired portable external faulty compatible refurbished',
  ],
  software: [
    'release feature bug deployment server database query cache api endpoint webhook integration dashboard report export import log',
    'deploy configure migrate debug export import integrate sync schedule',
    'stable beta deprecated scalable automated realtime legacy',
  ],
  health: [
    'appointment clinic doctor nurse prescription vaccine symptom therapy insurance patient dose allergy treatment referral',
    'prescribe schedule diagnose treat refer vaccinate monitor recover',
    'chronic acute mild severe routine preventive urgent',
  ],
  education: [
    'course lesson student teacher exam grade semester enrollment certificate module assignment lecture tutor library',
    'enroll study graduate grade submit teach review attend register',
    'online introductory advanced accredited remote mandatory optional',
  ],
  housing: [
    'lease tenant landlord deposit apartment rent mortgage heating plumbing repair inspection contract neighbor utility',
    'rent lease repair inspect renovate furnish insulate sublet',
    'furnished spacious drafty renovated affordable shared',
  ],
  finance: [
    'loan interest savings account transfer budget portfolio dividend pension fund statement fee deposit withdrawal',
    'save invest borrow transfer withdraw deposit budget allocate',
    'fixed variable compound diversified liquid taxable',
  ],
};

const SYLLABLES = 'ka lo mi ne ra su to vi ze an el or um ix ba de fo gu ly pe qui sa te vo wy'.split(' ');

/**
 * A vocabulary of a few thousand words across topics: real topic words, plus per-topic derived terms
 * (product and feature names built from syllables) so rarer words exist as in real documentation.
 */
function buildTopics(): Topic[] {
  const rand = prng(7);
  return Object.values(BASE_TOPICS).map(([nouns, verbs, adjectives]) => {
    const topicNouns = nouns.split(' ');
    for (let i = 0; i < 160; i++) {
      const name = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(rand, SYLLABLES)).join('');
      topicNouns.push(rand() < 0.5 ? name : `${name}${pick(rand, ['er', 'ion', 'ity', 'ment', 'ware', 'box'])}`);
    }
    return { nouns: topicNouns, verbs: verbs.split(' '), adjectives: adjectives.split(' ') };
  });
}

const TOPICS = buildTopics();
const COMMON_NOUNS = 'customer team user account settings page option time week day support request team member'.split(' ');
const CONNECTORS = ['when', 'because', 'after', 'before', 'unless', 'so that', 'while'];

function sentence(rand: Rand, topic: Topic): string {
  const noun = () => (rand() < 0.8 ? pickZipf(rand, topic.nouns) : pick(rand, COMMON_NOUNS));
  const verb = () => pickZipf(rand, topic.verbs);
  const adj = () => pickZipf(rand, topic.adjectives);
  const forms = [
    () => `The ${adj()} ${noun()} can ${verb()} the ${noun()} ${pick(rand, CONNECTORS)} the ${noun()} is ${adj()}`,
    () => `To ${verb()} a ${noun()}, open the ${noun()} and ${verb()} every ${adj()} ${noun()}`,
    () => `Each ${noun()} has a ${adj()} ${noun()} that we ${verb()} within ${2 + Math.floor(rand() * 28)} days`,
    () => `If your ${noun()} is ${adj()}, ${verb()} the ${noun()} first and then ${verb()} the ${noun()}`,
    () => `Our ${noun()} team will ${verb()} the ${adj()} ${noun()} for the ${noun()} on request`,
    () => `You should not ${verb()} a ${adj()} ${noun()} without a ${noun()}`,
  ];
  const text = pick(rand, forms)();
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** Chunk `i`: 60–120 words, mostly on one topic with an occasional sentence from another. */
function chunkAt(i: number): string {
  const rand = prng(1_000_003 * (i + 1));
  const topic = pick(rand, TOPICS);
  const target = 60 + Math.floor(rand() * 61);
  const parts: string[] = [];
  let words = 0;
  while (words < target) {
    const s = sentence(rand, rand() < 0.85 ? topic : pick(rand, TOPICS));
    parts.push(s);
    words += s.split(' ').length;
  }
  return parts.join(' ');
}

/** Query `i`: a visitor-style question, from a different seed space than the chunks. */
function queryAt(i: number): string {
  const rand = prng(0x5eed_0000 + 7919 * (i + 1));
  const topic = pick(rand, TOPICS);
  const noun = () => pickZipf(rand, topic.nouns);
  const forms = [
    () => `How do I ${pickZipf(rand, topic.verbs)} my ${pickZipf(rand, topic.adjectives)} ${noun()}?`,
    () => `What happens to the ${noun()} when the ${noun()} is ${pickZipf(rand, topic.adjectives)}?`,
    () => `Can you ${pickZipf(rand, topic.verbs)} the ${noun()} for my ${noun()} this week?`,
    () => `${sentence(rand, topic)} Is that right?`,
  ];
  return pick(rand, forms)();
}

// ───────────────────────────── measurement ─────────────────────────────

interface SizeResult {
  size: number;
  embedPerSecond: number;
  insertPerSecond: number;
  indexSeconds: number;
  tableMb: number;
  indexMb: number;
  exact: Summary;
  hnsw: { efSearch: number; latency: Summary; recall: number; minRecall: number }[];
}

interface Hit {
  id: number;
  distance: number;
}

const SEARCH_SQL = `select id, embedding <=> $1::vector as distance from bench_chunk order by embedding <=> $1::vector limit ${TOP_K}`;

async function timedSearches(client: pg.Client, vectors: readonly string[]): Promise<{ latencies: number[]; hits: Hit[][] }> {
  for (const v of vectors.slice(0, WARMUP_QUERIES)) await client.query(SEARCH_SQL, [v]);
  const latencies: number[] = [];
  const hits: Hit[][] = [];
  for (const v of vectors) {
    const start = performance.now();
    const result = await client.query<{ id: number; distance: number }>(SEARCH_SQL, [v]);
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

async function usesIndex(client: pg.Client, vector: string): Promise<boolean> {
  const plan = await client.query<{ 'QUERY PLAN': string }>(`explain ${SEARCH_SQL.replaceAll('$1', `'${vector}'`)}`);
  return plan.rows.some((row) => row['QUERY PLAN'].includes('bench_chunk_embedding_hnsw'));
}

function progress(message: string): void {
  console.log(`  ${new Date().toISOString().slice(11, 19)}  ${message}`);
}

async function benchSize(size: number): Promise<SizeResult> {
  const database = await createTestDatabase(databaseUrl);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('create extension if not exists vector');
    await client.query(`create table bench_chunk (id serial primary key, text text, embedding vector(${OFFLINE_EMBEDDING_DIMENSIONS}))`);

    // Ingestion: embed and insert in alternating batches, timed separately.
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
        const params: string[] = [];
        const tuples = rows.map((text, j) => {
          params.push(text, toVectorLiteral(vectors[from + j]!));
          return `($${params.length - 1}, $${params.length}::vector)`;
        });
        await client.query(`insert into bench_chunk (text, embedding) values ${tuples.join(',')}`, params);
      }
      insertMs += performance.now() - start;
      const done = offset + texts.length;
      if (done >= nextReport || done === size) {
        progress(`${done}/${size} chunks (embed ${(embedMs / 1000).toFixed(1)} s, insert ${(insertMs / 1000).toFixed(1)} s)`);
        nextReport += Math.max(10_000, Math.ceil(size / 10));
      }
    }
    await client.query('vacuum analyze bench_chunk');

    // Index build. The server's default maintenance_work_mem (often 64 MB) cannot hold a 100k × 512
    // graph, which makes the build spill and crawl; a deployment would raise it for the build too.
    await client.query(`set maintenance_work_mem = '1GB'`);
    progress('building HNSW index (m = 16, ef_construction = 64)…');
    const start = performance.now();
    await client.query('create index bench_chunk_embedding_hnsw on bench_chunk using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)');
    const indexSeconds = (performance.now() - start) / 1000;
    progress(`index built in ${indexSeconds.toFixed(1)} s`);
    const sizes = await client.query<{ table_mb: number; index_mb: number }>(
      `select pg_total_relation_size('bench_chunk') / 1048576.0 - pg_relation_size('bench_chunk_embedding_hnsw') / 1048576.0 as table_mb,
              pg_relation_size('bench_chunk_embedding_hnsw') / 1048576.0 as index_mb`,
    );

    const queryVectors = embedTexts(Array.from({ length: queryCount }, (_, i) => queryAt(i))).map((v) => toVectorLiteral(v));

    // Exact baseline: same query, index scans off → sequential (possibly parallel) scan + top-k sort.
    await client.query('set enable_indexscan = off');
    if (await usesIndex(client, queryVectors[0]!)) throw new Error('exact baseline still uses the HNSW index');
    progress(`exact search × ${queryCount}…`);
    const exact = await timedSearches(client, queryVectors);
    await client.query('reset enable_indexscan');

    const hnsw: SizeResult['hnsw'] = [];
    for (const efSearch of EF_SEARCHES) {
      await client.query(`set hnsw.ef_search = ${efSearch}`);
      if (!(await usesIndex(client, queryVectors[0]!))) {
        // Small tables: the planner may prefer the sequential scan; force the index to measure it.
        await client.query('set enable_seqscan = off');
        progress('planner preferred a sequential scan; enable_seqscan = off for the HNSW runs');
        if (!(await usesIndex(client, queryVectors[0]!))) throw new Error('HNSW search does not use the index');
      }
      progress(`HNSW search (ef_search ${efSearch}) × ${queryCount}…`);
      const run = await timedSearches(client, queryVectors);
      const recalls = run.hits.map((h, i) => recallAt(exact.hits[i]!, h));
      hnsw.push({
        efSearch,
        latency: summarize(run.latencies),
        recall: recalls.reduce((a, b) => a + b, 0) / recalls.length,
        minRecall: Math.min(...recalls),
      });
    }

    return {
      size,
      embedPerSecond: size / (embedMs / 1000),
      insertPerSecond: size / (insertMs / 1000),
      indexSeconds,
      tableMb: Number(sizes.rows[0]!.table_mb),
      indexMb: Number(sizes.rows[0]!.index_mb),
      exact: summarize(exact.latencies),
      hnsw,
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

const sample = chunkAt(0);
console.log(`knowledge-scale: sizes ${sizes.join(', ')}; ${queryCount} queries, top-${TOP_K}; ${await serverInfo()}`);
console.log(`sample chunk (${sample.split(' ').length} words): ${sample.slice(0, 160)}…`);
console.log(`sample query: ${queryAt(0)}\n`);

const results: SizeResult[] = [];
for (const size of sizes) {
  console.log(`── ${size} chunks`);
  const result = await benchSize(size);
  results.push(result);
  const fmt = (n: number, digits = 0) => n.toFixed(digits);
  console.log(`\n${size} chunks: embed ${fmt(result.embedPerSecond)} chunks/s, insert ${fmt(result.insertPerSecond)} chunks/s, ` +
    `HNSW build ${fmt(result.indexSeconds, 1)} s; table ${fmt(result.tableMb)} MB, index ${fmt(result.indexMb)} MB`);
  console.log(
    table(
      ['top-10 search', 'p50 ms', 'p95 ms', 'recall@10', 'min recall', 'speed-up p50', 'speed-up p95'],
      [
        ['exact (seq scan)', ms(result.exact.p50), ms(result.exact.p95), '1.000', '1.000', '1.0×', '1.0×'],
        ...result.hnsw.map((h) => [
          `HNSW ef_search ${h.efSearch}`,
          ms(h.latency.p50),
          ms(h.latency.p95),
          h.recall.toFixed(3),
          h.minRecall.toFixed(1),
          ratio(result.exact.p50, h.latency.p50),
          ratio(result.exact.p95, h.latency.p95),
        ]),
      ],
    ),
  );
  console.log('');
}

console.log('Summary');
console.log(
  table(
    [
      'chunks', 'embed/s', 'insert/s', 'index s', 'exact p50', 'exact p95',
      ...EF_SEARCHES.flatMap((ef) => [`ef${ef} p50`, `ef${ef} p95`, `ef${ef} recall`, `ef${ef} speed-up`]),
    ],
    results.map((r) => [
      String(r.size),
      r.embedPerSecond.toFixed(0),
      r.insertPerSecond.toFixed(0),
      r.indexSeconds.toFixed(1),
      ms(r.exact.p50),
      ms(r.exact.p95),
      ...r.hnsw.flatMap((h) => [ms(h.latency.p50), ms(h.latency.p95), h.recall.toFixed(3), ratio(r.exact.p50, h.latency.p50)]),
    ]),
  ),
);
const below = results.flatMap((r) => r.hnsw.filter((h) => h.recall < 0.95).map((h) => `${r.size}/ef${h.efSearch} ${h.recall.toFixed(3)}`));
console.log(below.length ? `\nrecall@10 below the 0.95 target: ${below.join(', ')}` : '\nrecall@10 ≥ 0.95 everywhere');
