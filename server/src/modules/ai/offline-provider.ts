import { setTimeout as delay } from 'node:timers/promises';
import { OFFLINE_MODEL } from '@mascot/bot-bundle';
import { composeOfflineAnswer, countTokens, splitIntoStreamTokens } from '@mascot/knowledge-core';
import type { AiProvider, ReplyCitation, ReplyRequest, ReplyStream } from './ai-provider.ts';

/**
 * The default provider when no AI key is configured: an honest extractive answerer
 * (knowledge-core's `composeOfflineAnswer`, the same one Studio's local chat runs).
 * It quotes the sentences of the retrieved passages that answer the question, with citations, in the
 * bot's tone and language, says plainly when the knowledge does not cover the question, and streams
 * its answer word by word.
 */
export function createOfflineProvider(options: { tokenDelayMs: number }): AiProvider {
  return {
    name: 'offline',
    async streamReply(request: ReplyRequest): Promise<ReplyStream> {
      const answer = composeOfflineAnswer({
        question: request.question,
        language: request.persona.language ?? 'en',
        passages: request.passages.map((p) => ({
          id: p.id, documentTitle: p.documentTitle, sectionPath: p.sectionPath, text: p.text, score: p.score,
        })),
        voice: {
          botName: request.persona.botName,
          tone: request.persona.tone,
          ...(request.persona.unknownAnswer ? { unknownAnswer: request.persona.unknownAnswer } : {}),
          offerHuman: request.persona.offerHuman,
        },
      });
      const byId = new Map(request.passages.map((p) => [p.id, p]));
      const citations: ReplyCitation[] = answer.citations.map((c) => ({
        marker: c.marker,
        passageId: c.passageId,
        documentTitle: c.documentTitle,
        sectionPath: byId.get(c.passageId)?.sectionPath ?? [],
        page: byId.get(c.passageId)?.page ?? null,
        snippet: c.snippet,
      }));
      async function* tokens() {
        for (const token of splitIntoStreamTokens(answer.text)) {
          if (request.signal.aborted) return;
          // A small pause per word paces the stream like a model would; 0 in benchmarks and tests.
          if (options.tokenDelayMs > 0) await delay(options.tokenDelayMs);
          yield token;
        }
      }
      const inputTokens = countTokens(request.question) + request.passages.reduce((sum, p) => sum + countTokens(p.text), 0);
      return {
        provider: 'offline',
        model: OFFLINE_MODEL,
        citations: () => citations,
        tokens: tokens(),
        usage: () => ({ inputTokens, outputTokens: countTokens(answer.text) }),
        grounded: () => answer.grounded,
      };
    },
  };
}
