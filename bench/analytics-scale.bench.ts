/**
 * Analytics at a million messages: how fast botAnalytics, tenantAnalytics and topQuestions answer from
 * the pre-aggregated tables, against the naive queries over the raw messages they replace, in the same
 * run and database. In a fresh database (real PostgreSQL; all migrations applied):
 *   1. generates one tenant with 5 bots, 100,000 conversations over the last 365 days and 10 messages
 *      each (1,000,000 messages: 5 visitor questions from a pool of ~2,000 wordings, 5 replies with a time
 *      to first token and a cost), handoffs, leads, visitor ids — with generate_series, in SQL;
 *   2. builds the analytics rows from them with one aggregation (the rows the recorder would have written
 *      message by message, built in bulk here) and checks the service's figures equal the naive ones;
 *   3. times, for 30-day and 365-day ranges: AnalyticsService.botReport / tenantReport / topQuestions
 *      (the production code, as the app role under row-level security) against the naive SQL over
 *      `message` ⋈ `conversation` (plus the same similarity grouping for top questions).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres nice -n 10 npm run bench:analytics
 *   … -- --conversations 20000 --runs 10
 */
// The server's modules (entities come with their resolvers) need the Reflect metadata API loaded first.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { entities } from '../server/src/app/entities.ts';
import { connectOrm } from '../server/src/core/db/index.ts';
import { createLogger } from '../server/src/core/logging/index.ts';
import { APP_ROLE, migrations } from '../server/src/migrations/index.ts';
import { AnalyticsService } from '../server/src/modules/analytics/index.ts';
import { groupSimilarQuestions, MAX_GROUPED_QUESTIONS } from '../server/src/modules/analytics/question-groups.ts';
import { TTFT_BUCKETS } from '../server/src/modules/analytics/ttft-histogram.ts';
import { createTestDatabase } from '../server/src/test/test-database.ts';
import { ms, ratio, summarize, table, type Summary } from './stats.ts';

