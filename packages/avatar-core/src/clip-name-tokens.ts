// Turns an animation clip name as exporters write it into comparable word stems:
//   "Armature|mixamo.com|Layer0" → []            (Mixamo's name for "the only clip": no information)
//   "CharacterArmature|Wave"      → ["wav"]
//   "M_Standing_Idle_001"         → ["stand", "idl"]   (Ready Player Me library)
//   "HappyIdle", "happy-idle"     → ["happy", "idl"]
// Case, separators, camelCase, numbering and diacritics never matter.

const LATIN_DIACRITICS = /[\u0300-\u036f]/g;

// Words exporters add that say nothing about the motion: rig and file names, Blender's "Action"
// and "Take 001", Mixamo's "mixamo.com|Layer0", RPM's M_/F_ prefixes, "in place" variants.
const NOISE = new Set([
  'armature', 'characterarmature', 'mixamo', 'mixamorig', 'com', 'layer', 'baselayer', 'take', 'action',
  'anim', 'animation', 'clip', 'root', 'rig', 'skeleton', 'scene', 'mesh', 'model', 'character', 'avatar',
  'glb', 'gltf', 'fbx', 'vrm', 'vrma', 'rpm', 'loop', 'in', 'place', 'inplace', 'the', 'a', 'an', 'and', 'of',
  'm', 'f', 'male', 'female', 'masculine', 'feminine', 'base', 'track', 'nla', 'default',
].map(stemWord));

/**
 * A light suffix stemmer, applied to clip names and to the vocabulary alike so both meet in the
 * middle ("waving" and "wave" → "wav", "nodding" → "nod", "surprised" → "surpris").
 */
export function stemWord(word: string): string {
  if (word.length <= 3) return word;
  let stem = word;
  if (stem.endsWith('ing') && stem.length >= 6) stem = stem.slice(0, -3);
  else if (stem.endsWith('ed') && stem.length >= 5) stem = stem.slice(0, -2);
  else if (stem.endsWith('s') && !stem.endsWith('ss') && stem.length >= 5) stem = stem.slice(0, -1);
  const last = stem.at(-1) ?? '';
  if (stem.length > 3 && last === stem.at(-2) && /[bdgklmnprt]/.test(last)) stem = stem.slice(0, -1);
  if (stem.length > 3 && stem.endsWith('e')) stem = stem.slice(0, -1);
  return stem;
}

/** The raw lowercase words of a clip name, numbering dropped (noise words kept). */
export function splitClipName(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(LATIN_DIACRITICS, '')
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2') // camelCase → camel Case
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2') // HTTPServer → HTTP Server
    .toLowerCase()
    .split(/[^\p{L}]+/u) // separators and digits: "idle_01", "Take 001", "Layer0"
    .filter((word) => word !== '');
}

/** The meaningful word stems of a clip name, in order, without duplicates. */
export function clipNameStems(name: string): string[] {
  const stems = splitClipName(name).map(stemWord).filter((stem) => !NOISE.has(stem));
  return [...new Set(stems)];
}
