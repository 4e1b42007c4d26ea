import { chunkText, embedTexts } from '@mascot/knowledge-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant, type EntityManager } from '../../core/db/index.ts';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { ADD_KNOWLEDGE_TEXT } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { retrievePassages, type RetrievalMode } from './retrieval.service.ts';
import { EXACT_SEARCH_MAX_CHUNKS } from './vector-index.ts';
import { toVectorLiteral } from './vector-literal.ts';

/**
 * How retrieval reaches the vectors: by the scope's size, not by the planner's estimate of the bot's
 * rows. This database is never analysed during the test, so the planner believes every bot is tiny,
 * the situation of any bot newer than the table's statistics (vector-index.ts).
 */
const INDEX = 'knowledge_chunk_embedding_512_idx';
const WORDS = ['harbour', 'lantern', 'copper', 'meadow', 'violet', 'engine', 'saddle', 'orchard', 'glacier', 'pepper', 'falcon', 'quarry',
  'velvet', 'timber', 'canyon', 'marble', 'ribbon', 'thistle', 'compass', 'walnut', 'beacon', 'cobalt', 'juniper', 'pylon'];
const DOCUMENT_CHARS = 190_000;

/** The one passage that mentions the zeppelin quasar (the 778th). */
const UNIQUE_SECTION = 777;

/** Markdown sections of 24 deterministic words each: one section is one passage. */
function sections(count: number): string[] {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  return Array.from({ length: count }, (_, i) =>
    `## Note ${i + 1}\n${Array.from({ length: 24 }, () => WORDS[next() % WORDS.length]).join(' ')}${i === UNIQUE_SECTION ? ' zeppelin quasar' : ''}.`);
}

let server: TestServer;
let small: TenantFixture;
let large: TenantFixture;

beforeAll(async () => {
  server = await startTestServer();
  small = await publishedBot(server.graphqlUrl);
  large = await publishedBot(server.graphqlUrl);
  let document: string[] = [];
  let part = 0;
  const add = async () => {
    const input = { title: `Notes, part ${++part}`, text: document.join('\n\n') };
    await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: large.botId, input }, large.accessToken);
    document = [];
  };
  for (const section of sections(EXACT_SEARCH_MAX_CHUNKS + 100)) {
    if (document.join('\n\n').length + section.length > DOCUMENT_CHARS) await add();
    document.push(section);
  }
  await add();
}, 180_000);
afterAll(() => server?.stop());

const documentIdsOf = async (bot: TenantFixture) =>
  (await ownerQuery<{ id: string }>(server.databaseUrl, 'select id from knowledge_document where bot_id = $1', [bot.botId])).map((row) => row.id);

/**
 * Retrieval in a tenant transaction as the reply path makes it, then, in the same transaction, how
 * often it scanned the HNSW index (this backend's counters of the open transaction) and the sort setting.
 */
async function retrieveAndInspect(bot: TenantFixture, query: string, mode: RetrievalMode) {
  const scope = { tenantId: bot.tenantId, botId: bot.botId, documentIds: await documentIdsOf(bot), language: 'en' };
  // PostgreSQL 15 counts scans per backend until it reports them, across transactions: the difference is this one's.
  const indexScans = async (tx: EntityManager) =>
    Number((await tx.execute<{ n: string | number }[]>('select pg_stat_get_xact_numscans(?::regclass) as n', [INDEX]))[0]!.n);
  return inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => {
    const before = await indexScans(tx);
    const passages = await retrievePassages(tx, scope, query, { mode, limit: 10 });
    const after = await indexScans(tx);
    const [sort] = await tx.execute<{ enable_sort: string }[]>(`select current_setting('enable_sort') as enable_sort`);
    return { ids: passages.map((p) => p.id), indexScans: after - before, enableSort: sort!.enable_sort };
  });
}

/** The exact 10 nearest passages, as the owner: ordered by the untyped column, which no index matches. */
const exactNearest = async (bot: TenantFixture, query: string) =>
  (await ownerQuery<{ id: string }>(server.databaseUrl,
    'select id from knowledge_chunk where bot_id = $1 order by embedding <=> $2::vector limit 10',
    [bot.botId, toVectorLiteral(embedTexts([query])[0]!)])).map((row) => row.id);

describe('retrieval plans by the size of the scope', () => {
  it('the test bot is above the exact-search limit, in passages as the chunker makes them', async () => {
    const [row] = await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from knowledge_chunk where bot_id = $1', [large.botId]);
    expect(row!.n).toBeGreaterThan(EXACT_SEARCH_MAX_CHUNKS);
    expect(chunkText(sections(3).join('\n\n'))).toHaveLength(3);
  });

  it('a large scope is searched through the HNSW index though the planner believes the bot is tiny, and finds the nearest passages', async () => {
    const query = 'copper lantern harbour meadow violet';
    const result = await retrieveAndInspect(large, query, 'vector');
    expect(result.indexScans).toBeGreaterThan(0);
    // Sorting is back on for the rest of the transaction.
    expect(result.enableSort).toBe('on');
    const exact = await exactNearest(large, query);
    expect(result.ids).toHaveLength(10);
    const found = result.ids.filter((id) => exact.includes(id)).length;
    expect(found).toBeGreaterThanOrEqual(9);
  });

  it('a small scope is ranked exactly, without the index', async () => {
    const query = 'How much does the Pro plan cost?';
    const result = await retrieveAndInspect(small, query, 'vector');
    const exact = await exactNearest(small, query);
    expect(result.ids.length).toBeGreaterThan(0);
    expect(result.ids).toEqual(exact.slice(0, result.ids.length));
    expect(result.indexScans).toBe(0);
    expect(result.enableSort).toBe('on');
  });

  it('hybrid retrieval of a large scope ranks the one passage with the rare query words first', async () => {
    const result = await retrieveAndInspect(large, 'zeppelin quasar', 'hybrid');
    expect(result.indexScans).toBeGreaterThan(0);
    const [top] = await ownerQuery<{ text: string }>(server.databaseUrl, 'select text from knowledge_chunk where id = $1', [result.ids[0]]);
    expect(top!.text).toContain(`Note ${UNIQUE_SECTION + 1}`);
    expect(top!.text).toContain('zeppelin quasar');
  });
});
