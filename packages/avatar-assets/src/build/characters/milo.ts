/**
 * Milo: a round little robot. Egg-shaped white body with a teal belly light, a big round head
 * with a dark screen face whose cyan LED eyes and mouth are the morphing features, ear bolts,
 * and an antenna with a glowing ball that wobbles in every clip.
 */
import { MORPH_TARGETS } from '../../catalogue.ts';
import type { CharacterModel } from '../character-model.ts';
import type { FaceSurface, LensShape, MouthShapes } from '../face-features.ts';
import { MeshBuilder, hex } from '../mesh-builder.ts';
import { jointOrder, type Rig } from '../rig.ts';
import { capsule, ellipsoid } from '../shapes.ts';
import { chain, rigid } from '../skinning.ts';
import { lerp3, type Rgb } from '../vec.ts';
import { assembleCharacter } from './assemble.ts';
import { addEyes, addMouth, addPatch } from './face-parts.ts';
import { addArm, addLeg, armBones, legBones, type ArmSpec, type LegSpec } from './limbs.ts';

const WHITE = hex('#f4f7fb');
const GREY = hex('#566173');
const TEAL = hex('#3cc8c0');
const SCREEN = hex('#16202d');
const CYAN = hex('#7df9ff');
const WARM = hex('#ffc46b');
const BLUSH = hex('#ff7fa6');

const BODY: FaceSurface = { center: [0, 0.52, 0], radii: [0.28, 0.3, 0.25] };
const HEAD: FaceSurface = { center: [0, 1.04, 0], radii: [0.29, 0.23, 0.26] };

const ARM: ArmSpec = {
  shoulder: [0.265, 0.64, 0],
  elbow: [0.335, 0.51, 0.02],
  wrist: [0.375, 0.38, 0.04],
  radius: [0.042, 0.036],
  handRadius: 0.058,
  shoulderBall: 0.055,
  armColor: GREY,
  handColor: WHITE,
  material: 'shell',
};

const LEG: LegSpec = {
  hip: [0.12, 0.3, 0],
  knee: [0.125, 0.19, 0.01],
  ankle: [0.13, 0.09, 0],
  radius: 0.05,
  footCenter: [0.13, 0.05, 0.035],
  footRadii: [0.075, 0.05, 0.105],
  legColor: GREY,
  footColor: TEAL,
  material: 'shell',
};

const RIG: Rig = {
  bones: [
    { name: 'root', parent: null, at: [0, 0, 0] },
    { name: 'hips', parent: 'root', at: [0, 0.4, 0] },
    { name: 'spine', parent: 'hips', at: [0, 0.5, 0] },
    { name: 'chest', parent: 'spine', at: [0, 0.62, 0] },
    { name: 'neck', parent: 'chest', at: [0, 0.8, 0] },
    { name: 'head', parent: 'neck', at: [0, 0.86, 0] },
    { name: 'antenna', parent: 'head', at: [0, 1.26, 0] },
    { name: 'antennaTip', parent: 'antenna', at: [0, 1.36, 0] },
    ...armBones('left', ARM),
    ...armBones('right', ARM),
    ...legBones('left', LEG),
    ...legBones('right', LEG),
  ],
};

/** LED mouth shapes on the screen; each morph target is one of these minus neutral. */
const MOUTH: MouthShapes = (() => {
  const neutral: LensShape = { cx: 0, cy: -0.055, halfWidth: 0.05, upper: 0.004, lower: 0.012, bend: 0.012, lift: 0.008 };
  return {
    neutral,
    mouthOpen: { ...neutral, halfWidth: 0.045, upper: 0.01, lower: 0.045, bend: 0.004 },
    mouthSmile: { ...neutral, halfWidth: 0.07, upper: 0.003, lower: 0.028, bend: 0.03 },
    mouthRound: { ...neutral, halfWidth: 0.026, upper: 0.025, lower: 0.03, bend: 0 },
    mouthClosed: { ...neutral, halfWidth: 0.055, upper: 0.0015, lower: 0.0015, bend: 0.01 },
    mouthFrown: { ...neutral, halfWidth: 0.05, upper: 0.005, lower: 0.005, bend: -0.022 },
  };
})();

const torsoSkin = chain(
  [
    { bone: 'hips', at: [0, 0.4, 0] },
    { bone: 'spine', at: [0, 0.5, 0] },
    { bone: 'chest', at: [0, 0.62, 0] },
  ],
  0.06,
);

