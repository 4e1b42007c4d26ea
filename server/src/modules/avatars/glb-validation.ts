import {
  DEFAULT_AVATAR_BUDGETS,
  GlbRuleViolation,
  checkAnimatable,
  checkModelBudgets,
  checkTextureDimensions,
  checkUploadSize,
  isStorableName,
  readGlbJson,
  type AvatarBudgets,
} from '@mascot/glb-rules';
import type { Document } from '@gltf-transform/core';
import { AvatarRejection, avatarRejected, avatarRuleBroken } from './avatars.errors.ts';
import { gltfIO } from './gltf-io.ts';

export { DEFAULT_AVATAR_BUDGETS, type AvatarBudgets };

/** What the validator learnt about an accepted model. */
export interface AvatarInspection {
  document: Document;
  triangleCount: number;
  /** In file order; non-empty, trimmed and unique. */
  clipNames: string[];
  /** Seconds, by clip name (suggestSlotMapping prefers the longest clip for idle). */
  clipDurations: Record<string, number>;
  /** Named morph targets across all meshes, unique, in file order. */
  morphTargets: string[];
  textureCount: number;
}

export function listMorphTargetNames(document: Document): string[] {
  const names = new Set<string>();
  for (const mesh of document.getRoot().listMeshes()) {
    for (const primitive of mesh.listPrimitives()) {
      for (const target of primitive.listTargets()) {
        const name = target.getName();
        if (name && isStorableName(name)) names.add(name);
      }
    }
  }
  return [...names];
}

function clipDurations(document: Document): Record<string, number> {
  const durations: Record<string, number> = {};
  for (const animation of document.getRoot().listAnimations()) {
    const ends = animation.listSamplers().map((sampler) => sampler.getInput()?.getMax([0])[0] ?? 0);
    durations[animation.getName()] = Math.max(0, ...ends.filter(Number.isFinite));
  }
  return durations;
}

async function parseGlb(bytes: Uint8Array): Promise<Document> {
  try {
    return await (await gltfIO()).readBinary(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unreadable';
    throw avatarRejected(AvatarRejection.INVALID_GLB, 'The file is not a valid glTF binary and could not be read.', { parseError: reason }, { cause: error });
  }
}

/**
 * Validates an uploaded avatar by the rules of @mascot/glb-rules (which Studio applies before sync)
 * plus what needs the decoded model, and reports what it holds. Throws a BAD_USER_INPUT DomainError
 * whose `details.reason` names the first rule broken (see AvatarRejection), in this order: size,
 * container structure, parse, triangles, textures, skinning, animations, clip names.
 */
export async function inspectAvatarGlb(bytes: Uint8Array, budgets: AvatarBudgets = DEFAULT_AVATAR_BUDGETS): Promise<AvatarInspection> {
  try {
    checkUploadSize(bytes.byteLength, budgets);
    const json = readGlbJson(bytes, budgets.maxDecodedBytes);
    const document = await parseGlb(bytes);
    const { triangleCount, textureCount } = checkModelBudgets(json, budgets);
    checkTextureDimensions(bytes, json, budgets);
    const clipNames = checkAnimatable(json);
    return { document, triangleCount, clipNames, clipDurations: clipDurations(document), morphTargets: listMorphTargetNames(document), textureCount };
  } catch (error) {
    if (error instanceof GlbRuleViolation) throw avatarRuleBroken(error);
    throw error;
  }
}
