/**
 * Retrieval and answer evaluation on the rag-eval sets (bench/rag-eval/README.md). For each corpus
 * (Northwind Bikes in corpus/, the Larkfield city help centre in larkfield/corpus/) it ingests the
 * documents into a fresh bot through the public API (addKnowledgeText), then
 *  - runs every question through searchKnowledge in each mode (HYBRID, VECTOR, TEXT; first 10) and
 *    judges the passages against the questions' evidence strings (recall, MRR, nDCG, score spread);
 *  - asks every question through previewReply, the server's own reply path for a bot's draft
 *    (retrieval of the top 5 passages, then the provider chain: the offline answerer on the embedded
 *    defaults), and judges the finished reply by its fixed facts, its cited documents, and whether it
 *    declined (an unanswerable question must be declined).
 * Every figure is given per half of the questions ("tune" and "holdout", see the README): the answerer
 * is tuned on the first half only.
 *
 *   npm run eval:rag                                  embedded: in-memory PGlite
 *   DATABASE_URL=postgres://… npm run eval:rag        a fresh database on that PostgreSQL, dropped afterwards
 *   npm run eval:rag -- --corpus larkfield --misses 30 --split tune --json out.json
 *
 * Exit code 0 once the report is printed (a missed target is not an error), 1 on any error, 2 for bad options.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from 'graphql-ws';
import { signUpAccount } from '../../server/src/test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../../server/src/test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, CREATE_BOT } from '../../server/src/test/operations.ts';
import { startTestServer, type TestServer } from '../../server/src/test/test-server.ts';
import { ms, percentile, table } from '../stats.ts';
import {
  evidenceRecallAt,
  hitAt,
  judgeReply,
  mean,
  ndcg,
  normalizeWhitespace,
  reciprocalRank,
  scoreRanking,
  thresholdSweep,
  type Evidence,
  type RankingScore,
  type ReplyVerdict,
} from './metrics.ts';

// ───────────────────────────── options ─────────────────────────────

const env = process.env;
const HERE = path.dirname(fileURLToPath(import.meta.url));

interface CorpusSpec {
  name: string;
  corpusDir: string;
  questionsFile: string;
  tenant: string;
  bot: string;
}

const CORPORA: CorpusSpec[] = [
  { name: 'northwind', corpusDir: path.join(HERE, 'corpus'), questionsFile: path.join(HERE, 'questions.json'), tenant: 'Northwind Bikes', bot: 'Pip' },
  { name: 'larkfield', corpusDir: path.join(HERE, 'larkfield', 'corpus'), questionsFile: path.join(HERE, 'larkfield', 'questions.json'), tenant: 'City of Larkfield', bot: 'Lark' },
];
const SPLITS = ['tune', 'holdout'] as const;
type Split = (typeof SPLITS)[number];

const { values: flags } = parseArgs({
  options: {
    corpus: { type: 'string' },
    misses: { type: 'string' },
    split: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (flags.help) {
  console.log(`Usage: npm run eval:rag -- [options]
  --corpus NAME  only this corpus (${CORPORA.map((c) => c.name).join(', ')}); default all
  --misses N     retrieval misses and wrong replies to print in detail per corpus (default 10, 0 for none)
  --split NAME   print details only for this half (tune or holdout); figures always cover both
  --json FILE    also write every question's rankings, reply and verdict to FILE
DATABASE_URL selects a real PostgreSQL (a fresh database, dropped afterwards); else embedded PGlite.`);
  process.exit(0);
}

const missesToShow = flags.misses === undefined ? 10 : Number(flags.misses);
if (!Number.isInteger(missesToShow) || missesToShow < 0) {
  console.error(`Invalid value ${JSON.stringify(flags.misses)} for --misses: expected an integer ≥ 0.`);
  process.exit(2);
}
if (flags.split !== undefined && !(SPLITS as readonly string[]).includes(flags.split)) {
  console.error(`Invalid value ${JSON.stringify(flags.split)} for --split: expected tune or holdout.`);
  process.exit(2);
}
const selected = flags.corpus === undefined ? CORPORA : CORPORA.filter((c) => c.name === flags.corpus);
if (selected.length === 0) {
  console.error(`Unknown corpus ${JSON.stringify(flags.corpus)}: expected one of ${CORPORA.map((c) => c.name).join(', ')}.`);
  process.exit(2);
}
const detailSplit = flags.split as Split | undefined;

const MODES = ['HYBRID', 'VECTOR', 'TEXT'] as const;
type Mode = (typeof MODES)[number];
const FIRST = 10;
/** What the reply pipeline hands the provider: retrievePassages' default limit, hybrid. */
const ANSWER_PASSAGES = 5;
const TARGETS = { hybridRecallAt5: 0.92, correctAnswerable: 0.8, declinedUnanswerable: 0.8, wrongCitation: 0.03 };
const THRESHOLDS = Array.from({ length: 11 }, (_, i) => 0.1 + i * 0.05);

