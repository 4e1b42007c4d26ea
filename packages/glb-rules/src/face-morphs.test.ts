import { describe, expect, it } from 'vitest';
import { detectFaceMorphTargets } from './face-morphs.ts';

describe('face morph target detection', () => {
  it("finds mouth shapes and blinks in Mascot's, ARKit, Oculus viseme and VRM naming", () => {
    const names = ['mouthOpen', 'blinkLeft', 'jawOpen', 'eyeBlinkRight', 'viseme_aa', 'aa', 'ou', 'browInnerUp', 'cheekPuff', 'eyeSquintLeft'];
    expect(detectFaceMorphTargets(names)).toEqual({
      mouth: ['mouthOpen', 'jawOpen', 'viseme_aa', 'aa', 'ou'],
      blink: ['blinkLeft', 'eyeBlinkRight'],
    });
  });

  it('reports nothing for a model without face morphs', () => {
    expect(detectFaceMorphTargets(['tailCurl', 'earsDown'])).toEqual({ mouth: [], blink: [] });
  });
});
