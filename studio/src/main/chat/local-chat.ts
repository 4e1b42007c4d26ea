// The offline chat panel: the server's offline provider, run locally. Retrieval over the project's
// own index, then knowledge-core's offline answerer, the very code the server's offline provider runs
// (cited quotes, the bot's tone and language, an honest "I don't know" with a human offered when the
// knowledge does not cover the question), so a designer sees the answers visitors will get.
import type { BotBundle } from '@mascot/bot-bundle';
import { composeOfflineAnswer } from '@mascot/knowledge-core';
import type { ChatReply, SearchHit } from '../../shared/studio-api.ts';
import { reactionFor } from '../avatar/avatar-reaction.ts';

/** Passages the answer may quote, as many as the server's reply pipeline retrieves. */
export const CHAT_PASSAGES = 5;

/** Confidence the cue rules see for an answer the knowledge did not cover (below their "unsure" threshold). */
export const UNGROUNDED_CONFIDENCE = 0.2;

export function answerLocally(bundle: BotBundle, question: string, passages: readonly SearchHit[]): ChatReply {
  const { personality } = bundle;
  const answer = composeOfflineAnswer({
    question,
    language: personality.language,
    passages: passages.map((p) => ({ id: p.id, documentTitle: p.documentTitle, sectionPath: p.sectionPath, text: p.text, score: p.score })),
    voice: {
      botName: bundle.name,
      tone: personality.tone,
      ...(personality.unknownAnswer ? { unknownAnswer: personality.unknownAnswer } : {}),
      // As visitors get it (the server's handoff.offer.ts): only `when-unsure` and `always` offer a person when unsure.
      offerHuman: personality.offerHuman === 'when-unsure' || personality.offerHuman === 'always',
    },
  });
  const byId = new Map(passages.map((p) => [p.id, p]));
  return {
    text: answer.text,
    grounded: answer.grounded,
    citations: answer.citations.map((c) => ({
      marker: c.marker,
      documentTitle: c.documentTitle,
      sectionPath: byId.get(c.passageId)?.sectionPath ?? [],
      page: byId.get(c.passageId)?.page ?? null,
      snippet: c.snippet,
    })),
    reaction: reactionFor(bundle.avatar.animationMap, {
      phase: 'finished',
      visitorText: question,
      replyText: answer.text,
      confidence: answer.grounded ? 1 : UNGROUNDED_CONFIDENCE,
    }),
    served: null,
  };
}
