/**
 * A skeleton in its bind pose. Bones carry no rest rotation, only an offset from their parent, so
 * every bone's local axes are the character's own: X to its left, Y up, Z forward. That makes
 * poses easy to write by hand (see clips/pose.ts) and inverse bind matrices pure translations.
 */
import type { BoneName } from '../catalogue.ts';
import { sub, type Vec3 } from './vec.ts';

export interface BoneSpec {
  name: BoneName;
  parent: BoneName | null;
  /** Joint position in the bind pose, in metres, character standing on y = 0 facing +Z. */
  at: Vec3;
}

export interface Rig {
  /** Parents before children; this is also the skin's joint order. */
  bones: readonly BoneSpec[];
}

export function boneSpec(rig: Rig, name: BoneName): BoneSpec {
  const bone = rig.bones.find((b) => b.name === name);
  if (!bone) throw new Error(`rig has no bone "${name}"`);
  return bone;
}

export const jointOrder = (rig: Rig): BoneName[] => rig.bones.map((b) => b.name);

/** Rest translation relative to the parent bone, as glTF node translation wants it. */
export function restTranslation(rig: Rig, name: BoneName): Vec3 {
  const bone = boneSpec(rig, name);
  return bone.parent ? sub(bone.at, boneSpec(rig, bone.parent).at) : bone.at;
}

/** Checks the rig is a tree listed parents-first, so skin and node hierarchy agree. */
export function assertRig(rig: Rig): void {
  const seen = new Set<BoneName>();
  for (const bone of rig.bones) {
    if (seen.has(bone.name)) throw new Error(`bone "${bone.name}" appears twice`);
    if (bone.parent !== null && !seen.has(bone.parent)) {
      throw new Error(`bone "${bone.name}" is listed before its parent "${bone.parent}"`);
    }
    seen.add(bone.name);
  }
}
