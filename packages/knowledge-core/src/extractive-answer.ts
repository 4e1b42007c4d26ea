// The offline answerer: quote the 1–3 passage sentences that best answer the question,
// cite them, and say honestly when nothing relevant was retrieved. It never generates
// facts: apart from a fixed opener or "I don't know" phrase, every word comes from a
// passage, and every quoted sentence carries its citation marker.

import { analyzeTerms } from './analyze-terms.ts';
import { openerFor, unknownReplyFor, type AnswerVoice } from './answer-voice.ts';
import { cosineSimilarity } from './cosine-similarity.ts';
import { embedText } from './offline-embedder.ts';
import { collectQuoteCandidates, type QuoteCandidate, type SourcePassage } from './quote-candidates.ts';
import { joinQuotes, truncateSnippet } from './quote-text.ts';

export type { AnswerTone, AnswerVoice } from './answer-voice.ts';
export type { SourcePassage } from './quote-candidates.ts';

export type Citation = { passageId: string; documentTitle: string; snippet: string; marker: number };
export type ExtractiveAnswer = { text: string; grounded: boolean; citations: Citation[] };

/**
 * Below this relevance (0..1) the best sentence is not an answer and the reply says so.
 * Relevance = 0.6 × weighted share of the question's terms found in the sentence (or, for
 * half credit, in its title/headings) + 0.3 × embedding cosine + 0.1 × retrieval score.
 * A question whose topic words are absent scores about 0.05–0.2; one whose main terms
 * are all present scores 0.6 and up.
 */
export const MIN_GROUNDED_RELEVANCE = 0.3;

const WEIGHTS = { lexical: 0.6, semantic: 0.3, retrieval: 0.1 } as const;
const CONTEXT_CREDIT = 0.5;
const PREFIX_CREDIT = 0.8;
const MAX_SENTENCES = 3;
// Further sentences must be nearly as relevant as the best one, so they add to the
// answer instead of drifting to a neighbouring topic.
const FOLLOW_RATIO = 0.75;
const MAX_ANSWER_CHARS = 600;
const DUPLICATE_OVERLAP = 0.6;

type Scored = QuoteCandidate & { stems: Set<string>; lexical: number; relevance: number };

// Exact stem match, or a stem that is a prefix of the other but for a short ending
// ("deliver"/"deliveri", "config"/"configur"), which catches what the light stemmer leaves
// apart without letting "world" match "worldwide".
function matchCredit(stem: string, stems: ReadonlySet<string>): number {
  if (stems.has(stem)) return 1;
  for (const other of stems) {
    const [shorter, longer] = other.length < stem.length ? [other, stem] : [stem, other];
    if (shorter.length >= 4 && longer.length - shorter.length <= 2 && longer.startsWith(shorter)) return PREFIX_CREDIT;
  }
  return 0;
}

function stemSet(text: string): Set<string> {
  return new Set(analyzeTerms(text).map((term) => term.stem));
}

function scoreCandidates(question: string, candidates: readonly QuoteCandidate[], passages: readonly SourcePassage[]): Scored[] {
  const questionStemSet = stemSet(question);
  const questionStems = [...questionStemSet];
  const questionVector = embedText(question);
  const stems = candidates.map((candidate) => stemSet(candidate.text));
  // IDF over the candidate sentences (BM25 form, always positive): a question term found in
  // every sentence says little, one found nowhere counts fully against coverage.
  const idf = new Map(questionStems.map((stem) => {
    const df = stems.filter((set) => set.has(stem)).length;
    return [stem, Math.log(1 + (candidates.length - df + 0.5) / (df + 0.5))];
  }));
  const totalWeight = [...idf.values()].reduce((sum, weight) => sum + weight, 0);
  return candidates.map((candidate, i) => {
    const own = stems[i] ?? new Set<string>();
    const context = stemSet(candidate.context);
    let covered = 0;
    for (const stem of questionStems) {
      const credit = Math.max(matchCredit(stem, own), CONTEXT_CREDIT * matchCredit(stem, context));
      covered += credit * (idf.get(stem) ?? 0);
    }
    const lexical = totalWeight > 0 ? covered / totalWeight : 0;
    const semantic = Math.max(0, cosineSimilarity(questionVector, embedText(`${candidate.context}\n${candidate.text}`)));
    const retrieval = Math.min(1, Math.max(0, passages[candidate.passageIndex]?.score ?? 0));
    // A label that only repeats the question ("Opening hours") names the answer without giving it.
    // (A full sentence that does, "We ship to Canada.", is a fine answer to "Do you ship to Canada?")
    const echoesQuestion = candidate.isLabel && [...own].every((stem) => questionStemSet.has(stem));
    const relevance = echoesQuestion ? 0 : WEIGHTS.lexical * lexical + WEIGHTS.semantic * semantic + WEIGHTS.retrieval * retrieval;
    return { ...candidate, stems: own, lexical, relevance };
  });
}

