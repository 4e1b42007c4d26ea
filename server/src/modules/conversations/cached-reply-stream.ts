import { splitIntoStreamTokens } from '@mascot/knowledge-core';
import type { ReplyStream } from '../ai/index.ts';
import type { CachedAnswer } from './answer-cache.ts';

/** The `provider` of a reply served from the answer cache: no provider was called, nothing was billed. */
export const CACHE_PROVIDER = 'cache';

/**
 * A cached answer as a reply stream: word by word like a provider's, without pauses, so the widget
 * and the avatar treat a hit like any reply, only faster.
 */
export function cachedReplyStream(answer: CachedAnswer): ReplyStream {
  async function* tokens() {
    yield* splitIntoStreamTokens(answer.text);
  }
  return {
    provider: CACHE_PROVIDER,
    model: answer.model,
    citations: () =>
      answer.sources.map((source) => ({
        marker: source.marker,
        passageId: '',
        documentTitle: source.documentTitle,
        sectionPath: source.sectionPath,
        page: source.page,
        snippet: source.snippet,
        url: source.url ?? null,
      })),
    tokens: tokens(),
    usage: () => ({ inputTokens: 0, outputTokens: 0 }),
  };
}
