import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReplySource } from '@mascot/events';

/** How long a cached answer is served. Knowledge changes reach visitors by publishing, which invalidates at once. */
export const ANSWER_CACHE_TTL_MS = 12 * 60 * 60 * 1000;

export interface CachedAnswer {
  text: string;
  sources: ReplySource[];
  /** The provider and model that composed the answer when it was cached. */
  provider: string;
  model: string;
}

/** The version-scoped place of an answer: a cache key never spans bots, versions or tenants. */
export interface CacheScope {
  tenantId: string;
  botId: string;
  botVersionId: string;
}

/**
 * Questions that differ only in case, spacing, Unicode form or punctuation share an answer:
 * "How much is Pro?" and "  how much is PRO  " are one question.
 */
export function normalizeQuestion(question: string): string {
  return question
    .normalize('NFKC')
    .toLocaleLowerCase('en')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const keyOf = (question: string): string => createHash('sha256').update(normalizeQuestion(question)).digest('hex');

/**
 * Answers per published bot version, shared by every instance through PostgreSQL (an RLS table, so
 * tenants can never see each other's). A row answers only while its version is the bot's live one:
 * publishing or rolling back makes every older row miss at once, with no message that could be lost.
 * Questions are stored as a hash; the cache never holds the visitor's words.
 */
export class AnswerCache {
  constructor(private readonly ttlMs = ANSWER_CACHE_TTL_MS) {}

  /** The cached answer and one more hit on it, or null. Runs in the caller's tenant transaction. */
  async hit(tx: EntityManager, scope: CacheScope, question: string): Promise<CachedAnswer | null> {
    const [row] = await tx.execute<{ answer: string; sources: ReplySource[]; provider: string; model: string }[]>(
      `update answer_cache c set hits = c.hits + 1
       from bot b
       where c.bot_version_id = ? and c.question_key = ? and c.expires_at > now()
         and b.id = c.bot_id and b.live_version_id = c.bot_version_id
       returning c.answer, c.sources, c.provider, c.model`,
      [scope.botVersionId, keyOf(question)],
    );
    return row ? { text: row.answer, sources: row.sources, provider: row.provider, model: row.model } : null;
  }

  /** Stores (or refreshes) the answer to `question` for the scope's version. */
  async store(tx: EntityManager, scope: CacheScope, question: string, answer: CachedAnswer): Promise<void> {
    await tx.execute(
      `insert into answer_cache (tenant_id, bot_id, bot_version_id, question_key, answer, sources, provider, model, expires_at)
       values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
       on conflict (bot_version_id, question_key) do update set
         answer = excluded.answer, sources = excluded.sources, provider = excluded.provider, model = excluded.model,
         created_at = now(), expires_at = excluded.expires_at`,
      [
        scope.tenantId, scope.botId, scope.botVersionId, keyOf(question), answer.text, JSON.stringify(answer.sources),
        answer.provider, answer.model, new Date(Date.now() + this.ttlMs),
      ],
    );
  }
}