const SEARCH_KNOWLEDGE = /* GraphQL */ `
  query Search($botId: ID!, $query: String!, $mode: RetrievalMode!, $first: Int!) {
    searchKnowledge(botId: $botId, query: $query, mode: $mode, scope: DRAFT, first: $first) {
      id documentId documentTitle sectionPath text score
    }
  }`;

const PREVIEW_REPLY = /* GraphQL */ `
  subscription Preview($botId: ID!, $input: PreviewReplyInput!) {
    previewReply(botId: $botId, input: $input) {
      __typename
      ... on PreviewReplyCompleted { text grounded provider sources { marker documentTitle sectionPath snippet } }
    }
  }`;

// ───────────────────────────── data ─────────────────────────────

interface Question {
  id: string;
  question: string;
  evidence: Evidence[];
  kind: string;
  /** Strings the reply must contain (Larkfield); the Northwind questions are judged on their evidence. */
  facts?: string[];
  /** Given in the file, or alternating tune/holdout in file order. */
  split: Split;
}

interface Passage {
  id: string;
  documentId: string;
  documentTitle: string;
  sectionPath: string[];
  text: string;
  score: number;
}

interface CorpusDocument {
  file: string;
  title: string;
  text: string;
}

interface ModeResult {
  passages: Passage[];
  /** File name per passage. */
  files: string[];
  score: RankingScore;
  ms: number;
}

interface Reply {
  text: string;
  provider: string;
  sources: { marker: number; documentTitle: string; sectionPath: string[]; snippet: string }[];
  citedDocuments: string[];
  verdict: ReplyVerdict;
}

interface QuestionResult {
  question: Question;
  modes: Record<Mode, ModeResult>;
  reply: Reply;
}

async function loadCorpus(dir: string): Promise<CorpusDocument[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.md')).sort();
  return Promise.all(files.map(async (file) => {
    const text = await readFile(path.join(dir, file), 'utf8');
    const title = /^#[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(text)?.[1];
    if (!title) throw new Error(`${file}: no "# " title heading`);
    return { file, title, text };
  }));
}

async function loadQuestions(file: string, corpus: readonly CorpusDocument[]): Promise<Question[]> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as (Omit<Question, 'split'> & { split?: Split })[];
  const texts = new Map(corpus.map((doc) => [doc.file, normalizeWhitespace(doc.text)]));
  return raw.map((q, i) => {
    for (const entry of q.evidence) {
      const text = texts.get(entry.document);
      if (text === undefined) throw new Error(`${q.id}: evidence document ${entry.document} is not in the corpus`);
      if (!text.includes(normalizeWhitespace(entry.text))) throw new Error(`${q.id}: evidence not found in ${entry.document}: ${entry.text}`);
      for (const fact of q.facts ?? []) {
        if (!text.toLowerCase().includes(fact.toLowerCase())) throw new Error(`${q.id}: fact not found in ${entry.document}: ${fact}`);
      }
    }
    return { ...q, split: q.split ?? SPLITS[i % 2]! };
  });
}

// ───────────────────────────── reporting helpers ─────────────────────────────

const fixed = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const share = (count: number, total: number) => `${count}/${total} (${total ? ((count / total) * 100).toFixed(1) : '–'} %)`;
const percent = (count: number, total: number) => (total ? `${((count / total) * 100).toFixed(1)} %` : '–');
const snippet = (text: string, chars = 80) => {
  const flat = normalizeWhitespace(text);
  return flat.length <= chars ? flat : `${flat.slice(0, chars - 1)}…`;
};

function distributionRow(name: string, values: readonly number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [name, String(sorted.length), ...[0, 10, 25, 50, 75, 90, 100].map((p) => fixed(percentile(sorted, p)))];
}