const { values: flags } = parseArgs({
  options: {
    conversations: { type: 'string' },
    runs: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
if (flags.help) {
  console.log(`Usage: DATABASE_URL=postgres://… nice -n 10 npx tsx bench/analytics-scale.bench.ts [options]
  --conversations N   conversations of 10 messages each (default 100000 → 1,000,000 messages)
  --runs N            timed runs per query and range (default 20; the naive queries run N/4, at least 3)`);
  process.exit(0);
}
const DATABASE_URL = process.env['DATABASE_URL'];
if (!DATABASE_URL) {
  console.error('Set DATABASE_URL to a PostgreSQL with pgvector; embedded PGlite is too slow at this scale.');
  process.exit(2);
}
const CONVERSATIONS = Number(flags.conversations ?? 100_000);
const RUNS = Number(flags.runs ?? 20);
if (!Number.isInteger(CONVERSATIONS) || CONVERSATIONS < 1000 || !Number.isInteger(RUNS) || RUNS < 3) {
  console.error('--conversations must be an integer ≥ 1000 and --runs ≥ 3.');
  process.exit(2);
}
const BOTS = 5;
const MESSAGES_PER_CONVERSATION = 10;
const TENANT = '00000000-0000-4000-8000-0000000000aa';
const botId = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;
const DAY_MS = 86_400_000;
const dayOf = (offset: number) => new Date(Date.now() - offset * DAY_MS).toISOString().slice(0, 10);

/** ~2,000 visitor questions: a few intents, each in many wordings, as real traffic has them. */
function questionPool(): string[] {
  const subjects = ['the Pro plan', 'the Starter plan', 'the Team plan', 'the Enterprise plan', 'support', 'the mobile app', 'the API', 'shipping', 'refunds', 'the free trial'];
  const templates = [
    'How much is %s?', 'What does %s cost?', 'Price of %s?', 'Can you tell me about %s?', 'Is %s worth it?', 'How do I get %s?',
    'Does %s include invoices?', 'When is %s available?', 'Why is %s so slow?', 'I need help with %s', 'Compare %s with the others',
    'What are the limits of %s?', 'Can I cancel %s?', 'Who do I ask about %s?', 'Where can I find %s?', 'Is %s available in Canada?',
  ];
  const pool: string[] = [];
  for (let variant = 0; variant < 13; variant++) {
    for (const subject of subjects) for (const template of templates) pool.push(template.replace('%s', subject) + (variant ? ` (${variant})` : ''));
  }
  return pool;
}

/** When conversation `i` started: bot i % 5 talks every day, each day at scattered times. */
const startedAt = (i: string) =>
  `date_trunc('day', now()) - ((${i} / ${BOTS}) % 365) * interval '1 day' + ((${i} * 7919) % 86000) * interval '1 second'`;

async function generate(owner: pg.Client): Promise<void> {
  const pool = questionPool();
  await owner.query(`insert into tenant (id, name, plan) values ($1, 'Bench tenant', 'pro')`, [TENANT]);
  for (let n = 0; n < BOTS; n++) {
    await owner.query(
      `insert into bot (id, tenant_id, name, embed_id, draft) values ($1, $2, $3, $4, '{}')`,
      [botId(n), TENANT, `Bench bot ${n}`, `bot_bench${n}`],
    );
    await owner.query(
      `insert into bot_version (id, tenant_id, bot_id, number, config, knowledge_document_ids) values ($1, $2, $1, 1, '{}', '[]')`,
      [botId(n), TENANT],
    );
  }
  await owner.query(`create temporary table bench_question (id integer primary key, text text not null)`);
  await owner.query(`insert into bench_question select i - 1, t from unnest($1::text[]) with ordinality as q(t, i)`, [pool]);
  const started = performance.now();
  // Conversation i: bot i % 5, spread over 365 days (startedAt); 30,000 returning visitors; every 10th handed off.
  await owner.query(
    `insert into conversation (id, tenant_id, bot_id, bot_version_id, created_at, last_message_at, visitor_id, status, handoff_reason, handoff_requested_at)
     select md5('c' || i)::uuid, $1, b.id, b.id, t, t + interval '200 seconds', 'visitor-' || ((i * 7919) % 30000),
            case when i % 10 = 0 then 'WAITING_FOR_AGENT' else 'BOT' end,
            case when i % 10 = 0 then 'BOT_UNSURE' end, case when i % 10 = 0 then t + interval '30 seconds' end
       from generate_series(0, $2 - 1) i
       cross join lateral (select ('00000000-0000-4000-8000-0000000001' || lpad((i % ${BOTS})::text, 2, '0'))::uuid as id) b
       cross join lateral (select ${startedAt('i')} as t) ts`,
    [TENANT, CONVERSATIONS],
  );
  // Ten messages each: visitor questions (with their sentiment) and replies (time to first token, cost).
  await owner.query(
    `insert into message (id, tenant_id, conversation_id, role, text, sources, time_to_first_token_ms, cost_micro_usd, sentiment, created_at)
     select md5('m' || c.n || '-' || j)::uuid, $1, c.id,
            case when j % 2 = 0 then 'VISITOR' else 'ASSISTANT' end,
            case when j % 2 = 0 then q.text else 'An answer.' end, '[]',
            case when j % 2 = 1 then 150 + ((c.n * 37 + j * 101) % 2000) end,
            case when j % 2 = 1 then 150 end,
            case when j % 2 = 0 then (((c.n * 17 + j) % 200) - 100) / 100.0 end,
            c.created_at + j * interval '20 seconds'
       from (select md5('c' || i)::uuid as id, i as n, ${startedAt('i')} as created_at
               from generate_series(0, $2 - 1) i) c
       cross join generate_series(0, ${MESSAGES_PER_CONVERSATION - 1}) j
       join bench_question q on q.id = (c.n * 13 + j * 7) % ${pool.length}`,
    [TENANT, CONVERSATIONS],
  );
  // Every 25th conversation leaves its e-mail address.
  await owner.query(
    `insert into lead (id, tenant_id, bot_id, conversation_id, source_message_id, email, created_at)
     select md5('l' || c.id)::uuid, c.tenant_id, c.bot_id, c.id, md5('m' || i || '-0')::uuid, 'someone@example.com', c.created_at + interval '40 seconds'
       from generate_series(0, $1 - 1, 25) i join conversation c on c.id = md5('c' || i)::uuid`,
    [CONVERSATIONS],
  );
  console.log(`generated ${CONVERSATIONS * MESSAGES_PER_CONVERSATION} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The analytics rows, built in bulk from the raw tables: what analytics-recorder.ts writes message by
 * message (histogram buckets by the same formula as ttft-histogram.ts; the bench's question key is md5
 * of the lowercased text rather than the recorder's normalization — the same shape and cardinality).
 */
async function aggregate(owner: pg.Client): Promise<void> {
  const started = performance.now();
  await owner.query(`insert into analytics_conversation (conversation_id, tenant_id, bot_id, day, handed_off, gave_lead)
    select c.id, c.tenant_id, c.bot_id, (c.created_at at time zone 'UTC')::date, c.handoff_requested_at is not null,
           exists (select 1 from lead l where l.conversation_id = c.id)
      from conversation c`);
  await owner.query(`insert into analytics_daily (tenant_id, bot_id, day, conversations, handed_off_conversations)
    select tenant_id, bot_id, day, count(*), count(*) filter (where handed_off) from analytics_conversation group by 1, 2, 3`);
  await owner.query(`insert into analytics_daily as d (tenant_id, bot_id, day, visitor_messages, assistant_messages, sentiment_positive, sentiment_neutral, sentiment_negative)
    select m.tenant_id, c.bot_id, (m.created_at at time zone 'UTC')::date,
           count(*) filter (where m.role = 'VISITOR'), count(*) filter (where m.role = 'ASSISTANT'),
           count(*) filter (where m.sentiment >= 0.25), count(*) filter (where m.sentiment > -0.25 and m.sentiment < 0.25),
           count(*) filter (where m.sentiment <= -0.25)
      from message m join conversation c on c.id = m.conversation_id group by 1, 2, 3
    on conflict (tenant_id, bot_id, day) do update set visitor_messages = excluded.visitor_messages, assistant_messages = excluded.assistant_messages,
      sentiment_positive = excluded.sentiment_positive, sentiment_neutral = excluded.sentiment_neutral, sentiment_negative = excluded.sentiment_negative`);
  await owner.query(`insert into analytics_daily as d (tenant_id, bot_id, day, leads)
    select tenant_id, bot_id, (created_at at time zone 'UTC')::date, count(*) from lead group by 1, 2, 3
    on conflict (tenant_id, bot_id, day) do update set leads = excluded.leads`);
  await owner.query(`with buckets as (
      select m.tenant_id, c.bot_id, (m.created_at at time zone 'UTC')::date as day,
             case when m.time_to_first_token_ms < 1 then 0
                  else least(${TTFT_BUCKETS - 1}, 1 + floor(ln(m.time_to_first_token_ms) / ln(1.1) + 1e-9))::int end as bucket,
             count(*) as n
        from message m join conversation c on c.id = m.conversation_id
       where m.time_to_first_token_ms is not null group by 1, 2, 3, 4
    ), histograms as (
      select k.tenant_id, k.bot_id, k.day, array_agg(coalesce(b.n, 0)::int order by s.i) as histogram
        from (select distinct tenant_id, bot_id, day from buckets) k
        cross join generate_series(0, ${TTFT_BUCKETS - 1}) s(i)
        left join buckets b on b.tenant_id = k.tenant_id and b.bot_id = k.bot_id and b.day = k.day and b.bucket = s.i
       group by 1, 2, 3
    )
    update analytics_daily d set ttft_histogram = h.histogram from histograms h
     where d.tenant_id = h.tenant_id and d.bot_id = h.bot_id and d.day = h.day`);
  await owner.query(`insert into analytics_visitor_day (tenant_id, bot_id, day, visitor_key)
    select distinct c.tenant_id, c.bot_id, (m.created_at at time zone 'UTC')::date, coalesce(c.visitor_id, 'c:' || c.id)
      from message m join conversation c on c.id = m.conversation_id where m.role = 'VISITOR'
    union select c.tenant_id, c.bot_id, (c.created_at at time zone 'UTC')::date, coalesce(c.visitor_id, 'c:' || c.id) from conversation c
    on conflict do nothing`);
  await owner.query(`insert into analytics_question_day (tenant_id, bot_id, day, question_hash, question, asked, last_asked_at)
    select m.tenant_id, c.bot_id, (m.created_at at time zone 'UTC')::date, md5(lower(m.text)), min(m.text), count(*), max(m.created_at)
      from message m join conversation c on c.id = m.conversation_id where m.role = 'VISITOR' group by 1, 2, 3, 4`);
  await owner.query(`insert into ai_usage_daily (tenant_id, bot_id, day, replies, cost_micro_usd)
    select m.tenant_id, c.bot_id, (m.created_at at time zone 'UTC')::date, count(*), sum(m.cost_micro_usd)
      from message m join conversation c on c.id = m.conversation_id where m.role = 'ASSISTANT' group by 1, 2, 3`);
  // As autovacuum would have by then: statistics, and the visibility map index-only scans need.
  await owner.query('vacuum analyze');
  console.log(`aggregated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface NaiveTotals {
  conversations: number;
  messages: number;
  uniqueVisitors: number;
  handedOff: number;
  leads: number;
  costMicroUsd: number;
  ttftMedianMs: number | null;
}

/** What a report costs without pre-aggregation: per-day and period figures straight from the raw rows. */
async function naiveReport(client: pg.Client, bot: string | null, from: string, to: string): Promise<NaiveTotals> {
  const scope = bot ? 'and c.bot_id = $4' : '';
  const params = bot ? [TENANT, from, to, bot] : [TENANT, from, to];
  const inRange = `m.created_at >= $2::date and m.created_at < $3::date + 1`;
  // Per day, like the report's rows…
  await client.query(
    `select (m.created_at at time zone 'UTC')::date as day, count(*) as messages, count(*) filter (where m.role = 'VISITOR') as visitor_messages,
            percentile_disc(0.5) within group (order by m.time_to_first_token_ms) as ttft_median,
            percentile_disc(0.95) within group (order by m.time_to_first_token_ms) as ttft_p95,
            count(*) filter (where m.sentiment >= 0.25) as positive, count(*) filter (where m.sentiment <= -0.25) as negative,
            sum(m.cost_micro_usd) as cost, count(distinct coalesce(c.visitor_id, 'c:' || c.id)) filter (where m.role = 'VISITOR') as visitors
       from message m join conversation c on c.id = m.conversation_id
      where c.tenant_id = $1 ${scope} and ${inRange} group by 1 order by 1`,
    params,
  );
  const perDayConversations = `select (c.created_at at time zone 'UTC')::date, count(*), count(*) filter (where c.handoff_requested_at is not null)
      from conversation c where c.tenant_id = $1 ${scope} and c.created_at >= $2::date and c.created_at < $3::date + 1 group by 1`;
  await client.query(perDayConversations, params);
  // …and the period's totals, which need their own pass (distinct visitors and percentiles do not add up).
  const [totals] = (await client.query(
    `select count(*)::int as messages, sum(m.cost_micro_usd)::bigint as cost,
            percentile_disc(0.5) within group (order by m.time_to_first_token_ms) as ttft_median,
            percentile_disc(0.95) within group (order by m.time_to_first_token_ms) as ttft_p95
       from message m join conversation c on c.id = m.conversation_id where c.tenant_id = $1 ${scope} and ${inRange}`,
    params,
  )).rows;
  const [people] = (await client.query(
    `select count(*)::int as conversations, count(*) filter (where c.handoff_requested_at is not null)::int as handed_off,
            (select count(distinct coalesce(c2.visitor_id, 'c:' || c2.id))::int from conversation c2 join message m on m.conversation_id = c2.id
              where c2.tenant_id = $1 ${scope.replace('c.', 'c2.')} and m.role = 'VISITOR' and ${inRange}) as visitors,
            (select count(*)::int from lead l where l.tenant_id = $1 ${bot ? 'and l.bot_id = $4' : ''} and l.created_at >= $2::date and l.created_at < $3::date + 1) as leads
       from conversation c where c.tenant_id = $1 ${scope} and c.created_at >= $2::date and c.created_at < $3::date + 1`,
    params,
  )).rows;
  return {
    conversations: people.conversations, messages: totals.messages, uniqueVisitors: people.visitors, handedOff: people.handed_off,
    leads: people.leads, costMicroUsd: Number(totals.cost ?? 0), ttftMedianMs: totals.ttft_median,
  };
}

async function naiveTopQuestions(client: pg.Client, bot: string, from: string, to: string) {
  const { rows } = await client.query<{ text: string; asked: number }>(
    `select min(m.text) as text, count(*)::int as asked
       from message m join conversation c on c.id = m.conversation_id
      where c.tenant_id = $1 and c.bot_id = $2 and m.role = 'VISITOR' and m.created_at >= $3::date and m.created_at < $4::date + 1
      group by lower(m.text) order by count(*) desc limit $5`,
    [TENANT, bot, from, to, MAX_GROUPED_QUESTIONS],
  );
  return groupSimilarQuestions(rows.map((r) => ({ text: r.text, asked: r.asked, unanswered: 0 })), 10);
}

async function time(runs: number, work: () => Promise<unknown>): Promise<Summary> {
  await work(); // warm
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

async function main(): Promise<void> {
  const database = await createTestDatabase(DATABASE_URL);
  const logger = createLogger('warn');
  const orm = await connectOrm({ url: database.url!, entities, migrations, appRole: APP_ROLE, logger });
  const owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
  try {
    await generate(owner);
    await aggregate(owner);
    const analytics = new AnalyticsService();
    const ranges = [{ label: '30 days', from: dayOf(29), to: dayOf(0) }, { label: '365 days', from: dayOf(364), to: dayOf(0) }];

    // The figures must agree before their speed means anything.
    for (const range of ranges) {
      const fast = await analytics.botReport(orm.em.fork(), TENANT, botId(0), range);
      const slow = await naiveReport(owner, botId(0), range.from, range.to);
      const same = fast.totals.conversations === slow.conversations && fast.totals.messages === slow.messages &&
        fast.totals.uniqueVisitors === slow.uniqueVisitors && fast.totals.handedOffConversations === slow.handedOff &&
        fast.totals.leads === slow.leads && Math.round(fast.totals.costUsd * 1e6) === slow.costMicroUsd &&
        Math.abs(fast.totals.ttftMedianMs! - slow.ttftMedianMs!) <= slow.ttftMedianMs! * 0.049;
      console.log(`check ${range.label}: ${same ? 'aggregated figures equal the naive ones' : 'MISMATCH'} ` +
        `(conversations ${fast.totals.conversations}/${slow.conversations}, messages ${fast.totals.messages}/${slow.messages}, ` +
        `visitors ${fast.totals.uniqueVisitors}/${slow.uniqueVisitors}, TTFT median ${fast.totals.ttftMedianMs}/${slow.ttftMedianMs} ms)`);
      if (!same) process.exitCode = 1;
    }

    const naiveRuns = Math.max(3, Math.floor(RUNS / 4));
    const rows: string[][] = [];
    for (const range of ranges) {
      const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
        ['botAnalytics', () => analytics.botReport(orm.em.fork(), TENANT, botId(0), range), () => naiveReport(owner, botId(0), range.from, range.to)],
        ['tenantAnalytics', () => analytics.tenantReport(orm.em.fork(), TENANT, range), () => naiveReport(owner, null, range.from, range.to)],
        ['topQuestions', () => analytics.topQuestions(orm.em.fork(), TENANT, botId(0), range, 10), () => naiveTopQuestions(owner, botId(0), range.from, range.to)],
      ];
      for (const [name, aggregated, naive] of cases) {
        const fast = await time(RUNS, aggregated);
        const slow = await time(naiveRuns, naive);
        rows.push([`${name}, ${range.label}`, ms(fast.p50), ms(fast.p95), ms(slow.p50), ms(slow.p95), ratio(slow.p50, fast.p50)]);
        console.log(`  ${name} ${range.label}: ${ms(fast.p50)} ms vs naive ${ms(slow.p50)} ms`);
      }
    }
    const [counts] = (await owner.query(`select (select count(*) from message)::int as messages, (select count(*) from analytics_daily)::int as daily,
      (select count(*) from analytics_visitor_day)::int as visitor_days, (select count(*) from analytics_question_day)::int as question_days`)).rows;
    console.log(`\n${counts.messages} messages; analytics rows: ${counts.daily} daily, ${counts.visitor_days} visitor-days, ${counts.question_days} question-days`);
    console.log(`timed runs: ${RUNS} aggregated, ${naiveRuns} naive (nearest-rank percentiles, ms)\n`);
    console.log(table(['query, range', 'aggregated p50', 'p95', 'naive p50', 'p95', 'speed-up p50'], rows));
  } finally {
    await owner.end();
    await orm.close(true);
    await database.drop();
  }
}

await main();