function isNearDuplicate(a: Scored, b: Scored): boolean {
  const shared = [...a.stems].filter((stem) => b.stems.has(stem)).length;
  const union = new Set([...a.stems, ...b.stems]).size;
  return union === 0 ? a.text === b.text : shared / union >= DUPLICATE_OVERLAP;
}

function selectSentences(scored: readonly Scored[]): Scored[] {
  const ranked = [...scored].sort((a, b) => b.relevance - a.relevance || a.passageIndex - b.passageIndex || a.position - b.position);
  const best = ranked[0];
  if (!best || best.relevance < MIN_GROUNDED_RELEVANCE) return [];
  const chosen = [best];
  let length = best.text.length;
  for (const candidate of ranked.slice(1)) {
    if (chosen.length >= MAX_SENTENCES || candidate.relevance < best.relevance * FOLLOW_RATIO) break;
    if (chosen.some((kept) => isNearDuplicate(kept, candidate)) || length + candidate.text.length > MAX_ANSWER_CHARS) continue;
    chosen.push(candidate);
    length += candidate.text.length;
  }
  return chosen;
}

// "It includes five mascots." says nothing on its own. A chosen sentence that opens with a
// pronoun brings the sentence before it (which names the subject), and a chosen sentence
// followed by such a continuation brings it along when it shares a question term.
const OPENS_WITH_PRONOUN = /^(it|its|this|that|these|those|they|their|there|he|she|both|each)\b/i;

function withContinuity(chosen: readonly Scored[], scored: readonly Scored[]): Scored[] {
  const result = [...chosen];
  const neighbour = (sentence: Scored, offset: number): Scored | undefined =>
    scored.find((c) => c.passageIndex === sentence.passageIndex && c.position === sentence.position + offset);
  // At most one sentence beyond MAX_SENTENCES, so the answer stays short.
  const add = (sentence: Scored | undefined): void => {
    if (sentence && !result.includes(sentence) && result.length <= MAX_SENTENCES) result.push(sentence);
  };
  for (const sentence of chosen) {
    if (OPENS_WITH_PRONOUN.test(sentence.text)) add(neighbour(sentence, -1));
    const next = neighbour(sentence, 1);
    if (next && next.lexical > 0 && OPENS_WITH_PRONOUN.test(next.text)) add(next);
  }
  return result;
}

// Readable order: passages in order of their best sentence, sentences in reading order.
function groupByPassage(chosen: readonly Scored[]): Scored[][] {
  const groups = new Map<number, Scored[]>();
  for (const sentence of chosen) groups.set(sentence.passageIndex, [...(groups.get(sentence.passageIndex) ?? []), sentence]);
  return [...groups.values()].map((group) => group.sort((a, b) => a.position - b.position));
}

// "It costs $29." + [1] -> "It costs $29 [1]." so the marker sits inside the sentence.
function withMarker(text: string, marker: number): string {
  const ending = /([.!?…]+["'”’)\]]*)$/.exec(text);
  if (!ending) return `${text} [${marker}]`;
  return `${text.slice(0, ending.index)} [${marker}]${ending[1] ?? ''}`;
}

/** Compose a cited, extractive answer to `question` from the retrieved `passages`. */
export function composeExtractiveAnswer(input: {
  question: string;
  passages: SourcePassage[];
  voice: AnswerVoice;
}): ExtractiveAnswer {
  const { question, passages, voice } = input;
  const candidates = collectQuoteCandidates(passages);
  const scored = scoreCandidates(question, candidates, passages);
  const chosen = withContinuity(selectSentences(scored), scored);
  if (chosen.length === 0) return { text: unknownReplyFor(voice), grounded: false, citations: [] };

  const citations: Citation[] = [];
  const body = groupByPassage(chosen).map((group) => {
    const passage = passages[group[0]?.passageIndex ?? 0] as SourcePassage;
    const marker = citations.length + 1;
    const quoted = group.map((sentence) => sentence.text);
    citations.push({ passageId: passage.id, documentTitle: passage.documentTitle, snippet: truncateSnippet(joinQuotes(quoted)), marker });
    return joinQuotes([...quoted.slice(0, -1), withMarker(quoted[quoted.length - 1] ?? '', marker)]);
  });
  const opener = openerFor(voice, question);
  return { text: [opener, joinQuotes(body)].filter((part) => part !== '').join(' '), grounded: true, citations };
}
