// The project's avatar: one of Mascot's built-in characters or an imported GLB, its clips mapped to
// the 20 animation slots (auto-suggested by @mascot/avatar-core from the clip names).
import { readFile } from 'node:fs/promises';
import { suggestSlotMapping } from '@mascot/avatar-core';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import type { BotAvatar, BotBundle } from '@mascot/bot-bundle';
import type { AvatarInfo } from '../../shared/studio-api.ts';
import { StudioError } from '../../shared/studio-error.ts';
import type { ProjectStore } from '../workspace/project-store.ts';
import { AVATAR_BUDGETS, inspectGlb, type GlbInspection } from './glb-inspection.ts';

export class AvatarLibrary {
  private readonly inspections = new Map<string, GlbInspection>();

  constructor(private readonly store: ProjectStore) {}

  builtins(): { id: string; name: string; description: string }[] {
    return BUILTIN_AVATARS.map(({ id, name, description }) => ({ id, name, description }));
  }

  private async builtinBytes(id: string): Promise<Uint8Array> {
    const avatar = BUILTIN_AVATARS.find((candidate) => candidate.id === id);
    if (!avatar) throw StudioError.invalid([{ field: 'avatarId', message: `is not a built-in avatar (${BUILTIN_AVATARS.map((a) => a.id).join(', ')})` }]);
    return new Uint8Array(await readFile(avatar.file));
  }

  /** The model file of the project's avatar; null when the bot has none. */
  async bytes(projectId: string, avatar: BotAvatar): Promise<Uint8Array | null> {
    if (avatar.kind === 'builtin') return this.builtinBytes(avatar.id);
    if (avatar.kind === 'uploaded') return this.store.readAvatarFile(projectId, avatar.assetHash);
    return null;
  }

  private inspect(key: string, bytes: Uint8Array): GlbInspection {
    let inspection = this.inspections.get(key);
    if (!inspection) this.inspections.set(key, (inspection = inspectGlb(bytes)));
    return inspection;
  }

  async info(projectId: string, avatar: BotAvatar): Promise<AvatarInfo | null> {
    const bytes = await this.bytes(projectId, avatar);
    if (!bytes || avatar.kind === 'none') return null;
    const ref = avatar.kind === 'builtin' ? avatar.id : avatar.assetHash;
    const inspection = this.inspect(`${avatar.kind}:${ref}`, bytes);
    const name = avatar.kind === 'builtin' ? (BUILTIN_AVATARS.find((a) => a.id === ref)?.name ?? ref) : `Model ${ref.slice(0, 8)}`;
    return {
      kind: avatar.kind, ref, name, byteSize: inspection.byteSize, triangleCount: inspection.triangleCount,
      clipNames: inspection.clipNames, budgets: { maxBytes: AVATAR_BUDGETS.maxBytes, maxTriangles: AVATAR_BUDGETS.maxTriangles },
    };
  }

  /** The bundle with a built-in avatar and its suggested slot mapping. */
  async withBuiltin(bundle: BotBundle, avatarId: string): Promise<BotBundle> {
    const inspection = this.inspect(`builtin:${avatarId}`, await this.builtinBytes(avatarId));
    return { ...bundle, avatar: { kind: 'builtin', id: avatarId, animationMap: suggestSlotMapping(inspection.clipNames) } };
  }

  /** Validates and stores an imported GLB; the bundle then points at it with a suggested mapping. */
  async withImported(projectId: string, bundle: BotBundle, bytes: Uint8Array): Promise<BotBundle> {
    const inspection = inspectGlb(bytes);
    const assetHash = await this.store.saveAvatarFile(projectId, bytes);
    this.inspections.set(`uploaded:${assetHash}`, inspection);
    return { ...bundle, avatar: { kind: 'uploaded', assetHash, animationMap: suggestSlotMapping(inspection.clipNames) } };
  }

  async withSuggestedSlots(projectId: string, bundle: BotBundle): Promise<BotBundle> {
    const info = await this.info(projectId, bundle.avatar);
    if (!info) throw StudioError.invalid([{ field: 'avatar', message: 'is none; choose or import an avatar first' }]);
    return { ...bundle, avatar: { ...bundle.avatar, animationMap: suggestSlotMapping(info.clipNames) } };
  }
}
