import type { EntityManager } from '@mikro-orm/postgresql';
import type { BotBundle } from '@mascot/bot-bundle';
import { Bot, BotVersion, readStoredBundle } from '../bots/index.ts';
import type { Conversation } from './conversation.entity.ts';

/**
 * The bot version a conversation talks to (pinned when it started, so a later publication never
 * changes a running conversation) and its bundle, read in the caller's tenant transaction.
 */
export async function pinnedVersionOf(
  tx: EntityManager,
  conversation: Pick<Conversation, 'botId' | 'botVersionId'>,
): Promise<{ version: BotVersion; bundle: BotBundle }> {
  const version = await tx.findOneOrFail(BotVersion, { id: conversation.botVersionId });
  const bot = await tx.findOneOrFail(Bot, { id: conversation.botId }, { fields: ['name'] });
  return { version, bundle: readStoredBundle(version.config, bot.name) };
}
