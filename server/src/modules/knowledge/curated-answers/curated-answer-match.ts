import type { EntityManager } from '@mikro-orm/postgresql';
import type { QueryVector } from '../retrieval.service.ts';
import { dimensionsPredicate, vectorExpression } from '../vector-index.ts';

/**
 * When a visitor's question is answered from a curated answer. Two signals, because neither alone
 * separates a rephrased question from a merely related one (measured with the offline embedder on the
 * set in curated-answers.int.test.ts, "the matching test set"):
 * - `similarity`: cosine similarity of the question to the entry's closest variant (its question or a
 *   paraphrase), embedded with the bot's model. Rephrasings scored 0.39–1.0, but so did near misses:
 *   "password" alone 0.76 against "I forgot my password", "Can I reset my router?" 0.50 against "How do I
 *   reset my password?".
 * - lexical coverage: the share of the question's content words (the bot language's full-text lexemes:
 *   stop words dropped, words stemmed) that the entry's own words cover, a typo counting as a match (one
 *   edit, two for long words; a stem prefix of four letters or more). The near misses above ask about
 *   something the entry never mentions ("router"), which coverage sees and similarity does not.
 * A match needs at least two matched content words (a one-word question is too vague to be answered
 * for the team) and either every content word covered with similarity ≥ 0.35 (the lowest rephrasing
 * measured: 0.39), or ≥ 60 % covered with similarity ≥ 0.7: rephrasings that add a word of their own
 * scored 0.81 ("I forgot the password for my account"), questions about a sibling of the entry 0.61–0.67
 * ("What does the Starter plan cost?", "how much does the team plan cost" against the Pro plan's price).
 * Measured with the offline embedder; other models spread similarities differently and were not measured.
 */
export const CURATED_MATCH_THRESHOLDS = {
  fullCoverageMinSimilarity: 0.35,
  partialCoverage: 0.6,
  partialCoverageMinSimilarity: 0.7,
  minMatchedWords: 2,
} as const;

/** Variants compared per question: the nearest few are enough, the rest are further away by vector. */
const CANDIDATE_VARIANTS = 5;

/** Question words that the full-text stop-word lists keep in contracted or informal spellings. */
const INFORMAL_STOP_WORDS = new Set(['what', 'whats', 'how', 'hows', 'where', 'wheres', 'when', 'who', 'whos', 'why', 'pls', 'pleas', 'plz', 'hi', 'hello', 'hey', 'thank', 'thx', 'ok']);

export interface CuratedAnswerMatch {
  /** The revision (its knowledge document id). */
  answerId: string;
  entryId: string;
  question: string;
  answer: string;
  /** The variant the question was closest to. */
  matchedText: string;
  similarity: number;
  coverage: number;
}

export interface CuratedLookupScope {
  tenantId: string;
  botId: string;
  /** The pinned version's knowledge documents: only curated revisions among them can answer. */
  documentIds: readonly string[];
  /** Full-text configuration of the bot's language (searchConfigFor). */
  searchConfig: string;
  /** The published version the documents are (its lookups without curated answers are remembered); none for drafts. */
  versionId?: string;
}

/**
 * Published versions without curated answers (for the model they were looked up with), learnt from
 * lookups that found no variant at all: their later questions skip the query. A version's knowledge
 * never gains documents (deleting one only takes away), so "none" stays true. Bounded like the
 * pinned-version cache; a key is a version id, which belongs to exactly one tenant.
 */
const MAX_REMEMBERED_VERSIONS = 2_000;
const versionsWithout = new Set<string>();

/**
 * The curated answer that answers `question`, if one matches closely enough: one indexed query (the
 * bot's variants of the pinned revisions, ordered by distance to the query vector, with the lexemes of
 * the question and of each candidate entry), then the decision in process.
 */
