import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

/**
 * An upload URL handed out by createAvatarUpload. The URL's signature proves who may use it; this
 * row makes it single-use across every server instance (`consumedAt` is set by one conditional
 * UPDATE, which only one request can win).
 */
export const AvatarUpload = defineEntity({
  name: 'AvatarUpload',
  tableName: 'avatar_upload',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    fileName: p.string(),
    maxBytes: p.integer(),
    createdBy: p.uuid().nullable(),
    expiresAt: p.datetime(),
    consumedAt: p.datetime().nullable(),
    /** The avatar the upload produced (or deduplicated to); null while pending or when refused. */
    avatarId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type AvatarUpload = InferEntity<typeof AvatarUpload>;
