/**
 * Retrieval evaluation on the rag-eval set (bench/rag-eval/README.md): ingests the 14 corpus documents
 * into a fresh bot through the public API (addKnowledgeText), runs every question through
 * searchKnowledge in each mode (HYBRID, VECTOR, TEXT; first 10) and judges the passages against the
 * questions' evidence strings. Prints recall/MRR/nDCG per mode, hybrid recall@5 per question kind,
 * the score distributions that inform the "I don't know" threshold, how the offline answerer does on
 * the top 5 hybrid passages, the worst misses and the timing.
 *
 *   npm run eval:rag                                  embedded: in-memory PGlite
 *   DATABASE_URL=postgres://… npm run eval:rag        a fresh database on that PostgreSQL, dropped afterwards
 *   npm run eval:rag -- --misses 30 --json out.json   more misses; every question's rankings as JSON
 *
 * Exit code 0 once the report is printed (a missed target is not an error), 1 on any error, 2 for bad options.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { composeExtractiveAnswer, type SourcePassage } from '@mascot/knowledge-core';
import { signUpAccount } from '../../server/src/test/fixtures.ts';
import { graphqlOk } from '../../server/src/test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, CREATE_BOT } from '../../server/src/test/operations.ts';
import { startTestServer, type TestServer } from '../../server/src/test/test-server.ts';
import { ms, percentile, table } from '../stats.ts';
import {
  evidenceRecallAt,
  hitAt,
  mean,
  ndcg,
  normalizeWhitespace,
  reciprocalRank,
  scoreRanking,
  thresholdSweep,
  type Evidence,
  type RankingScore,
} from './metrics.ts';

// ───────────────────────────── options ─────────────────────────────

const env = process.env;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS_DIR = path.join(HERE, 'corpus');
const QUESTIONS_FILE = path.join(HERE, 'questions.json');

const { values: flags } = parseArgs({
  options: {
    misses: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (flags.help) {
  console.log(`Usage: npm run eval:rag -- [options]
  --misses N     hybrid misses at rank 5 to print in detail (default 10, 0 for none)
  --json FILE    also write every question's rankings and judgements to FILE
DATABASE_URL selects a real PostgreSQL (a fresh database, dropped afterwards); else embedded PGlite.`);
  process.exit(0);
}

const missesToShow = flags.misses === undefined ? 10 : Number(flags.misses);
if (!Number.isInteger(missesToShow) || missesToShow < 0) {
  console.error(`Invalid value ${JSON.stringify(flags.misses)} for --misses: expected an integer ≥ 0.`);
  process.exit(2);
}

const MODES = ['HYBRID', 'VECTOR', 'TEXT'] as const;
type Mode = (typeof MODES)[number];
const FIRST = 10;
/** What the reply pipeline hands the answerer: retrievePassages' default limit, hybrid. */
const ANSWER_PASSAGES = 5;
const TARGET_HYBRID_RECALL_AT_5 = 0.9;
const THRESHOLDS = Array.from({ length: 11 }, (_, i) => 0.1 + i * 0.05);

const SEARCH_KNOWLEDGE = /* GraphQL */ `
  query Search($botId: ID!, $query: String!, $mode: RetrievalMode!, $first: Int!) {
    searchKnowledge(botId: $botId, query: $query, mode: $mode, scope: DRAFT, first: $first) {
      id documentId documentTitle sectionPath text score
    }
  }`;

// ───────────────────────────── data ─────────────────────────────

