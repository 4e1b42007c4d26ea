/**
 * Turns a clip function into glTF keyframes: samples the pose at a fixed rate, converts Euler
 * angles to quaternions and keeps only the bones the clip actually moves. The writer later drops
 * keyframes that linear interpolation reproduces (resample), so sampling densely costs little.
 */
import type { BoneName } from '../catalogue.ts';
import type { ClipSpec, LimbPart, PoseWriter, Side } from './clips/pose.ts';
import { restTranslation, type Rig } from './rig.ts';
import { add, quatFromEulerDeg, type Quat, type Vec3 } from './vec.ts';

export const SAMPLE_RATE = 30;

export interface SampledTrack {
  bone: BoneName;
  path: 'rotation' | 'translation';
  times: Float32Array;
  /** Quaternions (x, y, z, w) for rotation, positions for translation. */
  values: Float32Array;
}

export interface SampledClip {
  name: string;
  duration: number;
  tracks: SampledTrack[];
}

interface PoseSample {
  euler: Map<BoneName, Vec3>;
  offset: Map<BoneName, Vec3>;
}

const limbBone = (side: Side, part: LimbPart): BoneName => `${side}${part}` as BoneName;

function samplePose(clip: ClipSpec, t: number, bones: ReadonlySet<BoneName>): PoseSample {
  const sample: PoseSample = { euler: new Map(), offset: new Map() };
  const writer: PoseWriter = {
    rot(bone, x, y, z) {
      if (!bones.has(bone)) return;
      const e = sample.euler.get(bone) ?? [0, 0, 0];
      sample.euler.set(bone, [e[0] + x, e[1] + y, e[2] + z]);
    },
    move(bone, offset) {
      if (!bones.has(bone)) return;
      sample.offset.set(bone, add(sample.offset.get(bone) ?? [0, 0, 0], offset));
    },
    limb(side, part, x, y, z) {
      // Mirroring across the x = 0 plane keeps rotation about X and flips rotation about Y and Z.
      if (side === 'left') writer.rot(limbBone(side, part), x, y, z);
      else writer.rot(limbBone(side, part), x, -y, -z);
    },
    both(part, x, y, z) {
      writer.limb('left', part, x, y, z);
      writer.limb('right', part, x, y, z);
    },
  };
  clip.pose(t, writer);
  return sample;
}

export function sampleClip(clip: ClipSpec, rig: Rig): SampledClip {
  const bones = new Set(rig.bones.map((b) => b.name));
  const frameCount = Math.round(clip.duration * SAMPLE_RATE) + 1;
  const times = Float32Array.from({ length: frameCount }, (_, i) => (i === frameCount - 1 ? clip.duration : i / SAMPLE_RATE));
  const samples = [...times].map((t) => samplePose(clip, t, bones));

  const tracks: SampledTrack[] = [];
  // Rig order, not first-touched order, so the file layout does not depend on how a clip is written.
  for (const { name } of rig.bones) {
    const eulers = samples.map((s) => s.euler.get(name) ?? ([0, 0, 0] as Vec3));
    if (eulers.some((e) => e.some((angle) => Math.abs(angle) > 1e-4))) {
      const values = new Float32Array(frameCount * 4);
      let previous: Quat | null = null;
      eulers.forEach((e, i) => {
        let q = quatFromEulerDeg(e[0], e[1], e[2]);
        // Keep neighbouring quaternions in the same hemisphere so interpolation takes the short way.
        if (previous && q[0] * previous[0] + q[1] * previous[1] + q[2] * previous[2] + q[3] * previous[3] < 0) {
          q = [-q[0], -q[1], -q[2], -q[3]];
        }
        values.set(q, i * 4);
        previous = q;
      });
      tracks.push({ bone: name, path: 'rotation', times, values });
    }
    const offsets = samples.map((s) => s.offset.get(name) ?? ([0, 0, 0] as Vec3));
    if (offsets.some((o) => o.some((d) => Math.abs(d) > 1e-6))) {
      const rest = restTranslation(rig, name);
      const values = new Float32Array(frameCount * 3);
      offsets.forEach((o, i) => values.set(add(rest, o), i * 3));
      tracks.push({ bone: name, path: 'translation', times, values });
    }
  }
  if (tracks.length === 0) throw new Error(`clip "${clip.name}" moves no bone`);
  return { name: clip.name, duration: clip.duration, tracks };
}
