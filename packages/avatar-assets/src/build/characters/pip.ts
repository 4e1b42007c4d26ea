/**
 * Pip: a small chibi fox. Pear-shaped orange body with a cream belly, big round head with a
 * cream muzzle, a snout with a button nose, tall ears with dark tips, dark paws and a fluffy
 * white-tipped tail. Ears and tail have their own bones, so every clip gets secondary motion.
 */
import { MORPH_TARGETS } from '../../catalogue.ts';
import type { CharacterModel } from '../character-model.ts';
import { onFace, type FaceSurface, type LensShape, type MouthShapes } from '../face-features.ts';
import { MeshBuilder, hex } from '../mesh-builder.ts';
import { jointOrder, type Rig } from '../rig.ts';
import { curveThrough, ellipsoid, sweep } from '../shapes.ts';
import { chain, rigid } from '../skinning.ts';
import { add, clamp, lerp3, normalize, scale, smoothstep, sub, type Rgb, type Vec3 } from '../vec.ts';
import { assembleCharacter } from './assemble.ts';
import { addEyes, addMouth } from './face-parts.ts';
import { addArm, addLeg, armBones, legBones, type ArmSpec, type LegSpec } from './limbs.ts';

const ORANGE = hex('#f08a3c');
const CREAM = hex('#fff1de');
const INNER_EAR = hex('#ffd3bd');
const DARK = hex('#4a2a1c');
const EYE = hex('#2a1a14');
const NOSE = hex('#21140f');
const MOUTH_DARK = hex('#5a2320');
const TONGUE = hex('#ff8a8a');

const HEAD: FaceSurface = { center: [0, 0.8, 0], radii: [0.24, 0.21, 0.22] };
/** The snout is sunk into the lower face; the mouth is painted on it, under the nose. */
const SNOUT: FaceSurface = {
  center: add(onFace(HEAD, 0, -0.055, 0).p, [0, 0, -0.035]),
  radii: [0.085, 0.065, 0.07],
};

const ARM: ArmSpec = {
  shoulder: [0.135, 0.5, 0],
  elbow: [0.195, 0.4, 0.025],
  wrist: [0.225, 0.3, 0.045],
  radius: [0.036, 0.03],
  handRadius: 0.042,
  shoulderBall: 0.042,
  armColor: ORANGE,
  handColor: DARK,
  material: 'fur',
};

const LEG: LegSpec = {
  hip: [0.085, 0.24, 0],
  knee: [0.095, 0.14, 0.02],
  ankle: [0.1, 0.06, 0],
  radius: 0.045,
  footCenter: [0.1, 0.035, 0.03],
  footRadii: [0.055, 0.038, 0.08],
  legColor: ORANGE,
  footColor: DARK,
  material: 'fur',
};

/** Left ear; the right one is its mirror image. */
const EAR = { base: [0.105, 0.95, -0.01] as Vec3, joint: [0.12, 0.975, -0.01] as Vec3, tip: [0.215, 1.19, -0.03] as Vec3 };
const TAIL_PATH: Vec3[] = [
  [0, 0.22, -0.1],
  [0, 0.25, -0.24],
  [0, 0.33, -0.37],
  [0, 0.47, -0.45],
  [0, 0.62, -0.44],
];

const RIG: Rig = {
  bones: [
    { name: 'root', parent: null, at: [0, 0, 0] },
    { name: 'hips', parent: 'root', at: [0, 0.3, 0] },
    { name: 'spine', parent: 'hips', at: [0, 0.38, 0] },
    { name: 'chest', parent: 'spine', at: [0, 0.48, 0] },
    { name: 'neck', parent: 'chest', at: [0, 0.58, 0] },
    { name: 'head', parent: 'neck', at: [0, 0.63, 0] },
    { name: 'leftEar', parent: 'head', at: EAR.joint },
    { name: 'rightEar', parent: 'head', at: [-EAR.joint[0], EAR.joint[1], EAR.joint[2]] },
    ...armBones('left', ARM),
    ...armBones('right', ARM),
    ...legBones('left', LEG),
    ...legBones('right', LEG),
    { name: 'tail', parent: 'hips', at: [0, 0.23, -0.13] },
    { name: 'tailMid', parent: 'tail', at: [0, 0.28, -0.3] },
    { name: 'tailTip', parent: 'tailMid', at: [0, 0.4, -0.42] },
  ],
};

const MOUTH: MouthShapes = (() => {
  const neutral: LensShape = { cx: 0, cy: -0.018, halfWidth: 0.032, upper: 0.003, lower: 0.008, bend: 0.008, lift: 0.003 };
  return {
    neutral,
    mouthOpen: { ...neutral, halfWidth: 0.03, upper: 0.006, lower: 0.028, bend: 0.004 },
    mouthSmile: { ...neutral, halfWidth: 0.044, upper: 0.002, lower: 0.02, bend: 0.018 },
    mouthRound: { ...neutral, halfWidth: 0.017, upper: 0.014, lower: 0.02, bend: 0 },
    mouthClosed: { ...neutral, halfWidth: 0.034, upper: 0.0012, lower: 0.0012, bend: 0.007 },
    mouthFrown: { ...neutral, halfWidth: 0.032, upper: 0.003, lower: 0.003, bend: -0.014 },
  };
})();

