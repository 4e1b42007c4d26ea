import { describe, expect, it } from 'vitest';
import { lens, shutEye, type FaceSurface } from './face-features.ts';
import { capsule, ellipsoid, faceNormals } from './shapes.ts';
import { chain } from './skinning.ts';
import { dot, sub, type Vec3 } from './vec.ts';

describe('procedural geometry', () => {
  it('winds sweeps so every face normal points away from the centre', () => {
    const center: Vec3 = [0.1, 0.5, -0.2];
    for (const surface of [ellipsoid(center, [0.3, 0.2, 0.25]), capsule([0.1, 0.3, -0.2], [0.1, 0.7, -0.2], 0.08, 0.05)]) {
      const normals = faceNormals(surface);
      surface.positions.forEach((p, i) => expect(dot(normals[i] as Vec3, sub(p, center))).toBeGreaterThan(0));
    }
  });

  it('blends chain weights across a joint and always sums them to one', () => {
    const weights = chain(
      [
        { bone: 'leftUpperArm', at: [0, 1, 0] },
        { bone: 'leftLowerArm', at: [0, 0.5, 0] },
        { bone: 'leftHand', at: [0, 0, 0] },
      ],
      0.1,
    );
    for (let y = -0.2; y <= 1.2; y += 0.05) {
      const sum = weights([0, y, 0]).reduce((total, [, w]) => total + w, 0);
      expect(sum).toBeCloseTo(1, 10);
    }
    expect(weights([0, 0.5, 0])).toEqual([
      ['leftUpperArm', 0.5],
      ['leftLowerArm', 0.5],
      ['leftHand', 0],
    ]);
  });

  it('closes an eye into a thin line by moving its patch, keeping the same vertices', () => {
    const face: FaceSurface = { center: [0, 1, 0], radii: [0.25, 0.22, 0.23] };
    const open = { cx: 0.08, cy: 0.03, halfWidth: 0.03, upper: 0.04, lower: 0.04, bend: 0, lift: 0.004 };
    const eye = lens(face, open, { columns: 10, rows: 4 }, () => [0, 0, 0]);
    const deltas = eye.deltas(shutEye(open));
    expect(deltas).toHaveLength(eye.surface.positions.length);
    const shutHeights = eye.surface.positions.map((p, i) => p[1] + (deltas[i] as Vec3)[1]);
    const openHeights = eye.surface.positions.map((p) => p[1]);
    const spread = (ys: number[]): number => Math.max(...ys) - Math.min(...ys);
    expect(spread(shutHeights)).toBeLessThan(spread(openHeights) / 3);
  });
});
