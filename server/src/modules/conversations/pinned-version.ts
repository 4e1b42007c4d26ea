import type { EntityManager } from '@mikro-orm/postgresql';
import type { BotBundle } from '@mascot/bot-bundle';
import { Bot, BotVersion, readStoredBundle } from '../bots/index.ts';
import { Conversation } from './conversation.entity.ts';
import { DomainError } from '../../core/errors/index.ts';

export interface PinnedVersion {
  version: Pick<BotVersion, 'id' | 'tenantId' | 'botId' | 'number' | 'knowledgeDocumentIds' | 'avatarHash'>;
  bundle: BotBundle;
}

/**
 * Published versions never change (bot-version.entity.ts), so the parsed bundle of each is kept here
 * instead of being read and validated again for every visitor message and every reply (two of them
 * per exchange, on the hot path). Keyed by the version id and the bot's current name, which the bundle
 * carries and which can change: the name is still read each time, the snapshot is not. The
 * conversation passed in was read under the tenant's row-level security, and a version id belongs to
 * exactly one tenant, so a hit never crosses tenants. Bounded: the oldest entries go first.
 */
const MAX_CACHED_VERSIONS = 2_000;
const cachedVersions = new Map<string, PinnedVersion>();

/**
 * The bot version a conversation talks to (pinned when it started, so a later publication never
 * changes a running conversation) and its bundle, read in the caller's tenant transaction.
 */
export async function pinnedVersionOf(
  tx: EntityManager,
  conversation: Pick<Conversation, 'botId' | 'botVersionId'>,
  /** The bot's current name when the caller read it with the conversation (one round trip fewer). */
  botName?: string,
): Promise<PinnedVersion> {
  const name = botName ?? (await tx.findOneOrFail(Bot, { id: conversation.botId }, { fields: ['name'] })).name;
  const key = `${conversation.botVersionId}\u0000${name}`;
  const cached = cachedVersions.get(key);
  if (cached) return cached;
  const row = await tx.findOneOrFail(BotVersion, { id: conversation.botVersionId });
  const pinned: PinnedVersion = {
    version: {
      id: row.id, tenantId: row.tenantId, botId: row.botId, number: row.number,
      knowledgeDocumentIds: row.knowledgeDocumentIds, avatarHash: row.avatarHash,
    },
    // Shared by every caller from now on: frozen, so a caller that tried to change it would fail loudly.
    bundle: deepFreeze(readStoredBundle(row.config, name)),
  };
  if (cachedVersions.size >= MAX_CACHED_VERSIONS) cachedVersions.delete(cachedVersions.keys().next().value!);
  cachedVersions.set(key, pinned);
  return pinned;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The conversation and its bot's current name in one query: every reply starts by reading both
 * (issue 13: a round trip fewer in front of the provider call). Read under the tenant's row-level
 * security like any query of the caller's transaction.
 */
export async function conversationWithBotName(tx: EntityManager, conversationId: string): Promise<{ conversation: Conversation; botName: string }> {
  const [row] = await tx.execute<(Record<string, unknown> & { mascot_bot_name: string })[]>(
    'select c.*, b.name as mascot_bot_name from conversation c join bot b on b.id = c.bot_id where c.id = ?',
    [conversationId],
  );
  if (!row) throw DomainError.notFound('Conversation');
  const { mascot_bot_name: botName, ...columns } = row;
  return { conversation: tx.map(Conversation, columns), botName };
}
