/**
 * Relevance judgement and ranking metrics of the rag-eval set (see bench/rag-eval/README.md).
 * Pure functions, no I/O, so they are unit-tested on their own (metrics.test.ts).
 *
 * A retrieved chunk is relevant to a question when it comes from an evidence entry's document and,
 * after whitespace normalization, contains that entry's text. Gains are binary and each distinct
 * evidence entry is credited once: a chunk gains 1 when it contains an entry that no better-ranked
 * chunk contained already. So two overlapping chunks that both hold the same sentence count once,
 * and nDCG stays within 0..1 with the ideal ranking "one chunk per distinct entry".
 */

export interface Evidence {
  /** File name in corpus/. */
  document: string;
  /** Exact substring of that file (6 to 20 words). */
  text: string;
}

export interface JudgedChunk {
  /** File name in corpus/ of the chunk's document. */
  document: string;
  text: string;
}

/** Every run of whitespace collapsed to one space, both ends trimmed. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Evidence entries without repeats (same document and the same normalized text), in order. */
export function distinctEvidence(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const distinct: Evidence[] = [];
  for (const entry of evidence) {
    const key = `${entry.document}\u0000${normalizeWhitespace(entry.text)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(entry);
  }
  return distinct;
}

/** Indices into `evidence` of the entries the chunk contains. */
export function matchedEvidence(chunk: JudgedChunk, evidence: readonly Evidence[]): number[] {
  const text = normalizeWhitespace(chunk.text);
  const matched: number[] = [];
  evidence.forEach((entry, i) => {
    if (entry.document === chunk.document && text.includes(normalizeWhitespace(entry.text))) matched.push(i);
  });
  return matched;
}

export interface RankingScore {
  /** 1-based rank of the first relevant chunk within the ranking, null when none is relevant. */
  firstRelevantRank: number | null;
  /** Number of distinct evidence entries of the question. */
  evidenceCount: number;
  /** Relevant-or-not per rank (index 0 = rank 1). */
  relevant: boolean[];
  /** Distinct evidence entries covered by the top k, for k = 1..ranking length (index k-1). */
  coveredAt: number[];
  /** Discounted cumulative gain over the whole ranking (callers pass the top 10). */
  dcg: number;
  /** Ideal DCG: one relevant chunk per distinct evidence entry, at most `cutoff` of them. */
  idcg: number;
}

/**
 * Judges a ranking (best first) against a question's evidence. Only the first `cutoff` chunks count.
 * A question without evidence (unanswerable) gets firstRelevantRank null and idcg 0.
 */
export function scoreRanking(ranked: readonly JudgedChunk[], evidence: readonly Evidence[], cutoff = 10): RankingScore {
  const entries = distinctEvidence(evidence);
  const credited = new Set<number>();
  const relevant: boolean[] = [];
  const coveredAt: number[] = [];
  let dcg = 0;
  let firstRelevantRank: number | null = null;
  ranked.slice(0, cutoff).forEach((chunk, i) => {
    const matched = matchedEvidence(chunk, entries);
    relevant.push(matched.length > 0);
    if (matched.length > 0) firstRelevantRank ??= i + 1;
    const fresh = matched.filter((index) => !credited.has(index));
    for (const index of fresh) credited.add(index);
    if (fresh.length > 0) dcg += 1 / Math.log2(i + 2);
    coveredAt.push(credited.size);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(entries.length, cutoff); i++) idcg += 1 / Math.log2(i + 2);
  return { firstRelevantRank, evidenceCount: entries.length, relevant, coveredAt, dcg, idcg };
}

/** At least one relevant chunk in the top k (the "recall@k" of the target). */
export function hitAt(score: RankingScore, k: number): boolean {
  return score.firstRelevantRank !== null && score.firstRelevantRank <= k;
}

/** Share of the question's distinct evidence entries found in the top k. */
export function evidenceRecallAt(score: RankingScore, k: number): number {
  if (score.evidenceCount === 0) return 0;
  const covered = score.coveredAt[Math.min(k, score.coveredAt.length) - 1] ?? 0;
  return covered / score.evidenceCount;
}

/** 1 / rank of the first relevant chunk, 0 when none. */
export function reciprocalRank(score: RankingScore): number {
  return score.firstRelevantRank === null ? 0 : 1 / score.firstRelevantRank;
}

export function ndcg(score: RankingScore): number {
  return score.idcg === 0 ? 0 : score.dcg / score.idcg;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export interface ThresholdRow {
  threshold: number;
  /** Share of unanswerable questions whose best score is below the threshold (correctly refused). */
  refused: number;
  /** Share of answerable questions whose relevant passage scores at or above it (still answered). */
  kept: number;
}

/**
 * For a cut-off on the retrieval score: how many unanswerable questions it would refuse and how many
 * answerable ones it would keep. `answerableScores` holds, per answerable question, the score of its
 * best-ranked relevant passage, or null when none was retrieved (such a question is never kept).
 */
export function thresholdSweep(
  unanswerableTopScores: readonly number[],
  answerableScores: readonly (number | null)[],
  thresholds: readonly number[],
): ThresholdRow[] {
  return thresholds.map((threshold) => ({
    threshold,
    refused: unanswerableTopScores.length === 0 ? Number.NaN
      : unanswerableTopScores.filter((score) => score < threshold).length / unanswerableTopScores.length,
    kept: answerableScores.length === 0 ? Number.NaN
      : answerableScores.filter((score) => score !== null && score >= threshold).length / answerableScores.length,
  }));
}

// ───────────────────────────── end-to-end reply judgement ─────────────────────────────

/** What a finished reply is judged on: its text and the documents (file names) it cites. */
export interface JudgedReply {
  text: string;
  citedDocuments: string[];
}

export interface ReplyVerdict {
  /** The reply cites nothing: it said it does not know. */
  declined: boolean;
  /** Every required fact appears in the reply. */
  factsFound: boolean;
  /** At least one citation is of a document that holds the answer. */
  citesExpected: boolean;
  /** Answered, and none of its citations is of a document that holds the answer. */
  wrongCitation: boolean;
  /** Answerable: answered with every fact and an expected citation. Unanswerable: declined. */
  correct: boolean;
}

const NUMBER = /\$?\d[\d,]*(?:\.\d+)?%?/g;
const FACT_WORD = /[a-z][a-z'-]{3,}/g;
const FACT_STOP_WORDS = new Set(['with', 'from', 'that', 'this', 'your', 'have', 'will', 'each', 'they', 'them', 'when', 'what', 'their', 'there', 'which', 'into', 'only', 'than', 'then', 'also', 'more', 'most', 'some', 'were', 'been', 'does']);

/** Lowercased, citation markers and Markdown emphasis removed, every dash a hyphen, whitespace collapsed. */
export function normalizeReply(text: string): string {
  return normalizeWhitespace(text.replace(/\s*\[\d+\]/g, '').replace(/\*\*|__/g, '').replace(/[‐-―−]/g, '-').toLowerCase());
}

/**
 * The facts a reply must contain, as fixed strings. Questions that list `facts` use those; older
 * questions that only give evidence (the Northwind set) are judged on their evidence: every number of
 * one entry (prices, periods, counts), or, for an entry without numbers, its content words (at least
 * two thirds of them must appear, see `factsPresent`).
 */
export function requiredFacts(question: { facts?: readonly string[]; evidence: readonly Evidence[] }): { all: string[]; some: string[] }[] {
  if (question.facts && question.facts.length > 0) return [{ all: [...question.facts], some: [] }];
  return question.evidence.map((entry) => {
    const cells = entry.text.replace(/\|/g, ' ');
    const numbers = [...new Set(cells.match(NUMBER) ?? [])];
    if (numbers.length > 0) return { all: numbers, some: [] };
    const words = [...new Set((cells.toLowerCase().match(FACT_WORD) ?? []).filter((word) => !FACT_STOP_WORDS.has(word)))];
    return { all: [], some: words };
  });
}

function containsFact(reply: string, fact: string): boolean {
  const wanted = normalizeReply(fact);
  // A number must stand alone: "5" is not found in "15" or "5.20".
  if (/^\$?\d/.test(wanted)) {
    const escaped = wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\d.,])${escaped}(?![\\d]|[.,]\\d)`).test(reply);
  }
  return reply.includes(wanted);
}

/** True when the reply holds one of the alternatives `requiredFacts` returns. */
export function factsPresent(replyText: string, alternatives: readonly { all: readonly string[]; some: readonly string[] }[]): boolean {
  const reply = normalizeReply(replyText);
  return alternatives.some(({ all, some }) => {
    if (!all.every((fact) => containsFact(reply, fact))) return false;
    if (some.length === 0) return true;
    return some.filter((word) => reply.includes(word)).length >= Math.ceil((2 / 3) * some.length);
  });
}

/** Judges one reply: declines by its citations, answers by facts and cited documents. */
export function judgeReply(question: { facts?: readonly string[]; evidence: readonly Evidence[] }, reply: JudgedReply): ReplyVerdict {
  const declined = reply.citedDocuments.length === 0;
  const expected = new Set(question.evidence.map((entry) => entry.document));
  if (expected.size === 0) return { declined, factsFound: false, citesExpected: false, wrongCitation: false, correct: declined };
  const citesExpected = reply.citedDocuments.some((document) => expected.has(document));
  const factsFound = !declined && factsPresent(reply.text, requiredFacts(question));
  return { declined, factsFound, citesExpected, wrongCitation: !declined && !citesExpected, correct: factsFound && citesExpected };
}