async function describeDatabase(server: TestServer): Promise<string> {
  const em = server.orm.em.fork();
  const [row] = await em.execute<{ version: string }[]>(`select current_setting('server_version') as version`);
  const [ext] = await em.execute<{ extversion: string }[]>(`select extversion from pg_extension where extname = 'vector'`);
  const version = `${row?.version ?? '?'}, pgvector ${ext?.extversion ?? 'not installed'}`;
  const url = env['DATABASE_URL'];
  if (!url) return `embedded (in-memory PGlite ${version})`;
  return `postgres (${new URL(url).host}, PostgreSQL ${version}, fresh database per run)`;
}

/** The end-to-end figures of a group of questions (one corpus, one half or both). */
function replyFigures(results: readonly QuestionResult[]) {
  const answerable = results.filter((r) => r.question.evidence.length > 0);
  const unanswerable = results.filter((r) => r.question.evidence.length === 0);
  const answered = answerable.filter((r) => !r.reply.verdict.declined);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    recallAt5: answerable.filter((r) => hitAt(r.modes.HYBRID.score, 5)).length,
    correct: answerable.filter((r) => r.reply.verdict.correct).length,
    answered: answered.length,
    wronglyDeclined: answerable.filter((r) => r.reply.verdict.declined).length,
    wronglyDeclinedWithEvidence: answerable.filter((r) => r.reply.verdict.declined && hitAt(r.modes.HYBRID.score, ANSWER_PASSAGES)).length,
    missingFacts: answered.filter((r) => r.reply.verdict.citesExpected && !r.reply.verdict.factsFound).length,
    wrongCitation: answered.filter((r) => r.reply.verdict.wrongCitation).length,
    declined: unanswerable.filter((r) => r.reply.verdict.declined).length,
  };
}

// ───────────────────────────── one corpus ─────────────────────────────

async function previewReply(client: Client, botId: string, question: string) {
  const events = recordSubscription<{ previewReply: { __typename: string; text: string; grounded: boolean; provider: string; sources: Reply['sources'] } }>(
    client, PREVIEW_REPLY, { botId, input: { question } },
  );
  try {
    const last = await events.waitFor((e) => e.previewReply.__typename === 'PreviewReplyCompleted', 30_000);
    return last.previewReply;
  } finally {
    await events.close();
  }
}

