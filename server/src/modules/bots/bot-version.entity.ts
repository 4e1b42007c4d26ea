import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';
import type { BotBundle } from '@mascot/bot-bundle';

/** An immutable published snapshot: the configuration and exactly which knowledge documents it answers from. */
export const BotVersion = defineEntity({
  name: 'BotVersion',
  tableName: 'bot_version',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    number: p.integer(),
    config: p.json<BotBundle>(),
    knowledgeDocumentIds: p.json<string[]>(),
    /** Content hash of an uploaded avatar frozen with this version (null for built-in or none). */
    avatarHash: p.string().nullable(),
    /** Set when this version re-published an older one (rollbackBot). */
    rolledBackFrom: p.integer().nullable(),
    publishedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type BotVersion = InferEntity<typeof BotVersion>;
