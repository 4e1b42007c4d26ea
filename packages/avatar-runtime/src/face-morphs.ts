// The face morph targets the runtime drives (mouth shapes for lip-sync and expressions, blinks),
// found by name on every mesh of a model. Mascot's own avatars use exactly these names; common
// ARKit / Ready Player Me names are accepted as aliases so uploaded models get a face too.
import type { Mesh, Object3D } from 'three';
import { EXPRESSION_MORPHS } from './expressions.ts';

export const FACE_MORPHS = [...EXPRESSION_MORPHS, 'blinkLeft', 'blinkRight'] as const;
export type FaceMorph = (typeof FACE_MORPHS)[number];

const ALIASES: Readonly<Record<FaceMorph, readonly string[]>> = {
  mouthOpen: ['mouthOpen', 'jawOpen', 'viseme_aa'],
  mouthSmile: ['mouthSmile', 'mouthSmileLeft', 'mouthSmileRight', 'mouthSmile_L', 'mouthSmile_R'],
  mouthRound: ['mouthRound', 'mouthFunnel', 'mouthPucker', 'viseme_U'],
  mouthClosed: ['mouthClosed', 'mouthClose', 'mouthPressLeft', 'mouthPressRight'],
  mouthFrown: ['mouthFrown', 'mouthFrownLeft', 'mouthFrownRight', 'mouthFrown_L', 'mouthFrown_R'],
  blinkLeft: ['blinkLeft', 'eyeBlinkLeft', 'eyeBlink_L'],
  blinkRight: ['blinkRight', 'eyeBlinkRight', 'eyeBlink_R'],
};

interface Influence {
  readonly influences: number[];
  readonly index: number;
}

export class FaceMorphs {
  readonly #targets = new Map<FaceMorph, Influence[]>();

  constructor(root: Object3D) {
    root.traverse((object) => {
      const mesh = object as Mesh;
      const dictionary = mesh.morphTargetDictionary;
      const influences = mesh.morphTargetInfluences;
      if (!dictionary || !influences) return;
      for (const morph of FACE_MORPHS) {
        for (const name of ALIASES[morph]) {
          const index = dictionary[name];
          if (index === undefined) continue;
          const list = this.#targets.get(morph) ?? [];
          list.push({ influences, index });
          this.#targets.set(morph, list);
        }
      }
    });
  }

  /** The morphs this model has (a model without a face simply shows none). */
  get available(): FaceMorph[] {
    return FACE_MORPHS.filter((morph) => this.#targets.has(morph));
  }

  set(morph: FaceMorph, weight: number): void {
    const list = this.#targets.get(morph);
    if (!list) return;
    const clamped = weight < 0 ? 0 : weight > 1 ? 1 : weight;
    for (const target of list) target.influences[target.index] = clamped;
  }

  get(morph: FaceMorph): number {
    const first = this.#targets.get(morph)?.[0];
    return first ? (first.influences[first.index] ?? 0) : 0;
  }
}
