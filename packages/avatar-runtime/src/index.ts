// Public API of @mascot/avatar-runtime: the three.js avatar the widget shows and Studio's preview hosts,
// framework-free. The three-free logic (director, expressions) also has its own entry, `@mascot/avatar-runtime/logic`,
// for code that must not pull three.js in (the widget's 2D portrait).

export { AvatarView, FIELD_OF_VIEW_DEG, createAvatarView, disposeAvatarModel } from './avatar-view.ts';
export { createAvatarLights } from './avatar-lights.ts';
export type { AvatarCanvas, AvatarViewOptions } from './avatar-view.ts';

export { AvatarRig, BODY_CROSSFADE_MS } from './avatar-rig.ts';
export type { AvatarRigOptions } from './avatar-rig.ts';

export { AvatarDirector, IDLE_VARIETY_MS, MOOD_HOLD_MS, TAP_REACTIONS } from './avatar-director.ts';
export type { AvatarDirectorOptions, DirectedMotion } from './avatar-director.ts';

export { COMFORTABLE_LAG_MS, FINISH_WITHIN_MS, LipSyncDriver, MAX_SPEED_UP } from './lip-sync-driver.ts';
export { BlinkDriver } from './blink-driver.ts';
export { FACE_MORPHS, FaceMorphs } from './face-morphs.ts';
export type { FaceMorph } from './face-morphs.ts';
export { FRAMING_MARGIN, UPPER_FRAMING_BELOW_PX, UPPER_SHARE, frameBounds, modelBounds } from './camera-framing.ts';
export type { CameraFraming, FramingFocus } from './camera-framing.ts';
export { loadAvatarModel, parseAvatarModel } from './load-avatar.ts';
export type { AvatarModel } from './load-avatar.ts';
export { SlotClips } from './slot-clips.ts';
export type { AnimationMapInput, ModelClip, SlotClip } from './slot-clips.ts';
export { EXPRESSION_WEIGHTS, FACE_EXPRESSIONS, expressionForSlot } from './expressions.ts';
export type { FaceExpression } from './expressions.ts';
