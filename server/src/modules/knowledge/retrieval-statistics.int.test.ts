import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SideReads } from '../../core/db/index.ts';
import { APP_ROLE } from '../../migrations/index.ts';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { ADD_KNOWLEDGE_TEXT, PUBLISH_BOT } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const DELETE = /* GraphQL */ `mutation($id: ID!) { deleteKnowledgeDocument(id: $id) { id } }`;
const SEARCH = /* GraphQL */ `
  query($botId: ID!, $query: String!, $mode: RetrievalMode!, $scope: KnowledgeScope!) {
    searchKnowledge(botId: $botId, query: $query, scope: $scope, mode: $mode, first: 10) { id text } }`;

const SHIPPING = `# Shipping
## Delivery
Parcels leave the warehouse within two days and arrive by courier. Express parcels arrive the next day.
## Returns
Return a parcel within 30 days; the courier collects it from your address for free.`;
const WARRANTY = `# Warranty
Frames carry a lifetime warranty. Wheels, brakes and the drivetrain carry two years.
Claims need the receipt; the courier collects the bike for a warranty repair.`;

let server: TestServer;
let bot: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
  other = await publishedBot(server.graphqlUrl, SHIPPING);
});
afterAll(() => server?.stop());

const addText = async (title: string, text: string) =>
  (await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: bot.botId, input: { title, text } }, bot.accessToken)).addKnowledgeText as { id: string };

const textRanking = async (query: string, scope: 'DRAFT' | 'LIVE' = 'DRAFT') =>
  ((await graphqlOk(server.graphqlUrl, SEARCH, { botId: bot.botId, query, mode: 'TEXT', scope }, bot.accessToken)).searchKnowledge as { id: string }[]).map((p) => p.id);

/**
 * BM25 as retrieval computed it before issue 13, per query straight from the passages' full-text
 * vectors (as the owner, past row-level security): the reference the stored statistics must match.
 */
async function referenceRanking(query: string, documentIds?: string[]): Promise<string[]> {
  const rows = await ownerQuery<{ id: string }>(server.databaseUrl, `
    with scoped as (select * from knowledge_chunk where bot_id = $1 and ($3::uuid[] is null or document_id = any($3))),
    query as (select nullif(replace(plainto_tsquery('english', $2)::text, '&', '|'), '')::tsquery as q),
    qterms as (select array(select tsvector_to_array(to_tsvector('english', $2))) as lexemes),
    stats as (select count(*)::float8 as n, greatest(avg(length(search_vector)), 1)::float8 as avglen from scoped),
    matched as (select s.id, s.search_vector from scoped s, query where query.q is not null and s.search_vector @@ query.q),
    postings as (
      select m.id, u.lexeme, coalesce(array_length(u.positions, 1), 1)::float8 as tf, length(m.search_vector)::float8 as len
      from matched m, qterms, unnest(m.search_vector) u where u.lexeme = any(qterms.lexemes)
    ),
    df as (select lexeme, count(*)::float8 as df from postings group by lexeme),
    bm25 as (
      select p.id, sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5)) * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.len / stats.avglen))) as score
      from postings p join df using (lexeme), stats group by p.id
    )
    select id from bm25 order by score desc, id limit 10`, [bot.botId, query, documentIds ?? null]);
  return rows.map((row) => row.id);
}

describe('BM25 statistics kept per bot', () => {
  it('are written with each document: one posting per passage and word, and the total passage length', async () => {
    const shipping = await addText('Shipping guide', SHIPPING);
    const [figures] = await ownerQuery<{ chunks: number; length: number; expected_length: number; postings: number; expected_postings: number }>(
      server.databaseUrl,
      `select d.chunk_count as chunks, d.search_length::int as length,
              (select sum(length(search_vector))::int from knowledge_chunk where document_id = d.id) as expected_length,
              (select count(*)::int from knowledge_posting where document_id = d.id) as postings,
              (select count(*)::int from knowledge_chunk c, unnest(c.search_vector) where c.document_id = d.id) as expected_postings
       from knowledge_document d where d.id = $1`,
      [shipping.id],
    );
    expect(figures!.chunks).toBeGreaterThan(1);
    expect(figures!.length).toBe(figures!.expected_length);
    expect(figures!.postings).toBe(figures!.expected_postings);
  });

  it('rank exactly as BM25 computed from the passages themselves, before and after a document is deleted', async () => {
    const warranty = await addText('Warranty', WARRANTY);
    const questions = ['When does the courier collect a parcel?', 'How long is the warranty on wheels?', 'express parcels next day'];
    for (const question of questions) expect(await textRanking(question), question).toEqual(await referenceRanking(question));

    await graphqlOk(server.graphqlUrl, DELETE, { id: warranty.id }, bot.accessToken);
    const [left] = await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from knowledge_posting where document_id = $1', [warranty.id]);
    expect(left!.n).toBe(0);
    // The deleted document's passages no longer count in the bot's passage count or document frequencies.
    for (const question of questions) expect(await textRanking(question), question).toEqual(await referenceRanking(question));
  });

  it('of a published version are those of its own documents, not of documents added to the draft since', async () => {
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
    const [version] = await ownerQuery<{ ids: string[] }>(server.databaseUrl,
      `select array(select jsonb_array_elements_text(v.knowledge_document_ids)) as ids
       from bot_version v join bot b on b.live_version_id = v.id where b.id = $1`, [bot.botId]);
    await addText('Courier notes', `# Couriers\nThe courier collects parcels on weekdays. Parcels for express delivery leave the same day; the courier brings a receipt.`);
    const questions = ['When does the courier collect a parcel?', 'express parcels next day'];
    for (const question of questions) {
      expect(await textRanking(question, 'LIVE'), question).toEqual(await referenceRanking(question, version!.ids));
      expect(await textRanking(question, 'DRAFT'), question).toEqual(await referenceRanking(question));
    }
  });

  it('are read beside a transaction only within the tenant set for the read', async () => {
    const side = new SideReads({ url: server.databaseUrl, appRole: APP_ROLE, size: 1 });
    try {
      const count = 'select count(*)::int as n from knowledge_posting where bot_id = ?';
      expect((await side.query<{ n: number }>(other.tenantId, count, [other.botId]))[0]!.n).toBeGreaterThan(0);
      // Another tenant's postings are invisible, even when asked for by bot id.
      expect((await side.query<{ n: number }>(bot.tenantId, count, [other.botId]))[0]!.n).toBe(0);
      await expect(side.query(bot.tenantId, `insert into knowledge_posting (tenant_id, bot_id, document_id, chunk_id, lexeme, tf, len)
        values (?, ?, gen_random_uuid(), gen_random_uuid(), 'x', 1, 1)`, [bot.tenantId, bot.botId])).rejects.toThrow(/read-only/);
    } finally {
      await side.close();
    }
  });
});