function buildBody(): MeshBuilder {
  const body = new MeshBuilder(jointOrder(RIG));
  body.add(ellipsoid(BODY.center, BODY.radii, 28, 40), { material: 'shell', color: WHITE, skin: torsoSkin });
  addPatch(body, BODY, { cx: 0, cy: -0.02, halfWidth: 0.1, upper: 0.085, lower: 0.085, bend: 0, power: 0.8, lift: 0.003 }, { columns: 20, rows: 8 }, {
    material: 'shell',
    colour: () => TEAL,
    skin: torsoSkin,
  });
  // A warm light in the belly panel: Milo's "heart".
  addPatch(body, BODY, { cx: 0, cy: 0, halfWidth: 0.03, upper: 0.03, lower: 0.03, bend: 0, lift: 0.006, dome: 0.002 }, { columns: 12, rows: 4 }, {
    material: 'glowWarm',
    colour: () => WARM,
    skin: torsoSkin,
  });
  body.add(capsule([0, 0.76, 0], [0, 0.86, 0], 0.085, 0.085, 6, 20), {
    material: 'shell',
    color: GREY,
    skin: chain(
      [
        { bone: 'chest', at: [0, 0.76, 0] },
        { bone: 'neck', at: [0, 0.8, 0] },
        { bone: 'head', at: [0, 0.86, 0] },
      ],
      0.025,
    ),
  });
  for (const side of ['left', 'right'] as const) {
    addArm(body, side, ARM);
    addLeg(body, side, LEG);
  }
  return body;
}

function buildHead(): MeshBuilder {
  const head = new MeshBuilder(jointOrder(RIG), MORPH_TARGETS);
  const onHead = rigid('head');
  head.add(ellipsoid(HEAD.center, HEAD.radii, 30, 44), { material: 'shell', color: WHITE, skin: onHead });
  // The screen is slightly lighter at the top, like glass catching the sky.
  addPatch(head, HEAD, { cx: 0, cy: -0.005, halfWidth: 0.2, upper: 0.12, lower: 0.13, bend: 0, power: 0.25, lift: 0.004 }, { columns: 30, rows: 8 }, {
    material: 'screen',
    colour: (_u, s) => lerp3(SCREEN, hex('#2a3a52'), s * s) as Rgb,
    skin: onHead,
  });
  for (const cx of [0.13, -0.13]) {
    addPatch(head, HEAD, { cx, cy: -0.035, halfWidth: 0.026, upper: 0.011, lower: 0.011, bend: 0, lift: 0.006 }, { columns: 12, rows: 3 }, {
      material: 'screen',
      colour: () => BLUSH,
      skin: onHead,
    });
  }
  addEyes(head, {
    face: HEAD,
    leftEye: { cx: 0.075, cy: 0.03, halfWidth: 0.028, upper: 0.045, lower: 0.045, bend: 0, power: 0.6, lift: 0.008, dome: 0.002 },
    material: 'glow',
    colour: (u, s) => lerp3(CYAN, [1, 1, 1], 0.35 * (1 - u * u) * s) as Rgb,
    bone: 'head',
  });
  addMouth(head, { face: HEAD, shapes: MOUTH, material: 'glow', colour: () => CYAN, bone: 'head' });
  for (const side of [1, -1]) {
    head.add(capsule([side * 0.265, 1.04, 0], [side * 0.305, 1.04, 0], 0.055, 0.05, 2, 20), {
      material: 'shell',
      color: TEAL,
      skin: onHead,
    });
  }
  head.add(capsule([0, 1.24, 0], [0, 1.39, 0], 0.013, 0.011, 10, 10), {
    material: 'shell',
    color: GREY,
    skin: chain(
      [
        { bone: 'head', at: [0, 1.22, 0] },
        { bone: 'antenna', at: [0, 1.26, 0] },
        { bone: 'antennaTip', at: [0, 1.36, 0] },
      ],
      0.02,
    ),
  });
  head.add(ellipsoid([0, 1.415, 0], [0.036, 0.036, 0.036], 12, 16), {
    material: 'glowWarm',
    color: WARM,
    skin: rigid('antennaTip'),
  });
  return head;
}

export function buildMilo(): CharacterModel {
  return assembleCharacter({
    id: 'milo',
    name: 'Milo',
    rig: RIG,
    materials: {
      shell: { roughness: 0.42, metallic: 0 },
      screen: { roughness: 0.18, metallic: 0 },
      glow: { roughness: 0.5, metallic: 0, emissive: hex('#38d8f0') },
      glowWarm: { roughness: 0.5, metallic: 0, emissive: hex('#e89a3a') },
    },
    meshes: [
      { name: 'Milo_Body', primitives: buildBody().build(), morphNames: [] },
      { name: 'Milo_Head', primitives: buildHead().build(), morphNames: MORPH_TARGETS },
    ],
  });
}
