/**
 * Which morph targets look like mouth shapes (for lip sync) or blinks, by name. The conventions
 * covered: Mascot's own (mouthOpen, blinkLeft), ARKit (jawOpen, mouthFunnel, eyeBlinkLeft), Oculus
 * visemes (viseme_aa, viseme_PP), VRM expressions (aa, ih, ou, ee, oh, blink) and Ready Player Me.
 * Detection only informs Studio and the runtime; a model without them is still accepted.
 */
const MOUTH = /mouth|jaw|lips?(?![a-z])|viseme|tongue|^(?:aa|ih|ou|ee|oh|a|i|u|e|o)$/i;
const BLINK = /blink|wink|eyes?_?clos|eyelid/i;

export interface FaceMorphTargets {
  mouth: string[];
  blink: string[];
}

export function detectFaceMorphTargets(names: readonly string[]): FaceMorphTargets {
  return {
    mouth: names.filter((name) => MOUTH.test(name) && !BLINK.test(name)),
    blink: names.filter((name) => BLINK.test(name)),
  };
}
