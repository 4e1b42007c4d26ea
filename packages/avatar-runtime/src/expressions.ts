// The face a slot shows, shared by the 3D avatar (as morph target weights) and the widget's 2D
// portrait (as drawings). Reduced motion and weak devices keep the body still, so the face is
// what still tells the visitor how the mascot feels: this mapping must stay free of three.js
// (package entry `@mascot/avatar-runtime/logic`) so the portrait can use it without
// downloading the 3D chunk.
import { MOUTH_SHAPES, type AnimationSlot, type MouthShape } from '@mascot/avatar-core';

export const FACE_EXPRESSIONS = ['neutral', 'happy', 'sad', 'surprised', 'thinking'] as const;
export type FaceExpression = (typeof FACE_EXPRESSIONS)[number];

const SLOT_EXPRESSIONS: Readonly<Record<AnimationSlot, FaceExpression>> = {
  idle: 'neutral',
  idle_alt: 'neutral',
  listen: 'neutral',
  think: 'thinking',
  talk: 'neutral',
  talk_excited: 'happy',
  greet_wave: 'happy',
  goodbye_wave: 'happy',
  nod: 'neutral',
  shake_head: 'sad',
  shrug: 'thinking',
  point: 'neutral',
  bow: 'happy',
  happy: 'happy',
  laugh: 'happy',
  sad: 'sad',
  surprised: 'surprised',
  confused: 'thinking',
  celebrate: 'happy',
  thumbs_up: 'happy',
};

/** The face that goes with a slot; unknown slots (a newer server) look neutral. */
export function expressionForSlot(slot: string): FaceExpression {
  return (SLOT_EXPRESSIONS as Readonly<Record<string, FaceExpression>>)[slot] ?? 'neutral';
}

/**
 * Face morph targets an expression uses (names as in @mascot/avatar-assets' MORPH_TARGETS): the
 * mouth shapes lip-sync drives, and a frown no viseme has.
 */
export type ExpressionMorph = MouthShape | 'mouthFrown';
export const EXPRESSION_MORPHS: readonly ExpressionMorph[] = [...MOUTH_SHAPES, 'mouthFrown'];

/**
 * Each expression as resting morph weights. Kept moderate so lip-sync shapes added on top stay
 * readable (an open vowel on a smile is still an open vowel).
 */
export const EXPRESSION_WEIGHTS: Readonly<Record<FaceExpression, Readonly<Record<ExpressionMorph, number>>>> = {
  neutral: { mouthOpen: 0, mouthSmile: 0.15, mouthRound: 0, mouthClosed: 0, mouthFrown: 0 },
  happy: { mouthOpen: 0.1, mouthSmile: 0.75, mouthRound: 0, mouthClosed: 0, mouthFrown: 0 },
  sad: { mouthOpen: 0, mouthSmile: 0, mouthRound: 0, mouthClosed: 0.2, mouthFrown: 0.8 },
  surprised: { mouthOpen: 0.45, mouthSmile: 0, mouthRound: 0.7, mouthClosed: 0, mouthFrown: 0 },
  thinking: { mouthOpen: 0, mouthSmile: 0, mouthRound: 0.15, mouthClosed: 0.35, mouthFrown: 0.3 },
};
