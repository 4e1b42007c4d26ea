import { cosineSimilarity, embedTexts } from '@mascot/knowledge-core';

/**
 * Two questions belong together when the offline embedder puts them at least this close. Measured
 * on price-list questions: rewordings score 0.68–0.85 ("How much is the Pro plan?" / "Pro plan
 * price?"), questions about other topics -0.07–0.02, a related but different one ("Is support open on
 * weekends?" / "What are your support hours") 0.36.
 */
export const SIMILAR_QUESTION_MIN_COSINE = 0.6;

/** Distinct questions considered per request: the most asked ones; the long tail seldom forms a top group. */
export const MAX_GROUPED_QUESTIONS = 200;

/** Variants listed per group. */
const MAX_VARIANTS = 5;

export interface CountedQuestion {
  text: string;
  asked: number;
  unanswered: number;
}

export interface QuestionGroup {
  /** The group's most asked wording. */
  representative: string;
  asked: number;
  unanswered: number;
  /** Other wordings, most asked first. */
  variants: string[];
}

/**
 * Groups questions by meaning, greedily: most asked first, each joins the first group holding a
 * wording at least SIMILAR_QUESTION_MIN_COSINE close, or starts its own. Embeddings come from the
 * offline embedder whatever the bot's model is: it needs no network, costs nothing and gives the
 * same groups after a bot changes models. Returns groups by times asked, most first.
 */
export async function groupSimilarQuestions(questions: readonly CountedQuestion[], limit: number): Promise<QuestionGroup[]> {
  const sorted = [...questions].sort((a, b) => b.asked - a.asked).slice(0, MAX_GROUPED_QUESTIONS);
  const vectors = await embedTexts(sorted.map((q) => q.text));
  const groups: { group: QuestionGroup; members: number[][] }[] = [];
  sorted.forEach((question, index) => {
    const vector = vectors[index]!;
    const home = groups.find(({ members }) => members.some((member) => cosineSimilarity(member, vector) >= SIMILAR_QUESTION_MIN_COSINE));
    if (!home) {
      groups.push({ group: { representative: question.text, asked: question.asked, unanswered: question.unanswered, variants: [] }, members: [vector] });
      return;
    }
    home.members.push(vector);
    home.group.asked += question.asked;
    home.group.unanswered += question.unanswered;
    if (home.group.variants.length < MAX_VARIANTS) home.group.variants.push(question.text);
  });
  return groups.map(({ group }) => group).sort((a, b) => b.asked - a.asked).slice(0, limit);
}
