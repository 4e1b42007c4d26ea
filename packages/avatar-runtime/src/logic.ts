// The three.js-free half of the runtime, as its own entry (`@mascot/avatar-runtime/logic`): what
// the avatar does and which face it shows. The widget's 2D portrait runs on it, so a visitor
// without WebGL never downloads three.js and still sees the same moods, gestures and talking.
export { AvatarDirector, IDLE_VARIETY_MS, MOOD_HOLD_MS, TAP_REACTIONS } from './avatar-director.ts';
export type { AvatarDirectorOptions, DirectedMotion } from './avatar-director.ts';
export { EXPRESSION_WEIGHTS, FACE_EXPRESSIONS, expressionForSlot } from './expressions.ts';
export type { FaceExpression } from './expressions.ts';
