/**
 * What a character module produces and the GLB writer consumes: a rig, a small material palette,
 * skinned meshes and sampled clips. Nothing here knows about glTF-Transform.
 */
import type { MorphTargetName } from '../catalogue.ts';
import type { PrimitiveData } from './mesh-builder.ts';
import type { Rig } from './rig.ts';
import type { SampledClip } from './sample-clip.ts';
import type { Rgb } from './vec.ts';

/**
 * Materials are plain metal-rough factors: colour comes from vertex colours (COLOR_0 multiplies
 * baseColor), so no textures are needed and a three.js loader never has to decode an image.
 */
export interface MaterialSpec {
  roughness: number;
  metallic: number;
  /** sRGB emissive colour for glowing parts (vertex colours do not tint emission). */
  emissive?: Rgb;
}

export interface MeshSpec {
  name: string;
  primitives: PrimitiveData[];
  morphNames: readonly MorphTargetName[];
}

export interface CharacterModel {
  id: string;
  name: string;
  rig: Rig;
  materials: Readonly<Record<string, MaterialSpec>>;
  meshes: MeshSpec[];
  clips: SampledClip[];
  loopingClips: readonly string[];
}
