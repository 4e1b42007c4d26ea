/**
 * Hybrid retrieval alone, by knowledge size: the reply pipeline's own call (retrievePassages in a
 * tenant transaction, the way loadContext makes it) against one bot with N synthetic passages
 * (bench/synthetic-knowledge.ts) beside its price list, on the server's real pools. Isolates the
 * retrieval share of the time to first token from everything else on the path. Every other query
 * is a visitor question over the synthetic corpus (synthetic-corpus.ts `queryAt`), the rest the
 * price-list question.
 * Baseline in the same run: `select 1` in a tenant transaction (the floor of any retrieval).
 * `--stale-statistics` makes the planner's statistics of knowledge_chunk older than the bots (as for
 * any bot ingested since the last ANALYZE, e.g. every bot of `bench:load`): they are removed and
 * autovacuum is switched off for the table in this bench's database. Retrieval's plans must not depend
 * on them (server/src/modules/knowledge/README.md, Retrieval).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/retrieval-scale.bench.ts --sizes 0,1600,10000 [--stale-statistics]
 */
// type-graphql's decorators (the knowledge module's resolvers load with it) need the Reflect metadata API first.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { inTenant, SideReads } from '../server/src/core/db/index.ts';
import { APP_ROLE } from '../server/src/migrations/index.ts';
import { retrievePassages } from '../server/src/modules/knowledge/index.ts';
import { publishedBot } from '../server/src/test/fixtures.ts';
import { ownerQuery } from '../server/src/test/owner-database.ts';
import { startTestServer } from '../server/src/test/test-server.ts';
import { ms, ratio, summarize, table } from './stats.ts';
import { queryAt } from './synthetic-corpus.ts';
import { addSyntheticKnowledge } from './synthetic-knowledge.ts';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '0,1600,10000' },
    queries: { type: 'string', default: '100' },
    'stale-statistics': { type: 'boolean', default: false },
  },
  strict: true,
});
const sizes = flags.sizes.split(',').map(Number);
const queries = Number(flags.queries);

const server = await startTestServer();
// As the server composes it (create-server.ts): a side pool for the full-text search, on PostgreSQL only.
const sideReads = process.env['DATABASE_URL'] ? new SideReads({ url: server.databaseUrl, appRole: APP_ROLE, size: 5 }) : undefined;
try {
  console.log(`Retrieval bench: ${process.env['DATABASE_URL'] ? 'PostgreSQL' : 'embedded PGlite'}, ${queries} queries per size` +
    (flags['stale-statistics'] ? ', planner statistics of knowledge_chunk removed' : ''));
  const rows: string[][] = [];
  for (const size of sizes) {
    const bot = await publishedBot(server.graphqlUrl);
    if (size > 0) await addSyntheticKnowledge(server.databaseUrl, bot, size);
    if (flags['stale-statistics'] && process.env['DATABASE_URL']) {
      await ownerQuery(server.databaseUrl, 'alter table knowledge_chunk set (autovacuum_enabled = false)');
      await ownerQuery(server.databaseUrl, `delete from pg_statistic where starelid = 'knowledge_chunk'::regclass`);
    }
    // Row-level security: the documents are only visible inside the tenant.
    const documentIds = (await inTenant(server.orm.em.fork(), bot.tenantId, (tx) =>
      tx.execute<{ id: string }[]>('select id from knowledge_document where bot_id = ?', [bot.botId]))).map((row) => row.id);
    const scope = { tenantId: bot.tenantId, botId: bot.botId, documentIds, language: 'en', ...(sideReads ? { sideReads } : {}) };
    const floor: number[] = [];
    const retrieval: number[] = [];
    for (let i = 0; i < queries + 5; i++) {
      let start = performance.now();
      await inTenant(server.orm.em.fork(), bot.tenantId, (tx) => tx.execute('select 1'));
      const f = performance.now() - start;
      start = performance.now();
      const passages = await inTenant(server.orm.em.fork(), bot.tenantId, (tx) => retrievePassages(tx, scope, i % 2 ? queryAt(i) : 'How much does the Pro plan cost?'));
      const r = performance.now() - start;
      if (passages.length === 0) throw new Error('retrieval found nothing');
      if (i < 5) continue; // warm-up
      floor.push(f);
      retrieval.push(r);
    }
    const f = summarize(floor);
    const r = summarize(retrieval);
    rows.push([`${size} + price list`, ms(f.p50), ms(r.p50), ms(r.p95), ms(r.max), ratio(r.p50, f.p50)]);
  }
  console.log(table(['passages', 'tx floor p50', 'retrieval p50', 'p95', 'max', 'p50 / floor'], rows));
} finally {
  await sideReads?.close();
  await server.stop();
}
