import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { SlotMapping } from '@mascot/avatar-core';
import { tenantFilter } from '../../core/db/index.ts';

/**
 * A tenant's uploaded avatar. The GLB itself lives in AvatarStorage under `contentHash` (SHA-256
 * of the optimised bytes, the same hash a bot bundle pins); a tenant uploading identical bytes
 * twice keeps one row (unique per tenant and hash).
 */
export const AvatarAsset = defineEntity({
  name: 'AvatarAsset',
  tableName: 'avatar_asset',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string(),
    contentHash: p.string(),
    originalBytes: p.integer(),
    optimizedBytes: p.integer(),
    triangleCount: p.integer(),
    clipNames: p.json<string[]>(),
    morphTargets: p.json<string[]>(),
    suggestedMapping: p.json<SlotMapping>(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type AvatarAsset = InferEntity<typeof AvatarAsset>;
