// The viseme set: 15 mouth shapes, the Oculus / Meta lip-sync set that Ready Player Me models ship
// as `viseme_*` morph targets and that ARKit-style blend shapes can approximate.

export const VISEMES = [
  'sil', // silence, mouth at rest
  'PP', // p, b, m: lips pressed
  'FF', // f, v: lower lip to upper teeth
  'TH', // th: tongue between teeth
  'DD', // t, d
  'kk', // k, g
  'CH', // ch, j, sh: lips pushed forward
  'SS', // s, z: teeth close, lips spread
  'nn', // n, l
  'RR', // r
  'aa', // a in "father", "cat"; u in "but"
  'E', // e in "bed", a in "make" (start)
  'ih', // i in "bit", ee in "see"
  'oh', // o in "go", "ought"
  'ou', // oo in "food", w
] as const;

export type Viseme = (typeof VISEMES)[number];

/** A viseme with a relative length (1 ≈ one consonant) and an articulation strength 0..1. */
export interface VisemeUnit {
  readonly viseme: Viseme;
  readonly length: number;
  readonly weight: number;
}