interface Question {
  id: string;
  question: string;
  evidence: Evidence[];
  kind: string;
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

interface QuestionResult {
  question: Question;
  modes: Record<Mode, ModeResult>;
  answer: { grounded: boolean; citesRelevant: boolean; text: string };
}

async function loadCorpus(): Promise<CorpusDocument[]> {
  const files = (await readdir(CORPUS_DIR)).filter((file) => file.endsWith('.md')).sort();
  return Promise.all(files.map(async (file) => {
    const text = await readFile(path.join(CORPUS_DIR, file), 'utf8');
    const title = /^#[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(text)?.[1];
    if (!title) throw new Error(`${file}: no "# " title heading`);
    return { file, title, text };
  }));
}

async function loadQuestions(corpus: readonly CorpusDocument[]): Promise<Question[]> {
  const questions = JSON.parse(await readFile(QUESTIONS_FILE, 'utf8')) as Question[];
  const texts = new Map(corpus.map((doc) => [doc.file, normalizeWhitespace(doc.text)]));
  for (const q of questions) {
    for (const entry of q.evidence) {
      const text = texts.get(entry.document);
      if (text === undefined) throw new Error(`${q.id}: evidence document ${entry.document} is not in corpus/`);
      if (!text.includes(normalizeWhitespace(entry.text))) throw new Error(`${q.id}: evidence not found in ${entry.document}: ${entry.text}`);
    }
  }
  return questions;
}

// ───────────────────────────── reporting helpers ─────────────────────────────

const fixed = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const share = (count: number, total: number) => `${count}/${total} (${total ? ((count / total) * 100).toFixed(1) : '–'} %)`;
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

// ───────────────────────────── the run ─────────────────────────────

async function main(): Promise<number> {
  const runStartedAt = performance.now();
  const corpus = await loadCorpus();
  const questions = await loadQuestions(corpus);
  const answerable = questions.filter((q) => q.evidence.length > 0);
  const unanswerable = questions.filter((q) => q.evidence.length === 0);

  const server = await startTestServer();
  const serverStartMs = performance.now() - runStartedAt;
  try {
    const owner = await signUpAccount(server.graphqlUrl, 'Northwind Bikes');
    const token = owner.accessToken;
    const { createBot } = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: 'Pip' } }, token);
    const botId: string = createBot.id;

    // Ingestion, one document at a time in file-name order.
    const fileById = new Map<string, string>();
    let chunkCount = 0;
    const ingestStartedAt = performance.now();
    for (const doc of corpus) {
      const { addKnowledgeText } = await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId, input: { title: doc.title, text: doc.text } }, token);
      fileById.set(addKnowledgeText.id, doc.file);
      chunkCount += addKnowledgeText.chunkCount as number;
    }
    const ingestMs = performance.now() - ingestStartedAt;

    // Retrieval: every question in every mode, one request at a time.
    const results: QuestionResult[] = [];
    const queryStartedAt = performance.now();
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
      // The offline answerer, as the reply pipeline runs it: the top 5 hybrid passages.
      const top = modes.HYBRID.passages.slice(0, ANSWER_PASSAGES);
      const answer = composeExtractiveAnswer({
        question: question.question,
        passages: top.map((p): SourcePassage => ({ id: p.id, documentTitle: p.documentTitle, sectionPath: p.sectionPath, text: p.text, score: p.score })),
        voice: { botName: 'Pip', tone: 'friendly' },
      });
      const relevantIds = new Set(top.filter((_, i) => modes.HYBRID.score.relevant[i]).map((p) => p.id));
      results.push({
        question,
        modes,
        answer: { grounded: answer.grounded, citesRelevant: answer.citations.some((c) => relevantIds.has(c.passageId)), text: answer.text },
      });
    }
    const queryMs = performance.now() - queryStartedAt;
    const database = await describeDatabase(server);

    // ── report ──
    const answered = results.filter((r) => r.question.evidence.length > 0);
    const refusedSet = results.filter((r) => r.question.evidence.length === 0);
    const hybridHit5 = mean(answered.map((r) => (hitAt(r.modes.HYBRID.score, 5) ? 1 : 0)));

    console.log('RAG retrieval evaluation (bench/rag-eval)');
    console.log(table(['environment', ''], [
      ['node', `${process.version} (${process.platform}/${process.arch})`],
      ['cpu', `${availableParallelism()} cores available, ${cpus()[0]?.model.trim() ?? '?'}`],
      ['database', database],
      ['corpus', `${corpus.length} documents, ${chunkCount} chunks (chunkText defaults), one bot, draft scope`],
      ['questions', `${questions.length}: ${answerable.length} answerable, ${unanswerable.length} unanswerable; searchKnowledge first: ${FIRST}`],
    ], 'text'));

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
    console.log(`target: hybrid recall@5 ≥ ${TARGET_HYBRID_RECALL_AT_5.toFixed(2)}: ${hybridHit5 >= TARGET_HYBRID_RECALL_AT_5 ? 'met' : 'MISSED'} (${fixed(hybridHit5)})`);

    const kinds = [...new Set(answerable.map((q) => q.kind))];
    console.log('');
    console.log('recall@5 by question kind');
    console.log(table(
      ['kind', 'questions', 'hybrid', 'vector', 'text', 'hybrid MRR@10'],
      kinds.map((kind) => {
        const ofKind = answered.filter((r) => r.question.kind === kind);
        const recall = (mode: Mode) => ofKind.filter((r) => hitAt(r.modes[mode].score, 5)).length;
        return [kind, String(ofKind.length), ...MODES.map((mode) => `${recall(mode)} = ${fixed(recall(mode) / ofKind.length, 2)}`),
          fixed(mean(ofKind.map((r) => reciprocalRank(r.modes.HYBRID.score))))];
      }),
    ));

    console.log('');
    console.log('hybrid recall@5 by document (of the first evidence entry)');
    console.log(table(
      ['document', 'questions', 'hybrid recall@5', 'misses'],
      corpus.map((doc) => {
        const ofDoc = answered.filter((r) => r.question.evidence[0]?.document === doc.file);
        const misses = ofDoc.filter((r) => !hitAt(r.modes.HYBRID.score, 5));
        return [doc.file, String(ofDoc.length), fixed((ofDoc.length - misses.length) / ofDoc.length, 2), misses.map((r) => r.question.id).join(' ')];
      }),
    ));

    // The "I don't know" threshold: passage scores are the cosine similarity of the offline embedding.
    const unanswerableTop = refusedSet.map((r) => r.modes.HYBRID.passages[0]?.score ?? 0);
    const answerableTop = answered.map((r) => r.modes.HYBRID.passages[0]?.score ?? 0);
    const relevantScore = answered.map((r) => {
      const rank = r.modes.HYBRID.score.firstRelevantRank;
      return rank === null ? null : (r.modes.HYBRID.passages[rank - 1]?.score ?? null);
    });
    const foundScores = relevantScore.filter((s): s is number => s !== null);
    console.log('');
    console.log('"I don\'t know" threshold: hybrid passage scores (cosine similarity of the offline embedding, 0..1)');
    console.log(table(
      ['scores', 'n', 'min', 'p10', 'p25', 'p50', 'p75', 'p90', 'max'],
      [
        distributionRow('unanswerable: top-1 score', unanswerableTop),
        distributionRow('answerable: top-1 score', answerableTop),
        distributionRow('answerable: best-ranked relevant passage (top 10)', foundScores),
      ],
    ));
    console.log(table(
      ['cut-off', 'unanswerable refused', 'answerable kept (relevant passage ≥ cut-off)'],
      thresholdSweep(unanswerableTop, relevantScore, THRESHOLDS).map((row) => [
        row.threshold.toFixed(2), fixed(row.refused, 2), fixed(row.kept, 2),
      ]),
    ));
    console.log(table(
      ['unanswerable', 'top-1 score', 'top-1 passage', 'answerer'],
      refusedSet.map((r) => {
        const top = r.modes.HYBRID.passages[0];
        return [
          `${r.question.id} ${snippet(r.question.question, 60)}`,
          fixed(top?.score ?? Number.NaN),
          top ? `${r.modes.HYBRID.files[0]}: ${snippet(top.text, 50)}` : '–',
          r.answer.grounded ? 'answered' : 'refused',
        ];
      }),
      'text',
    ));

    const groundedAnswerable = answered.filter((r) => r.answer.grounded);
    const citingRelevant = answered.filter((r) => r.answer.citesRelevant);
    const refusedWithEvidence = answered.filter((r) => !r.answer.grounded && hitAt(r.modes.HYBRID.score, ANSWER_PASSAGES));
    const correctlyRefused = refusedSet.filter((r) => !r.answer.grounded);
    console.log('');
    console.log(`Offline answerer (composeExtractiveAnswer on the top ${ANSWER_PASSAGES} hybrid passages, MIN_GROUNDED_RELEVANCE)`);
    console.log(table(['outcome', 'share'], [
      ['answerable answered (grounded)', share(groundedAnswerable.length, answered.length)],
      ['answerable answered citing a relevant passage', share(citingRelevant.length, answered.length)],
      ['answerable refused although a relevant passage was in the top 5', share(refusedWithEvidence.length, answered.length)],
      ['unanswerable correctly refused', share(correctlyRefused.length, refusedSet.length)],
    ], 'text'));

    // The worst hybrid misses first: nothing relevant in the top 10, then the latest first relevant rank.
    const misses = answered
      .filter((r) => !hitAt(r.modes.HYBRID.score, 5))
      .sort((a, b) => (b.modes.HYBRID.score.firstRelevantRank ?? 99) - (a.modes.HYBRID.score.firstRelevantRank ?? 99) || a.question.id.localeCompare(b.question.id));
    console.log('');
    console.log(`Hybrid misses at rank 5: ${misses.length} (${misses.map((r) => r.question.id).join(' ')})`);
    for (const r of misses.slice(0, missesToShow)) {
      const rank = (mode: Mode) => r.modes[mode].score.firstRelevantRank ?? '>10';
      console.log('');
      console.log(`${r.question.id} [${r.question.kind}] ${r.question.question}`);
      console.log(`  first relevant rank: hybrid ${rank('HYBRID')}, vector ${rank('VECTOR')}, text ${rank('TEXT')}`);
      for (const entry of r.question.evidence) console.log(`  expected ${entry.document}: ${entry.text}`);
      r.modes.HYBRID.passages.slice(0, 3).forEach((p, i) => {
        console.log(`  ${i + 1}. ${fixed(p.score)} ${r.modes.HYBRID.files[i]} › ${p.sectionPath.slice(1).join(' › ') || '(top)'}: ${snippet(p.text)}`);
      });
    }
    if (misses.length > missesToShow) console.log(`\n(${misses.length - missesToShow} more; --misses N prints more)`);

    if (flags.json) {
      await writeFile(flags.json, JSON.stringify(results.map((r) => ({
        id: r.question.id,
        kind: r.question.kind,
        question: r.question.question,
        evidence: r.question.evidence,
        answer: r.answer,
        modes: Object.fromEntries(MODES.map((mode) => [mode, {
          firstRelevantRank: r.modes[mode].score.firstRelevantRank,
          ndcg: ndcg(r.modes[mode].score),
          passages: r.modes[mode].passages.map((p, i) => ({
            document: r.modes[mode].files[i], sectionPath: p.sectionPath, score: p.score, relevant: r.modes[mode].score.relevant[i], text: p.text,
          })),
        }])),
      })), null, 2));
      console.log(`\n(rankings written to ${flags.json})`);
    }

    console.log('');
    console.log(table(['timing', ''], [
      ['server start', `${ms(serverStartMs)} ms`],
      ['ingestion', `${(ingestMs / 1000).toFixed(2)} s for ${corpus.length} documents, ${chunkCount} chunks (${ms(ingestMs / chunkCount)} ms per chunk)`],
      ['queries', `${results.length * MODES.length} searchKnowledge requests in ${(queryMs / 1000).toFixed(2)} s, one at a time; mean ms: ${MODES.map((mode) => `${mode.toLowerCase()} ${ms(mean(results.map((r) => r.modes[mode].ms)))}`).join(', ')}`],
      ['total', `${((performance.now() - runStartedAt) / 1000).toFixed(1)} s including server start`],
    ], 'text'));
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