export async function findCuratedAnswer(
  tx: EntityManager,
  scope: CuratedLookupScope,
  question: string,
  vector: QueryVector,
): Promise<CuratedAnswerMatch | null> {
  if (scope.documentIds.length === 0) return null;
  const remembered = scope.versionId ? `${scope.versionId}\u0000${vector.modelKey}` : null;
  if (remembered && versionsWithout.has(remembered)) return null;
  const embedding = vectorExpression(vector.dimensions, 'v.embedding');
  const rows = await tx.execute<{
    answer_id: string; entry_id: string; question: string; answer: string; text: string; similarity: number;
    query_lexemes: string[]; entry_lexemes: string[]; variant_lexemes: string[];
  }[]>(
    `with documents as (select array(select jsonb_array_elements_text(?::jsonb)::uuid) as ids),
     query as (select tsvector_to_array(to_tsvector(?::regconfig, ?)) as lexemes),
     nearest as (
       select v.answer_id, v.text, 1 - (${embedding} <=> ?::vector(${vector.dimensions})) as similarity
       from curated_answer_variant v, documents
       where v.tenant_id = ? and v.bot_id = ? and v.answer_id = any(documents.ids)
         and v.embedding_model = ? and ${dimensionsPredicate(vector.dimensions, 'v.embedding')}
       order by ${embedding} <=> ?::vector(${vector.dimensions}) limit ${CANDIDATE_VARIANTS}
     )
     select n.answer_id, c.entry_id, c.question, c.answer, n.text, n.similarity, query.lexemes as query_lexemes,
            tsvector_to_array(to_tsvector(?::regconfig, c.question || ' ' || coalesce((select string_agg(p, ' ') from jsonb_array_elements_text(c.paraphrases) p), ''))) as entry_lexemes,
            tsvector_to_array(to_tsvector(?::regconfig, n.text)) as variant_lexemes
     from nearest n join curated_answer c on c.id = n.answer_id and c.tenant_id = ?, query
     order by n.similarity desc`,
    [
      JSON.stringify(scope.documentIds), scope.searchConfig, question,
      vector.literal, scope.tenantId, scope.botId, vector.modelKey, vector.literal,
      scope.searchConfig, scope.searchConfig, scope.tenantId,
    ],
  );
  if (rows.length === 0 && remembered) {
    if (versionsWithout.size >= MAX_REMEMBERED_VERSIONS) versionsWithout.delete(versionsWithout.values().next().value!);
    versionsWithout.add(remembered);
  }
  for (const row of rows) {
    const decision = judgeCuratedMatch(Number(row.similarity), row.query_lexemes, row.entry_lexemes);
    if (decision.matches) {
      return {
        answerId: row.answer_id, entryId: row.entry_id, question: row.question, answer: row.answer,
        matchedText: row.text, similarity: Number(row.similarity), coverage: decision.coverage,
      };
    }
  }
  return null;
}

/** The decision of CURATED_MATCH_THRESHOLDS for one entry, given the lexemes of the question and of the entry. */
export function judgeCuratedMatch(similarity: number, queryLexemes: readonly string[], entryLexemes: readonly string[]) {
  const words = [...new Set(queryLexemes)].filter((w) => !INFORMAL_STOP_WORDS.has(w));
  const vocabulary = [...new Set(entryLexemes)];
  const matched = words.filter((word) => vocabulary.some((known) => sameWord(word, known))).length;
  const coverage = words.length === 0 ? 0 : matched / words.length;
  const t = CURATED_MATCH_THRESHOLDS;
  const matches =
    matched >= t.minMatchedWords &&
    ((coverage === 1 && similarity >= t.fullCoverageMinSimilarity) || (coverage >= t.partialCoverage && similarity >= t.partialCoverageMinSimilarity));
  return { matches, coverage };
}

/** The same word give or take a typo (Damerau–Levenshtein) or an ending the stemmer left (shared prefix). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter >= 4 && (a.startsWith(b) || b.startsWith(a))) return true;
  if (shorter < 4) return false;
  return editDistance(a, b, 2) <= (shorter >= 7 ? 2 : 1);
}

/** Optimal-string-alignment distance (a transposition is one edit), given up beyond `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
