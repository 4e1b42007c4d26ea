/**
 * Arms and legs both characters share in structure: a tapered tube that bends smoothly at the
 * elbow or knee, a mitten hand with a thumb (so thumbs_up reads), a rounded foot. Specs are
 * written for the left side (+X) and mirrored for the right.
 */
import type { BoneName } from '../../catalogue.ts';
import type { Side } from '../clips/pose.ts';
import type { MeshBuilder } from '../mesh-builder.ts';
import type { BoneSpec } from '../rig.ts';
import { capsule, ellipsoid } from '../shapes.ts';
import { chain, rigid } from '../skinning.ts';
import { add, mirrorX, normalize, scale, sub, type Rgb, type Vec3 } from '../vec.ts';

export interface ArmSpec {
  shoulder: Vec3;
  elbow: Vec3;
  wrist: Vec3;
  /** Radius at the shoulder and at the wrist. */
  radius: [number, number];
  handRadius: number;
  /** A ball joint over the shoulder, hiding where the arm meets the body. */
  shoulderBall?: number;
  armColor: Rgb;
  handColor: Rgb;
  material: string;
}

export interface LegSpec {
  hip: Vec3;
  knee: Vec3;
  ankle: Vec3;
  radius: number;
  footCenter: Vec3;
  footRadii: Vec3;
  legColor: Rgb;
  footColor: Rgb;
  material: string;
}

const bone = (side: Side, part: string): BoneName => `${side}${part}` as BoneName;
const place = (side: Side, p: Vec3): Vec3 => (side === 'left' ? p : mirrorX(p));

export function armBones(side: Side, spec: ArmSpec): BoneSpec[] {
  return [
    { name: bone(side, 'UpperArm'), parent: 'chest', at: place(side, spec.shoulder) },
    { name: bone(side, 'LowerArm'), parent: bone(side, 'UpperArm'), at: place(side, spec.elbow) },
    { name: bone(side, 'Hand'), parent: bone(side, 'LowerArm'), at: place(side, spec.wrist) },
  ];
}

export function legBones(side: Side, spec: LegSpec): BoneSpec[] {
  return [
    { name: bone(side, 'UpperLeg'), parent: 'hips', at: place(side, spec.hip) },
    { name: bone(side, 'LowerLeg'), parent: bone(side, 'UpperLeg'), at: place(side, spec.knee) },
    { name: bone(side, 'Foot'), parent: bone(side, 'LowerLeg'), at: place(side, spec.ankle) },
  ];
}

export function addArm(builder: MeshBuilder, side: Side, spec: ArmSpec): void {
  const shoulder = place(side, spec.shoulder);
  const elbow = place(side, spec.elbow);
  const wrist = place(side, spec.wrist);
  const [r0, r1] = spec.radius;
  // One continuous tube from shoulder to wrist, weighted across the elbow so it bends like a hose.
  builder.add(capsule(shoulder, wrist, r0, r1, 14, 14), {
    material: spec.material,
    color: spec.armColor,
    skin: chain(
      [
        { bone: bone(side, 'UpperArm'), at: shoulder },
        { bone: bone(side, 'LowerArm'), at: elbow },
        { bone: bone(side, 'Hand'), at: wrist, blend: r1 * 0.6 },
      ],
      r0 * 1.2,
    ),
  });
  if (spec.shoulderBall) {
    builder.add(ellipsoid(shoulder, [spec.shoulderBall, spec.shoulderBall, spec.shoulderBall], 12, 16), {
      material: spec.material,
      color: spec.armColor,
      skin: rigid(bone(side, 'UpperArm')),
    });
  }
  const dir = normalize(sub(wrist, elbow));
  const r = spec.handRadius;
  const hand = add(wrist, scale(dir, r * 0.75));
  builder.add(ellipsoid(hand, [r, r * 1.05, r * 0.9], 14, 18), {
    material: spec.material,
    color: spec.handColor,
    skin: rigid(bone(side, 'Hand')),
  });
  // The thumb sits on the front of the hand and points forward: bending the elbow 90° turns it up.
  const thumbBase = add(hand, place(side, [-0.25 * r, 0.1 * r, 0.5 * r]));
  const thumbTip = add(thumbBase, place(side, [-0.05 * r, -0.2 * r, 0.95 * r]));
  builder.add(capsule(thumbBase, thumbTip, 0.42 * r, 0.36 * r, 4, 10), {
    material: spec.material,
    color: spec.handColor,
    skin: rigid(bone(side, 'Hand')),
  });
}

export function addLeg(builder: MeshBuilder, side: Side, spec: LegSpec): void {
  const hip = place(side, spec.hip);
  const knee = place(side, spec.knee);
  const ankle = place(side, spec.ankle);
  builder.add(capsule(hip, ankle, spec.radius, spec.radius * 0.9, 12, 14), {
    material: spec.material,
    color: spec.legColor,
    skin: chain(
      [
        { bone: 'hips', at: add(hip, [0, spec.radius, 0]) },
        { bone: bone(side, 'UpperLeg'), at: hip },
        { bone: bone(side, 'LowerLeg'), at: knee },
        { bone: bone(side, 'Foot'), at: ankle, blend: spec.radius * 0.5 },
      ],
      spec.radius,
    ),
  });
  builder.add(ellipsoid(place(side, spec.footCenter), spec.footRadii, 14, 20), {
    material: spec.material,
    color: spec.footColor,
    skin: rigid(bone(side, 'Foot')),
  });
}
