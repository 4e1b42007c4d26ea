/**
 * The names every built-in avatar shares: animation clip slots, face morph targets and skeleton bones.
 * Runtimes (avatar-core, Studio) address clips, morphs and bones by these strings, so they are the
 * contract of this package; the generator and the tests both read them from here.
 */
import { ANIMATION_SLOTS } from '@mascot/avatar-core';

/** The 20 animation slots (defined by @mascot/avatar-core), in catalogue order. Each GLB carries exactly one clip per name. */
export const ANIMATION_CLIP_NAMES = ANIMATION_SLOTS;

export type AnimationClipName = (typeof ANIMATION_CLIP_NAMES)[number];

/**
 * Clips authored to loop seamlessly (first frame equals last frame): the idle and speech states,
 * and the moods happy and sad, which avatar-core holds as states. The rest start and end at rest.
 */
export const LOOPING_CLIP_NAMES: readonly AnimationClipName[] = [
  'idle',
  'idle_alt',
  'listen',
  'think',
  'talk',
  'talk_excited',
  'happy',
  'sad',
];

/**
 * Morph targets on each avatar's head mesh (glTF `mesh.extras.targetNames`, three.js
 * `morphTargetDictionary`). Mouth shapes are visemes a lip-sync driver blends; blinks are per eye.
 */
export const MORPH_TARGETS = [
  'mouthOpen',
  'mouthSmile',
  'mouthRound',
  'mouthClosed',
  'mouthFrown',
  'blinkLeft',
  'blinkRight',
] as const;

export type MorphTargetName = (typeof MORPH_TARGETS)[number];

/**
 * Bones both characters have, named after the VRM humanoid bones (lowerArm is the forearm) so
 * retargeting tools recognise them. Left and right are the character's own: it faces +Z, so its
 * left side is +X.
 */
export const SKELETON_BONES = [
  'root',
  'hips',
  'spine',
  'chest',
  'neck',
  'head',
  'leftUpperArm',
  'leftLowerArm',
  'leftHand',
  'rightUpperArm',
  'rightLowerArm',
  'rightHand',
  'leftUpperLeg',
  'leftLowerLeg',
  'leftFoot',
  'rightUpperLeg',
  'rightLowerLeg',
  'rightFoot',
] as const;

/** Character-specific bones for secondary motion; clips animate them when a rig has them. */
export const ACCESSORY_BONES = ['antenna', 'antennaTip', 'leftEar', 'rightEar', 'tail', 'tailMid', 'tailTip'] as const;

export type SkeletonBoneName = (typeof SKELETON_BONES)[number];
export type AccessoryBoneName = (typeof ACCESSORY_BONES)[number];
export type BoneName = SkeletonBoneName | AccessoryBoneName;
