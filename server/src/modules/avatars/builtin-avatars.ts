import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import { suggestSlotMapping, type SlotMapping } from '@mascot/avatar-core';
import { inspectAvatarGlb } from './glb-validation.ts';

/** One of Mascot's own characters, served like an upload but owned by no tenant. */
export interface BuiltinAvatarRecord {
  /** Stable id bot bundles use (`{ kind: 'builtin', id: 'milo' }`). */
  id: string;
  name: string;
  description: string;
  contentHash: string;
  byteLength: number;
  triangleCount: number;
  clipNames: string[];
  morphTargets: string[];
  suggestedMapping: SlotMapping;
}

export interface BuiltinAvatarCatalogue {
  list: readonly BuiltinAvatarRecord[];
  byId(id: string): BuiltinAvatarRecord | undefined;
  /** The GLB bytes of a built-in avatar, by content hash. */
  bytesOf(hash: string): Uint8Array | undefined;
}

/**
 * Reads the built-in GLBs once at start, hashes them (their URLs are content-addressed like
 * uploads) and runs them through the upload validator, so a broken built-in stops the server at
 * start instead of reaching visitors. They are kept in memory: both together are under 400 kB.
 */
export async function loadBuiltinAvatars(): Promise<BuiltinAvatarCatalogue> {
  const bytesByHash = new Map<string, Uint8Array>();
  const list: BuiltinAvatarRecord[] = [];
  for (const avatar of BUILTIN_AVATARS) {
    const bytes = new Uint8Array(await readFile(avatar.file));
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const inspection = await inspectAvatarGlb(bytes);
    bytesByHash.set(contentHash, bytes);
    list.push({
      id: avatar.id,
      name: avatar.name,
      description: avatar.description,
      contentHash,
      byteLength: bytes.byteLength,
      triangleCount: inspection.triangleCount,
      clipNames: inspection.clipNames,
      morphTargets: inspection.morphTargets,
      suggestedMapping: suggestSlotMapping(inspection.clipNames, { clipDurations: inspection.clipDurations }),
    });
  }
  return {
    list,
    byId: (id) => list.find((avatar) => avatar.id === id),
    bytesOf: (hash) => bytesByHash.get(hash),
  };
}
