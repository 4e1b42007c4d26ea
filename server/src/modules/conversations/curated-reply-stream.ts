import { splitIntoStreamTokens } from '@mascot/knowledge-core';
import type { ReplyStream } from '../ai/index.ts';
import type { CuratedAnswerMatch } from '../knowledge/index.ts';

/** The `provider` of a reply given from a curated answer: the team's own text, no provider called, nothing billed. */
export const CURATED_PROVIDER = 'curated';
/** How such a reply's citation is titled, in the widget and in stored messages. */
export const CURATED_SOURCE_TITLE = 'Answer from the team';

/**
 * A curated answer as a reply stream, word by word like a provider's. Given as written for every
 * provider (see server/src/modules/knowledge/README.md, "Curated answers"): the team wrote it to be said
 * exactly so, and it costs no model call. Its one citation is titled "Answer from the team" and names
 * the entry's question.
 */
export function curatedReplyStream(match: CuratedAnswerMatch): ReplyStream {
  async function* tokens() {
    yield* splitIntoStreamTokens(match.answer);
  }
  const flat = match.answer.replace(/\s+/g, ' ').trim();
  return {
    provider: CURATED_PROVIDER,
    model: 'curated-answer',
    citations: () => [{
      marker: 1,
      passageId: match.answerId,
      documentTitle: CURATED_SOURCE_TITLE,
      sectionPath: [match.question],
      page: null,
      // The widget renders snippets as Markdown with ** as highlights: the team's asterisks stay literal.
      snippet: (flat.length > 240 ? `${flat.slice(0, 239)}…` : flat).replaceAll('*', '\\*'),
    }],
    tokens: tokens(),
    usage: () => ({ inputTokens: 0, outputTokens: 0 }),
    grounded: () => true,
  };
}
