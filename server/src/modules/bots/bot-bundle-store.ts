import { upgradeBotBundle, type BotBundle } from '@mascot/bot-bundle';

/**
 * Stored documents may be of any known format version (drafts and snapshots written before the
 * bundle format existed are version 1); everything the server reads goes through here.
 */
export function readStoredBundle(document: unknown, botName: string): BotBundle {
  return upgradeBotBundle(document, { name: botName });
}
