// The offline answerer: quote the sentence (or the two or three) of the retrieved passages that
// answers the question, cite it, and say honestly when the passages do not answer it. It never makes
// up facts: apart from a fixed opener or "I don't know" phrase and a list's own lead-in, every word of
// a reply is quoted from a passage, and each passage quoted carries its citation marker.

import { openerFor, unknownReplyFor, type AnswerVoice } from '../answer-voice.ts';
import { cosineSimilarity } from '../cosine-similarity.ts';
import { embedText } from '../offline-embedder.ts';
import { joinQuotes, truncateSnippet } from '../quote-text.ts';
import { expectedAnswerTypes, holdsAnswerType } from './answer-type.ts';
import { answerConfidence, shouldDecline, type DeclineSignals } from './decline.ts';
import { languageKitFor } from './language.ts';
import { expandQuestion, matchCredit, matchable, words, type MatchableText, type QueryTerm } from './query-terms.ts';
import { collectQuoteCandidates, type QuoteCandidate, type SourcePassage } from './quote-candidates.ts';

export type { SourcePassage } from './quote-candidates.ts';

export interface OfflineCitation {
  passageId: string;
  documentTitle: string;
  snippet: string;
  marker: number;
}

export interface OfflineAnswer {
  text: string;
  grounded: boolean;
  citations: OfflineCitation[];
  /** Why it answered or declined (for tests and the evaluation). */
  signals: DeclineSignals & { confidence: number };
}

/** Relevance of a candidate: word coverage, embedding similarity, retrieval score, asked-for value. */
const WEIGHTS = { lexical: 0.55, semantic: 0.25, retrieval: 0.08, answerType: 0.12 } as const;
const CONTEXT_CREDIT = 0.5;
/** A question sentence (an FAQ's own question) or a bare label names the answer without giving it. */
const QUESTION_FORM_FACTOR = 0.4;
const LABEL_FACTOR = 0.5;
const MISSING_VALUE_FACTOR = 0.75;
const MAX_QUOTES = 3;
const MAX_ANSWER_CHARS = 520;
/** Further quotes must be nearly as relevant as the best one, so they add to it rather than drift. */
const FOLLOW_RATIO = 0.8;
/** A second passage is quoted only when it is about as relevant and answers a part the first does not. */
const SECOND_PASSAGE_RATIO = 0.92;
/** A sentence about the page itself ("This page explains …") names topics without answering any. */
const ABOUT_THE_PAGE = /^(this|the following|on this) (page|section|article|guide|document|faq)\b|^here (you('ll| will| can)|is|are)\b/i;
/** Credit of a question word found only in the sentence before a continuing one ("It costs $60" after "A resident permit…"). */
const ANTECEDENT_CREDIT = 0.75;
const CONTINUATION = /^(it|its|this|that|these|those|they|their|there|he|she|both|each|however|otherwise|if not|but|also|then|after that|in that case|you can also)\b/i;

interface Scored extends QuoteCandidate {
  source: QuoteCandidate;
  own: MatchableText;
  lexical: number;
  relevance: number;
  hasValue: boolean;
}

function termWeights(terms: readonly QueryTerm[], texts: readonly MatchableText[]): number[] {
  // Rarer terms among the candidates weigh more (BM25's IDF, always positive). A term found nowhere
  // weighs as much as the rarest found one, not more, so one stray word does not swamp the rest.
  const n = texts.length;
  const raw = terms.map((term) => {
    const df = texts.filter((text) => matchCredit(term, text) > 0).length;
    return df === 0 ? null : Math.log(1 + (n - df + 0.5) / (df + 0.5));
  });
  const found = raw.filter((w): w is number => w !== null);
  const ceiling = found.length > 0 ? Math.max(...found) : 1;
  return raw.map((w, i) => (w ?? ceiling) * (terms[i]?.strength ?? 1));
}

function weightedCoverage(terms: readonly QueryTerm[], weights: readonly number[], credit: (term: QueryTerm) => number): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total === 0) return 0;
  return terms.reduce((sum, term, i) => sum + credit(term) * (weights[i] ?? 0), 0) / total;
}

function rankOf<T>(items: readonly T[], index: number, value: (item: T) => number): number {
  const own = value(items[index] as T);
  return items.filter((item, i) => i !== index && value(item) > own).length;
}