function buildBody(): MeshBuilder {
  const body = new MeshBuilder(jointOrder(RIG));
  body.add(
    sweep({
      center: (t) => [0, 0.15 + 0.51 * t, 0],
      // Pear-shaped: widest low down, narrowing into the head.
      radius: (t) => 0.2 * Math.sin(Math.PI * t ** 0.75) * (1 - 0.35 * t),
      rings: 26,
      radial: 36,
      aspect: 0.88,
      side: [1, 0, 0],
    }),
    {
      material: 'fur',
      color: (p, n) => lerp3(ORANGE, CREAM, smoothstep(0.4, 0.7, n[2]) * smoothstep(0.52, 0.46, p[1])) as Rgb,
      skin: chain(
        [
          { bone: 'hips', at: [0, 0.3, 0] },
          { bone: 'spine', at: [0, 0.38, 0] },
          { bone: 'chest', at: [0, 0.48, 0] },
        ],
        0.05,
      ),
    },
  );
  for (const side of ['left', 'right'] as const) {
    addArm(body, side, ARM);
    addLeg(body, side, LEG);
  }
  const tailCurve = curveThrough(TAIL_PATH);
  body.add(
    sweep({
      center: tailCurve,
      radius: (t) => 0.095 * Math.sin(Math.PI * t ** 0.65) ** 0.9,
      rings: 30,
      radial: 18,
      side: [1, 0, 0],
    }),
    {
      material: 'fur',
      color: (_p, _n, along) => lerp3(ORANGE, CREAM, smoothstep(0.74, 0.82, along)) as Rgb,
      skin: chain(
        [
          { bone: 'hips', at: [0, 0.24, -0.08] },
          { bone: 'tail', at: [0, 0.23, -0.13] },
          { bone: 'tailMid', at: [0, 0.28, -0.3] },
          { bone: 'tailTip', at: [0, 0.4, -0.42] },
        ],
        0.05,
      ),
    },
  );
  return body;
}

function addEars(head: MeshBuilder): void {
  for (const sign of [1, -1]) {
    const m = (v: Vec3): Vec3 => [sign * v[0], v[1], v[2]];
    const base = m(EAR.base);
    const tip = m(EAR.tip);
    const axis = normalize(sub(tip, base));
    head.add(
      sweep({
        center: (t) => add(base, scale(sub(tip, base), t)),
        radius: (t) => 0.075 * Math.sin((Math.PI / 2) * clamp(t / 0.12)) * (1 - t) ** 0.9,
        rings: 16,
        radial: 16,
        // Wide across the face, thin front to back.
        aspect: 0.42,
        side: [axis[1], -axis[0], 0],
      }),
      {
        material: 'fur',
        color: (_p, n, along) => {
          const inner = smoothstep(0.35, 0.6, n[2]) * smoothstep(0.08, 0.16, along);
          return lerp3(lerp3(ORANGE, INNER_EAR, inner), DARK, smoothstep(0.66, 0.74, along)) as Rgb;
        },
        skin: chain(
          [
            { bone: 'head', at: base },
            { bone: sign > 0 ? 'leftEar' : 'rightEar', at: m(EAR.joint) },
          ],
          0.02,
        ),
      },
    );
  }
}

function buildHead(): MeshBuilder {
  const head = new MeshBuilder(jointOrder(RIG), MORPH_TARGETS);
  const onHead = rigid('head');
  head.add(ellipsoid(HEAD.center, HEAD.radii, 30, 44), {
    material: 'fur',
    // A fox mask: cream cheeks rising towards the sides, orange running down between the eyes.
    color: (p, n) => {
      const below = p[1] - HEAD.center[1] - (-0.075 + 0.5 * Math.abs(p[0]));
      return lerp3(ORANGE, CREAM, smoothstep(0.03, -0.03, below) * smoothstep(0.0, 0.3, n[2])) as Rgb;
    },
    skin: onHead,
  });
  head.add(ellipsoid(SNOUT.center, SNOUT.radii, 18, 26), { material: 'fur', color: CREAM, skin: onHead });
  const nose = onFace(SNOUT, 0, 0.026, -0.006).p;
  head.add(ellipsoid(nose, [0.026, 0.018, 0.018], 12, 18), { material: 'glossy', color: NOSE, skin: onHead });
  addEars(head);
  addEyes(head, {
    face: HEAD,
    leftEye: { cx: 0.08, cy: 0.035, halfWidth: 0.026, upper: 0.036, lower: 0.036, bend: 0, lift: 0.004, dome: 0.004 },
    material: 'glossy',
    colour: (_u, s) => lerp3(hex('#5a3826'), EYE, smoothstep(0, 0.5, s)) as Rgb,
    glint: {
      shape: { cx: -0.009, cy: 0.014, halfWidth: 0.009, upper: 0.009, lower: 0.009, bend: 0, lift: 0.011 },
      colour: [1, 1, 1],
      material: 'glossy',
    },
    bone: 'head',
  });
  addMouth(head, {
    face: SNOUT,
    shapes: MOUTH,
    material: 'fur',
    colour: (u, s) => lerp3(TONGUE, MOUTH_DARK, smoothstep(0.15, 0.5, s) + smoothstep(0.4, 0.8, Math.abs(u))) as Rgb,
    bone: 'head',
  });
  return head;
}

export function buildPip(): CharacterModel {
  return assembleCharacter({
    id: 'pip',
    name: 'Pip',
    rig: RIG,
    materials: {
      fur: { roughness: 0.82, metallic: 0 },
      glossy: { roughness: 0.22, metallic: 0 },
    },
    meshes: [
      { name: 'Pip_Body', primitives: buildBody().build(), morphNames: [] },
      { name: 'Pip_Head', primitives: buildHead().build(), morphNames: MORPH_TARGETS },
    ],
  });
}
