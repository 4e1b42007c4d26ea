/** Shared last step of every character: check the rig and sample all 20 clips onto it. */
import { LOOPING_CLIP_NAMES } from '../../catalogue.ts';
import type { CharacterModel, MaterialSpec, MeshSpec } from '../character-model.ts';
import { CLIPS } from '../clips/index.ts';
import { assertRig, type Rig } from '../rig.ts';
import { sampleClip } from '../sample-clip.ts';

export function assembleCharacter(parts: {
  id: string;
  name: string;
  rig: Rig;
  materials: Record<string, MaterialSpec>;
  meshes: MeshSpec[];
}): CharacterModel {
  assertRig(parts.rig);
  return {
    ...parts,
    clips: CLIPS.map((clip) => sampleClip(clip, parts.rig)),
    loopingClips: LOOPING_CLIP_NAMES,
  };
}
