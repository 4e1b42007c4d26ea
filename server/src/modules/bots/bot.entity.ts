import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';
import type { BotBundle } from '@mascot/bot-bundle';

/** A chatbot. `draft` is what designers edit; visitors only ever see `liveVersionId`'s snapshot. */
export const Bot = defineEntity({
  name: 'Bot',
  tableName: 'bot',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string(),
    embedId: p.string().unique(),
    /** The bundle designers edit; stored documents of older formats are upgraded when read. */
    draft: p.json<BotBundle>(),
    /** Bumped on every draft change; editors send the revision they started from (optimistic locking). */
    draftRevision: p.integer().default(1),
    liveVersionId: p.uuid().nullable(),
    /** Set while archived (archiveBot): the bot starts no conversations until unarchived. */
    archivedAt: p.datetime().nullable(),
    /** Set by deleteBot: the bot is gone for everything but restoreBot, and purged at `purgeAfter`. */
    deletedAt: p.datetime().nullable(),
    purgeAfter: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Bot = InferEntity<typeof Bot>;
