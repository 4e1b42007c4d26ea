/** All clips in catalogue order, checked against ANIMATION_CLIP_NAMES so none is missing or extra. */
import { ANIMATION_CLIP_NAMES } from '../../catalogue.ts';
import { EMOTION_CLIPS } from './emotions.ts';
import { GESTURE_CLIPS } from './gestures.ts';
import { LOOP_CLIPS } from './loops.ts';
import type { ClipSpec } from './pose.ts';

const byName = new Map([...LOOP_CLIPS, ...GESTURE_CLIPS, ...EMOTION_CLIPS].map((clip) => [clip.name, clip]));

export const CLIPS: readonly ClipSpec[] = ANIMATION_CLIP_NAMES.map((name) => {
  const clip = byName.get(name);
  if (!clip) throw new Error(`no clip written for slot "${name}"`);
  return clip;
});

if (byName.size !== ANIMATION_CLIP_NAMES.length) {
  throw new Error('a clip is written for a slot that is not in ANIMATION_CLIP_NAMES');
}

export type { ClipSpec } from './pose.ts';