async function evaluateCorpus(server: TestServer, spec: CorpusSpec): Promise<{ results: QuestionResult[]; summary: string[][] }> {
  const corpus = await loadCorpus(spec.corpusDir);
  const questions = await loadQuestions(spec.questionsFile, corpus);
  const answerable = questions.filter((q) => q.evidence.length > 0);
  const unanswerable = questions.filter((q) => q.evidence.length === 0);
  const owner = await signUpAccount(server.graphqlUrl, spec.tenant);
  const token = owner.accessToken;
  const { createBot } = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: spec.bot } }, token);
  const botId: string = createBot.id;

  // Ingestion, one document at a time in file-name order.
  const fileById = new Map<string, string>();
  const fileByTitle = new Map(corpus.map((doc) => [doc.title, doc.file]));
  let chunkCount = 0;
  const ingestStartedAt = performance.now();
  for (const doc of corpus) {
    const { addKnowledgeText } = await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId, input: { title: doc.title, text: doc.text } }, token);
    fileById.set(addKnowledgeText.id, doc.file);
    chunkCount += addKnowledgeText.chunkCount as number;
  }
  const ingestMs = performance.now() - ingestStartedAt;

  const client = wsClient(server.websocketUrl, token);
  const results: QuestionResult[] = [];
  const queryStartedAt = performance.now();
  let replyMs = 0;
  try {
    for (const question of questions) {
      const modes = {} as Record<Mode, ModeResult>;
      for (const mode of MODES) {
        const startedAt = performance.now();
        const { searchKnowledge } = await graphqlOk<{ searchKnowledge: Passage[] }>(
          server.graphqlUrl, SEARCH_KNOWLEDGE, { botId, query: question.question, mode, first: FIRST }, token,
        );
        const elapsed = performance.now() - startedAt;
        const files = searchKnowledge.map((p) => {
          const file = fileById.get(p.documentId);
          if (!file) throw new Error(`passage ${p.id} from unknown document ${p.documentId}`);
          return file;
        });
        const score = scoreRanking(searchKnowledge.map((p, i) => ({ document: files[i]!, text: p.text })), question.evidence, FIRST);
        modes[mode] = { passages: searchKnowledge, files, score, ms: elapsed };
      }
      // The reply a visitor would get, through the server's reply path for the bot's draft.
      const startedAt = performance.now();
      const completed = await previewReply(client, botId, question.question);
      replyMs += performance.now() - startedAt;
      const citedDocuments = completed.sources.map((source) => {
        const file = fileByTitle.get(source.documentTitle);
        if (!file) throw new Error(`${question.id}: cited document ${source.documentTitle} is not in the corpus`);
        return file;
      });
      const verdict = judgeReply(question, { text: completed.text, citedDocuments });
      results.push({ question, modes, reply: { text: completed.text, provider: completed.provider, sources: completed.sources, citedDocuments, verdict } });
    }
  } finally {
    await client.dispose();
  }
  const queryMs = performance.now() - queryStartedAt;

  // ── report ──
  const answered = results.filter((r) => r.question.evidence.length > 0);
  const refusedSet = results.filter((r) => r.question.evidence.length === 0);
  const showDetails = (r: QuestionResult) => detailSplit === undefined || r.question.split === detailSplit;

  console.log('');
  console.log(`════════ ${spec.name}: ${corpus.length} documents, ${chunkCount} chunks; ${questions.length} questions (${answerable.length} answerable, ${unanswerable.length} unanswerable) ════════`);
  console.log('');
  console.log(`Retrieval quality over the ${answerable.length} answerable questions (recall@k = at least one relevant passage in the top k)`);
  console.log(table(
    ['mode', 'recall@5', 'recall@10', 'MRR@10', 'nDCG@10', 'hit@1', 'evidence recall@10', 'mean query ms'],
    MODES.map((mode) => {
      const scores = answered.map((r) => r.modes[mode].score);
      return [
        mode.toLowerCase(),
        fixed(mean(scores.map((s) => (hitAt(s, 5) ? 1 : 0)))),
        fixed(mean(scores.map((s) => (hitAt(s, 10) ? 1 : 0)))),
        fixed(mean(scores.map(reciprocalRank))),
        fixed(mean(scores.map(ndcg))),
        fixed(mean(scores.map((s) => (hitAt(s, 1) ? 1 : 0)))),
        fixed(mean(scores.map((s) => evidenceRecallAt(s, 10)))),
        ms(mean(results.map((r) => r.modes[mode].ms))),
      ];
    }),
  ));

  const kinds = [...new Set(answerable.map((q) => q.kind))];
  console.log('');
  console.log('By question kind: retrieval recall@5 and correct replies');
  console.log(table(
    ['kind', 'questions', 'hybrid', 'vector', 'text', 'hybrid MRR@10', 'correct replies'],
    kinds.map((kind) => {
      const ofKind = answered.filter((r) => r.question.kind === kind);
      const recall = (mode: Mode) => ofKind.filter((r) => hitAt(r.modes[mode].score, 5)).length;
      return [kind, String(ofKind.length), ...MODES.map((mode) => `${recall(mode)} = ${fixed(recall(mode) / ofKind.length, 2)}`),
        fixed(mean(ofKind.map((r) => reciprocalRank(r.modes.HYBRID.score)))),
        share(ofKind.filter((r) => r.reply.verdict.correct).length, ofKind.length)];
    }),
  ));

  console.log('');
  console.log('By document (of the first evidence entry)');
  console.log(table(
    ['document', 'questions', 'hybrid recall@5', 'retrieval misses', 'wrong replies'],
    corpus.map((doc) => {
      const ofDoc = answered.filter((r) => r.question.evidence[0]?.document === doc.file);
      const misses = ofDoc.filter((r) => !hitAt(r.modes.HYBRID.score, 5));
      const wrong = ofDoc.filter((r) => !r.reply.verdict.correct);
      return [doc.file, String(ofDoc.length), fixed((ofDoc.length - misses.length) / ofDoc.length, 2),
        misses.map((r) => r.question.id).join(' '), wrong.map((r) => r.question.id).join(' ')];
    }),
  ));

  // The retrieval score alone as the "I don't know" signal, for comparison with the answerer's decisions.
  const unanswerableTop = refusedSet.map((r) => r.modes.HYBRID.passages[0]?.score ?? 0);
  const relevantScore = answered.map((r) => {
    const rank = r.modes.HYBRID.score.firstRelevantRank;
    return rank === null ? null : (r.modes.HYBRID.passages[rank - 1]?.score ?? null);
  });
  console.log('');
  console.log('Retrieval score alone as an "I don\'t know" cut-off (cosine similarity of the offline embedding, 0..1)');
  console.log(table(
    ['scores', 'n', 'min', 'p10', 'p25', 'p50', 'p75', 'p90', 'max'],
    [
      distributionRow('unanswerable: top-1 score', unanswerableTop),
      distributionRow('answerable: top-1 score', answered.map((r) => r.modes.HYBRID.passages[0]?.score ?? 0)),
      distributionRow('answerable: best-ranked relevant passage (top 10)', relevantScore.filter((s): s is number => s !== null)),
    ],
  ));
  console.log(table(
    ['cut-off', 'unanswerable refused', 'answerable kept (relevant passage ≥ cut-off)'],
    thresholdSweep(unanswerableTop, relevantScore, THRESHOLDS).map((row) => [row.threshold.toFixed(2), fixed(row.refused, 2), fixed(row.kept, 2)]),
  ));

  // End to end, per half.
  const groups: [string, QuestionResult[]][] = [...SPLITS.map((split): [string, QuestionResult[]] => [split, results.filter((r) => r.question.split === split)]), ['all', results]];
  console.log('');
  console.log(`Replies through previewReply (top ${ANSWER_PASSAGES} hybrid passages, provider: ${[...new Set(results.map((r) => r.reply.provider))].join(', ')})`);
  console.log(table(
    ['half', 'hybrid recall@5', 'correct replies (answerable)', 'declined although answerable', '… with the answer in the top 5', 'answered, cited right, facts missing', 'wrong citation (of answered)', 'unanswerable declined'],
    groups.map(([name, group]) => {
      const f = replyFigures(group);
      return [name, share(f.recallAt5, f.answerable), share(f.correct, f.answerable), share(f.wronglyDeclined, f.answerable),
        String(f.wronglyDeclinedWithEvidence), String(f.missingFacts), share(f.wrongCitation, f.answered), share(f.declined, f.unanswerable)];
    }),
    'text',
  ));

  const detailed = results.filter(showDetails);
  const misses = detailed
    .filter((r) => r.question.evidence.length > 0 && !hitAt(r.modes.HYBRID.score, 5))
    .sort((a, b) => (b.modes.HYBRID.score.firstRelevantRank ?? 99) - (a.modes.HYBRID.score.firstRelevantRank ?? 99) || a.question.id.localeCompare(b.question.id));
  console.log('');
  console.log(`Hybrid misses at rank 5${detailSplit ? ` (${detailSplit} half)` : ''}: ${misses.length} (${misses.map((r) => r.question.id).join(' ')})`);
  for (const r of misses.slice(0, missesToShow)) {
    const rank = (mode: Mode) => r.modes[mode].score.firstRelevantRank ?? '>10';
    console.log(`  ${r.question.id} [${r.question.kind}] ${r.question.question}`);
    console.log(`    first relevant rank: hybrid ${rank('HYBRID')}, vector ${rank('VECTOR')}, text ${rank('TEXT')}`);
    for (const entry of r.question.evidence) console.log(`    expected ${entry.document}: ${entry.text}`);
    r.modes.HYBRID.passages.slice(0, 3).forEach((p, i) => {
      console.log(`    ${i + 1}. ${fixed(p.score)} ${r.modes.HYBRID.files[i]} › ${p.sectionPath.slice(1).join(' › ') || '(top)'}: ${snippet(p.text)}`);
    });
  }
  if (misses.length > missesToShow) console.log(`  (${misses.length - missesToShow} more; --misses N prints more)`);

  const wrong = detailed.filter((r) => !r.reply.verdict.correct);
  console.log('');
  console.log(`Wrong replies${detailSplit ? ` (${detailSplit} half)` : ''}: ${wrong.length} (${wrong.map((r) => r.question.id).join(' ')})`);
  for (const r of wrong.slice(0, missesToShow)) {
    const v = r.reply.verdict;
    const why = r.question.evidence.length === 0 ? 'answered an unanswerable question'
      : v.declined ? `declined (answer at hybrid rank ${r.modes.HYBRID.score.firstRelevantRank ?? '>10'})`
        : v.wrongCitation ? `cited ${r.reply.citedDocuments.join(', ')} instead of ${r.question.evidence.map((e) => e.document).join(', ')}`
          : 'facts missing';
    console.log(`  ${r.question.id} [${r.question.kind}] ${r.question.question}: ${why}`);
    if (r.question.facts) console.log(`    facts: ${r.question.facts.join(' | ')}`);
    else for (const entry of r.question.evidence) console.log(`    expected ${entry.document}: ${entry.text}`);
    console.log(`    reply: ${snippet(r.reply.text, 300)}`);
  }
  if (wrong.length > missesToShow) console.log(`  (${wrong.length - missesToShow} more; --misses N prints more)`);

  console.log('');
  console.log(table(['timing', ''], [
    ['ingestion', `${(ingestMs / 1000).toFixed(2)} s for ${corpus.length} documents, ${chunkCount} chunks (${ms(ingestMs / chunkCount)} ms per chunk)`],
    ['queries', `${results.length * MODES.length} searchKnowledge requests and ${results.length} previewReply replies in ${(queryMs / 1000).toFixed(2)} s, one at a time; mean reply ${ms(replyMs / results.length)} ms`],
  ], 'text'));

  const summary = groups.map(([name, group]) => {
    const f = replyFigures(group);
    return [spec.name, name, `${f.answerable} + ${f.unanswerable}`, fixed(f.recallAt5 / f.answerable), percent(f.correct, f.answerable),
      percent(f.declined, f.unanswerable), percent(f.wrongCitation, f.answered)];
  });
  return { results, summary };
}

