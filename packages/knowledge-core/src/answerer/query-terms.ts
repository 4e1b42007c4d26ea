// The question's content words and what else may stand for each of them in the passages: its stem
// (morphology: "renewing" / "renewal"), the curated synonyms of the bot's language (vocabulary gaps:
// "yearly" / "annual"), and, for a word the passages do not contain at all, their words one or two
// typing mistakes away ("recyling" / "recycling"). Each alternative carries the credit a match earns.

import type { LanguageKit } from './language.ts';

const WORD = /\p{N}+(?:[.,:]\p{N}+)*|[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const LATIN_DIACRITICS = /[\u0300-\u036f]/g;

export const SYNONYM_CREDIT = 0.85;
export const TYPO_CREDIT = 0.8;
/** Stems one letter apart ("decis" from decision, "decid" from decide): related words the stemmer leaves apart. */
export const NEAR_STEM_CREDIT = 0.6;
const NEAR_STEM_MIN_LENGTH = 5;
/** Everyday verbs and fillers say little about the topic, but are not quite stop words ("use", "keep"). */
const WEAK_WORD_STRENGTH = 0.3;
const HOW_WORDS = new Set(['long', 'far', 'soon', 'often', 'old', 'big', 'quickly', 'fast', 'early', 'late']);

/** Lower case, Latin diacritics removed ("Gebühr" → "gebuhr"), for comparing stems and phrases. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(LATIN_DIACRITICS, '').toLowerCase();
}

/** The words of `text`, lower case, in order ("don't" stays one word, "e-mail" too). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((word) => word.replace(/['’]/g, ''));
}

/** Stems of the content words of `text` (stop words dropped, single letters too), folded. */
export function contentStems(text: string, kit: LanguageKit): string[] {
  return words(text).filter((word) => isContentWord(word, kit)).map((word) => fold(kit.stem(word)));
}

function isContentWord(word: string, kit: LanguageKit): boolean {
  if (kit.isStopWord(word)) return false;
  return word.length > 1 || /\p{N}/u.test(word);
}

/** A text prepared for matching: its stem set and its folded words joined by spaces (for phrases). */
export interface MatchableText {
  stems: ReadonlySet<string>;
  /** " word word word " with spaces at both ends, so a phrase matches whole words only. */
  phrase: string;
}

export function matchable(text: string, kit: LanguageKit): MatchableText {
  const all = words(text);
  return {
    // Single letters too: a question may name one ("band D"), see expandQuestion.
    stems: new Set(all.filter((word) => isContentWord(word, kit) || /^\p{L}$/u.test(word)).map((word) => fold(kit.stem(word)))),
    phrase: ` ${all.map(fold).join(' ')} `,
  };
}

export interface Alternative {
  /** A stem, or a phrase of folded words (contains a space). */
  form: string;
  credit: number;
}

export interface QueryTerm {
  word: string;
  stem: string;
  /** How much the term counts beside the others: 1, less for everyday verbs ("put", "get"). */
  strength: number;
  /** The stem itself first (credit 1), then synonyms and typo corrections. */
  alternatives: Alternative[];
}

/** Credit of the best alternative of `term` found in `text` (0 when none is). */
export function matchCredit(term: QueryTerm, text: MatchableText): number {
  let best = 0;
  for (const { form, credit } of term.alternatives) {
    if (credit <= best) continue;
    if (form.includes(' ') ? text.phrase.includes(` ${form} `) : text.stems.has(form)) best = credit;
  }
  return best;
}

// Damerau–Levenshtein distance (adjacent transpositions count one), stopping early past `limit`.
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((rows[i - 1]![j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]![j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (rows[i - 2]![j - 2] ?? 0) + 1);
      row.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length] ?? limit + 1;
}

/** Typing mistakes tolerated for a word of this length: none below 5 letters, 2 from 9. */
function typoBudget(word: string): number {
  if (word.length < 5 || /\p{N}/u.test(word)) return 0;
  return word.length >= 9 ? 2 : 1;
}

/**
 * The question's content terms with their alternatives. A synonym phrase found in the question
 * ("passed away", "get rid of") is one term, its words are not counted again. `vocabulary` is every
 * word of the retrieved passages: a question word none of whose forms occurs there is matched to the
 * passages' words within its typo budget instead.
 */
export function expandQuestion(question: string, kit: LanguageKit, vocabulary: ReadonlySet<string>): QueryTerm[] {
  const questionWords = words(question);
  const folded = ` ${questionWords.map(fold).join(' ')} `;
  const vocabularyStems = new Set([...vocabulary].map((word) => fold(kit.stem(word))));
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const consumed = new Set<string>();

  const alternativesOf = (group: readonly string[], own: Alternative[]): Alternative[] => {
    const alternatives = [...own];
    for (const member of group) {
      const parts = words(member).filter((w) => isContentWord(w, kit)).map((w) => fold(kit.stem(w)));
      const form = parts.length === 1 ? parts[0]! : words(member).map(fold).join(' ');
      if (parts.length > 0 && !alternatives.some((a) => a.form === form)) alternatives.push({ form, credit: SYNONYM_CREDIT });
    }
    return alternatives;
  };

  // Phrases first: the longest synonym phrases the question contains, each one term.
  const phrases = kit.synonyms.flatMap((group) => group.filter((member) => member.includes(' ')).map((member) => ({ member: fold(member), group })))
    .sort((a, b) => b.member.length - a.member.length);
  for (const { member, group } of phrases) {
    if (!folded.includes(` ${member} `) || member.split(' ').some((word) => consumed.has(word)) || seen.has(member)) continue;
    seen.add(member);
    for (const word of member.split(' ')) consumed.add(word);
    terms.push({ word: member, stem: member, strength: 1, alternatives: alternativesOf(group, [{ form: member, credit: 1 }]) });
  }

  // A capital letter on its own names something ("band D", "plan B"), unlike a stray "a".
  const letters = new Set((question.match(/(?<![\p{L}\p{N}'’])[B-HJ-Z](?![\p{L}\p{N}'’])/gu) ?? []).map((letter) => letter.toLowerCase()));
  questionWords.forEach((word, index) => {
    // "how long", "how far", "how often": the kind of answer wanted (see answer-type.ts), not its topic.
    if (kit.language === 'en' && questionWords[index - 1] === 'how' && HOW_WORDS.has(word)) return;
    if (!(isContentWord(word, kit) || letters.has(word)) || consumed.has(fold(word))) return;
    const stem = fold(kit.stem(word));
    if (seen.has(stem)) return;
    seen.add(stem);
    let alternatives: Alternative[] = [{ form: stem, credit: 1 }];
    for (const group of kit.synonyms) {
      if (group.some((member) => !member.includes(' ') && fold(kit.stem(member)) === stem)) alternatives = alternativesOf(group, alternatives);
    }
    const budget = typoBudget(word);
    if (budget > 0 && !alternatives.some((a) => vocabularyStems.has(a.form) || a.form.includes(' '))) {
      for (const candidate of vocabulary) {
        const form = fold(kit.stem(candidate));
        if (!alternatives.some((a) => a.form === form) && editDistance(fold(word), fold(candidate), budget) <= budget) {
          alternatives.push({ form, credit: TYPO_CREDIT });
        }
      }
    }
    if (stem.length >= NEAR_STEM_MIN_LENGTH && !/\p{N}/u.test(stem)) {
      for (const other of vocabularyStems) {
        if (other.length >= NEAR_STEM_MIN_LENGTH && other.slice(0, 3) === stem.slice(0, 3) && !alternatives.some((a) => a.form === other)
          && editDistance(stem, other, 1) <= 1) alternatives.push({ form: other, credit: NEAR_STEM_CREDIT });
      }
    }
    terms.push({ word, stem, strength: kit.isWeakWord(word) ? WEAK_WORD_STRENGTH : 1, alternatives });
  });
  return terms;
}