/** "It costs $29." + 1 → "It costs $29 [1]." so the marker sits inside the sentence. */
function withMarker(text: string, marker: number): string {
  // "… to 6 p.m." ends in an abbreviation, whose stop is not the sentence's to move.
  if (/(?:\b\p{L}\.){2,}$/u.test(text)) return `${text} [${marker}]`;
  const ending = /([.!?…]+["'”’)\]]*)$/.exec(text);
  if (!ending) return `${text} [${marker}]`;
  return `${text.slice(0, ending.index)} [${marker}]${ending[1] ?? ''}`;
}

/** The quotes of one passage in reading order, each lead-in once before the first of its items. */
function quoteTexts(group: readonly Scored[]): string[] {
  const texts: string[] = [];
  let leadIn = '';
  for (const quote of group) {
    if (quote.leadIn && quote.leadIn !== leadIn && quote.kind !== 'sentence' && quote.kind !== 'label') texts.push(`${quote.leadIn}: ${quote.text}`);
    else texts.push(quote.text);
    leadIn = quote.leadIn;
  }
  return texts;
}

/** Compose a cited, extractive answer to `question` from the retrieved `passages` (best first). */
export function composeOfflineAnswer(input: {
  question: string;
  passages: readonly SourcePassage[];
  voice: AnswerVoice;
  /** BCP-47 tag of the bot's language; default English. */
  language?: string;
  /** The decline decision; `shouldDecline` unless the evaluation studies another. */
  decline?: (signals: DeclineSignals) => boolean;
}): OfflineAnswer {
  const { question, passages, voice } = input;
  const kit = languageKitFor(input.language);
  const declined = (signals: DeclineSignals): OfflineAnswer => ({
    text: unknownReplyFor(voice), grounded: false, citations: [], signals: { ...signals, confidence: answerConfidence(signals) },
  });
  const noSignals: DeclineSignals = { coverage: 0, unmatched: 1, sentence: 0, agreement: 0, answerType: 0 };

  const candidates = collectQuoteCandidates(passages, kit.language);
  const passageTexts = passages.map((p) => matchable(`${p.documentTitle}\n${(p.sectionPath ?? []).join('\n')}\n${p.text}`, kit));
  const vocabulary = new Set(passages.flatMap((p) => words(`${p.documentTitle} ${p.text}`)));
  const terms = expandQuestion(question, kit, vocabulary);
  if (candidates.length === 0 || terms.length === 0) return declined(noSignals);

  // Web and e-mail addresses spell topic words ("…/permits/resident") that say nothing about the sentence.
  const withoutAddresses = (text: string) => text.replace(/\bhttps?:\/\/\S+|\bwww\.\S+|\S+@\S+\.\w+/g, ' ');
  const owns = candidates.map((c) => matchable(withoutAddresses(c.kind === 'sentence' || c.kind === 'label' ? c.text : `${c.leadIn} ${c.text}`), kit));
  const contexts = candidates.map((c) => matchable(c.context, kit));
  const weights = termWeights(terms, owns);
  const types = expectedAnswerTypes(question);
  const questionVector = embedText(question);
  const questionStems = new Set(terms.map((t) => t.stem));

  const scored: Scored[] = candidates.map((candidate, i) => {
    const own = owns[i]!;
    const context = contexts[i]!;
    // A sentence that continues the one before ("It costs …") is about what that one names.
    const before = CONTINUATION.test(candidate.text) ? owns[i - 1] : undefined;
    const antecedent = before && candidates[i - 1]?.passageIndex === candidate.passageIndex ? before : undefined;
    const lexical = weightedCoverage(terms, weights, (term) => Math.max(
      matchCredit(term, own),
      CONTEXT_CREDIT * matchCredit(term, context),
      antecedent ? ANTECEDENT_CREDIT * matchCredit(term, antecedent) : 0,
    ));
    const semantic = Math.max(0, cosineSimilarity(questionVector, embedText(`${candidate.context}\n${candidate.text}`)));
    const retrieval = Math.min(1, Math.max(0, passages[candidate.passageIndex]?.score ?? 0));
    const hasValue = types.length > 0 && holdsAnswerType(candidate.text, types);
    const typeScore = types.length === 0 ? 0.5 : hasValue ? 1 : 0;
    let relevance = WEIGHTS.lexical * lexical + WEIGHTS.semantic * semantic + WEIGHTS.retrieval * retrieval + WEIGHTS.answerType * typeScore;
    // A question that asks for a value (a price, a duration) is answered by a sentence that holds one:
    // "The Trailhead is a full-suspension e-MTB" does not answer "What is the Trailhead's price?".
    if (types.length > 0 && !hasValue) relevance *= MISSING_VALUE_FACTOR;
    if (/\?\s*$/.test(candidate.text)) relevance *= QUESTION_FORM_FACTOR;
    if (candidate.kind === 'label') relevance *= LABEL_FACTOR;
    // A sentence about the page itself names topics without answering any: never the answer.
    if (ABOUT_THE_PAGE.test(candidate.text)) relevance = 0;
    // A line that only repeats the question's words ("Opening hours") names the answer without giving it.
    if (own.stems.size > 0 && [...own.stems].every((stem) => questionStems.has(stem)) && !hasValue) relevance *= LABEL_FACTOR;
    return { ...candidate, source: candidate, own, lexical, relevance, hasValue };
  });

  const ranked = [...scored].sort((a, b) => b.relevance - a.relevance || a.passageIndex - b.passageIndex || a.position - b.position);
  const best = ranked[0]!;

  // The decision's signals.
  const coverageOf = (index: number) => weightedCoverage(terms, weights, (term) => matchCredit(term, passageTexts[index]!));
  const coverages = passages.map((_, i) => coverageOf(i));
  const unmatched = weightedCoverage(terms, weights, (term) => (passageTexts.some((text) => matchCredit(term, text) > 0) ? 0 : 1));
  const byVector = rankOf(passages, best.passageIndex, (p) => p.score);
  const byText = rankOf(coverages, best.passageIndex, (c) => c);
  const signals: DeclineSignals = {
    coverage: coverages[best.passageIndex] ?? 0,
    unmatched,
    sentence: best.relevance,
    agreement: byVector === 0 && byText === 0 ? 1 : byVector <= 1 && byText <= 1 ? 0.5 : 0,
    answerType: types.length === 0 ? 0.5 : best.hasValue ? 1 : 0,
  };
  if ((input.decline ?? shouldDecline)(signals)) return declined(signals);

  // The quotes: the best candidate, what continues it, and what else of its passage nearly matches it.
  const chosen: Scored[] = [best];
  let length = best.text.length;
  const take = (candidate: Scored | undefined): void => {
    if (!candidate || chosen.includes(candidate) || chosen.length >= MAX_QUOTES || length + candidate.text.length > MAX_ANSWER_CHARS) return;
    chosen.push(candidate);
    length += candidate.text.length;
  };
  const inPassage = (candidate: Scored, offset: number) => scored.find((c) => c.passageIndex === candidate.passageIndex && c.position === candidate.position + offset);
  if (CONTINUATION.test(best.text)) take(inPassage(best, -1));
  const next = inPassage(best, 1);
  if (next && next.block === best.block && next.kind === best.kind && (CONTINUATION.test(next.text) || (next.lexical > 0 && next.relevance >= best.relevance * FOLLOW_RATIO))) take(next);
  // A term the quotes' headings already name is covered: a sentence that only repeats the topic adds nothing.
  const covered = (term: QueryTerm) => chosen.some((c) => matchCredit(term, c.own) > 0 || matchCredit(term, contexts[candidates.indexOf(c.source)]!) > 0);
  for (const candidate of ranked.slice(1)) {
    if (chosen.length >= MAX_QUOTES || candidate.relevance < best.relevance * FOLLOW_RATIO) break;
    if (candidate.passageIndex === best.passageIndex) {
      if (terms.some((term) => !covered(term) && matchCredit(term, candidate.own) > 0) || (candidate.leadIn !== '' && candidate.leadIn === best.leadIn)) take(candidate);
    } else if (candidate.relevance >= best.relevance * SECOND_PASSAGE_RATIO && terms.some((term) => !covered(term) && matchCredit(term, candidate.own) > 0)) {
      take(candidate);
    }
  }

  // Readable order: passages in order of their best quote, quotes in reading order.
  const groups = new Map<number, Scored[]>();
  for (const quote of chosen) groups.set(quote.passageIndex, [...(groups.get(quote.passageIndex) ?? []), quote]);
  const citations: OfflineCitation[] = [];
  const body = [...groups.values()].map((group) => {
    const ordered = [...group].sort((a, b) => a.position - b.position);
    const passage = passages[ordered[0]!.passageIndex]!;
    const marker = citations.length + 1;
    const texts = quoteTexts(ordered);
    citations.push({ passageId: passage.id, documentTitle: passage.documentTitle, snippet: truncateSnippet(joinQuotes(texts)), marker });
    return joinQuotes([...texts.slice(0, -1), withMarker(texts[texts.length - 1] ?? '', marker)]);
  });
  const opener = openerFor(voice, question);
  return {
    text: [opener, joinQuotes(body)].filter((part) => part !== '').join(' '),
    grounded: true,
    citations,
    signals: { ...signals, confidence: answerConfidence(signals) },
  };
}