// ───────────────────────────── the run ─────────────────────────────

async function main(): Promise<number> {
  const runStartedAt = performance.now();
  const server = await startTestServer();
  const serverStartMs = performance.now() - runStartedAt;
  try {
    console.log('RAG evaluation (bench/rag-eval): retrieval and end-to-end replies');
    console.log(table(['environment', ''], [
      ['node', `${process.version} (${process.platform}/${process.arch})`],
      ['cpu', `${availableParallelism()} cores available, ${cpus()[0]?.model.trim() ?? '?'}`],
      ['database', await describeDatabase(server)],
      ['setup', `one tenant and bot per corpus, draft scope; searchKnowledge first ${FIRST}; replies by previewReply`],
    ], 'text'));

    const all: { corpus: string; results: QuestionResult[] }[] = [];
    const summary: string[][] = [];
    for (const spec of selected) {
      const outcome = await evaluateCorpus(server, spec);
      all.push({ corpus: spec.name, results: outcome.results });
      summary.push(...outcome.summary);
    }

    console.log('');
    console.log(`Summary (targets: hybrid recall@5 ≥ ${TARGETS.hybridRecallAt5}, correct replies ≥ ${TARGETS.correctAnswerable * 100} % of answerable, ` +
      `unanswerable declined ≥ ${TARGETS.declinedUnanswerable * 100} %, wrong citations ≤ ${TARGETS.wrongCitation * 100} % of answered)`);
    console.log(table(['corpus', 'half', 'questions', 'hybrid recall@5', 'correct replies', 'unanswerable declined', 'wrong citation'], summary));

    if (flags.json) {
      await writeFile(flags.json, JSON.stringify(all.flatMap(({ corpus, results }) => results.map((r) => ({
        corpus,
        id: r.question.id,
        kind: r.question.kind,
        split: r.question.split,
        question: r.question.question,
        evidence: r.question.evidence,
        facts: r.question.facts ?? null,
        reply: r.reply,
        modes: Object.fromEntries(MODES.map((mode) => [mode, {
          firstRelevantRank: r.modes[mode].score.firstRelevantRank,
          ndcg: ndcg(r.modes[mode].score),
          passages: r.modes[mode].passages.map((p, i) => ({
            document: r.modes[mode].files[i], sectionPath: p.sectionPath, score: p.score, relevant: r.modes[mode].score.relevant[i], text: p.text,
          })),
        }])),
      }))), null, 2));
      console.log(`\n(rankings and replies written to ${flags.json})`);
    }
    console.log('');
    console.log(`server start ${ms(serverStartMs)} ms; total ${((performance.now() - runStartedAt) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed; if some handle still keeps the process alive, say so and leave anyway.
    setTimeout(() => {
      console.error('eval-rag: handles still open 2 s after teardown; exiting anyway');
      process.exit(code);
    }, 2000).unref();
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
