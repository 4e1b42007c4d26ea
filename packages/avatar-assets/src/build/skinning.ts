/**
 * Skin weights as functions of a vertex's bind-pose position. A part either follows one bone
 * rigidly or blends smoothly along a chain of bones (torso, limbs, tails), which is what keeps
 * elbows and waists from creasing when the clips bend them.
 */
import type { BoneName } from '../catalogue.ts';
import { dot, normalize, smoothstep, sub, type Vec3 } from './vec.ts';

export type Influence = readonly [BoneName, number];
export type WeightFn = (p: Vec3) => Influence[];

/** glTF allows four influences per vertex in JOINTS_0/WEIGHTS_0; more would need a second set. */
export const MAX_INFLUENCES = 4;

export const rigid =
  (bone: BoneName): WeightFn =>
  () => [[bone, 1]];

export interface ChainLink {
  bone: BoneName;
  /** Where this bone's influence starts: its joint, in the bind pose. */
  at: Vec3;
  /** Half-width of the blend zone around this joint (ignored for the first link). */
  blend?: number;
}

/**
 * Weights along a chain of bones. Around each joint the influence passes from the previous bone to
 * the next over ±blend measured along the incoming bone's direction. Written as a product of
 * per-joint transitions, so the weights always add up to exactly one.
 */
export function chain(links: readonly ChainLink[], defaultBlend: number): WeightFn {
  const joints = links.slice(1).map((link, i) => ({
    at: link.at,
    dir: normalize(sub(link.at, (links[i] as ChainLink).at)),
    blend: link.blend ?? defaultBlend,
  }));
  return (p) => {
    const influences: Influence[] = [];
    let reached = 1;
    for (let k = 0; k < links.length; k++) {
      const next = joints[k];
      const passNext = next ? smoothstep(-next.blend, next.blend, dot(sub(p, next.at), next.dir)) : 0;
      influences.push([(links[k] as ChainLink).bone, reached * (1 - passNext)]);
      reached *= passNext;
    }
    return influences;
  };
}

/**
 * Merges duplicate bones, keeps the strongest four influences and renormalises them, so every
 * vertex is weighted to one to four joints with weights summing to one.
 */
export function normalizeInfluences(influences: readonly Influence[], jointOrder: readonly BoneName[]): Influence[] {
  const merged = new Map<BoneName, number>();
  for (const [bone, weight] of influences) {
    if (!jointOrder.includes(bone)) throw new Error(`skin weight names bone "${bone}", which this rig does not have`);
    merged.set(bone, (merged.get(bone) ?? 0) + weight);
  }
  // Ties are broken by joint order so the output never depends on Map or sort stability.
  const kept = [...merged.entries()]
    .filter(([, weight]) => weight > 1e-3)
    .sort((a, b) => b[1] - a[1] || jointOrder.indexOf(a[0]) - jointOrder.indexOf(b[0]))
    .slice(0, MAX_INFLUENCES);
  const total = kept.reduce((sum, [, weight]) => sum + weight, 0);
  if (total <= 0) throw new Error('a vertex has no skin weight');
  return kept.map(([bone, weight]) => [bone, weight / total] as const);
}
