/**
 * Procedural surfaces. Every closed body part is a sweep: rings of vertices around a centre curve,
 * closed by a single pole vertex where the radius reaches zero. Spheres, ellipsoids, capsules,
 * tapered limbs, ears and tails are all sweeps with different centre curves and radius profiles,
 * so there is one place that gets winding and topology right.
 */
import {
  add,
  anyPerpendicular,
  cross,
  dot,
  lerp3,
  normalize,
  scale,
  sub,
  type Vec3,
} from './vec.ts';

/** A triangle mesh in the bind pose. Normals are optional: absent ones are computed from faces. */
export interface Surface {
  positions: Vec3[];
  normals?: Vec3[];
  /** Flat list of vertex indices, three per triangle, counter-clockwise seen from outside. */
  triangles: number[];
  /** A parameter per vertex in [0, 1] along the sweep (0 at the start pole), for colour gradients. */
  along?: number[];
}

export interface SweepOptions {
  /** Centre of the cross-section at t in [0, 1]. */
  center: (t: number) => Vec3;
  /** Cross-section radius at t; zero at t = 0 and t = 1 closes the ends with a pole. */
  radius: (t: number) => number;
  /** Number of rings from pole to pole, poles included (cosine-spaced unless ts is given). */
  rings: number;
  /** Explicit ring positions in [0, 1], overriding the cosine spacing. */
  ts?: number[];
  /** Vertices around each ring. */
  radial: number;
  /** Ratio of the second cross-section axis to the first: 1 is round, below 1 is flattened. */
  aspect?: number;
  /** Direction the first cross-section axis should face (projected off the tangent). */
  side?: Vec3;
}

/** Cosine spacing crowds rings near the poles, where round ends need them. */
const ringT = (i: number, rings: number): number => (1 - Math.cos((Math.PI * i) / (rings - 1))) / 2;

export function sweep(options: SweepOptions): Surface {
  const { center, radius, radial, aspect = 1 } = options;
  const rings = options.ts?.length ?? options.rings;
  const positions: Vec3[] = [];
  const along: number[] = [];
  const triangles: number[] = [];
  const eps = 1e-4;

  let u: Vec3 | null = null;
  const ringStart: number[] = [];
  for (let i = 0; i < rings; i++) {
    const t = options.ts?.[i] ?? ringT(i, rings);
    const c = center(t);
    const r = radius(t);
    const tangent = normalize(sub(center(Math.min(1, t + eps)), center(Math.max(0, t - eps))));
    // Parallel transport: carry the previous frame's first axis onto this ring's plane, so rings
    // never twist along a bending path (a twist would shear the triangles of tails and arms).
    const seed: Vec3 = u ?? options.side ?? anyPerpendicular(tangent);
    let projected = sub(seed, scale(tangent, dot(seed, tangent)));
    if (Math.hypot(...projected) < 1e-6) projected = anyPerpendicular(tangent);
    u = normalize(projected);
    const v = cross(tangent, u);
    ringStart.push(positions.length);
    const isPole = i === 0 || i === rings - 1;
    if (isPole && r <= 1e-9) {
      positions.push(c);
      along.push(t);
      continue;
    }
    for (let j = 0; j < radial; j++) {
      const a = (2 * Math.PI * j) / radial;
      positions.push(add(c, add(scale(u, r * Math.cos(a)), scale(v, r * aspect * Math.sin(a)))));
      along.push(t);
    }
  }

  const ringSize = (i: number): number => (i + 1 < rings ? (ringStart[i + 1] as number) : positions.length) - (ringStart[i] as number);
  for (let i = 0; i + 1 < rings; i++) {
    const a0 = ringStart[i] as number;
    const b0 = ringStart[i + 1] as number;
    const aPole = ringSize(i) === 1;
    const bPole = ringSize(i + 1) === 1;
    for (let j = 0; j < radial; j++) {
      const j1 = (j + 1) % radial;
      // Each ring runs counter-clockwise around the tangent (v = tangent × u), so (i,j) (i,j+1) (i+1,j)
      // has its normal pointing away from the centre curve: outward.
      if (aPole) {
        triangles.push(a0, b0 + j1, b0 + j);
      } else if (bPole) {
        triangles.push(a0 + j, a0 + j1, b0);
      } else {
        triangles.push(a0 + j, a0 + j1, b0 + j, a0 + j1, b0 + j1, b0 + j);
      }
    }
  }
  return { positions, triangles, along };
}

/** An ellipsoid with its poles on the Y axis; rings of equal latitude, like a UV sphere. */
export function ellipsoid(center: Vec3, radii: Vec3, rings = 24, radial = 32): Surface {
  const [rx, ry, rz] = radii;
  return sweep({
    // With cosine ring spacing t = (1 - cos θ) / 2, so the centre moves by -cos θ and the radius is sin θ.
    center: (t) => add(center, [0, (2 * t - 1) * ry, 0]),
    radius: (t) => rx * Math.sqrt(Math.max(0, 1 - (2 * t - 1) ** 2)),
    rings,
    radial,
    aspect: rz / rx,
    side: [1, 0, 0],
  });
}

/**
 * A capsule from a to b whose radius tapers from ra to rb, with round caps. The centre curve runs
 * past both end points by the cap radius so the caps are half-spheres around a and b.
 */
export function capsule(a: Vec3, b: Vec3, ra: number, rb: number, bodyRings = 10, radial = 16, side?: Vec3): Surface {
  const axis = normalize(sub(b, a));
  const start = sub(a, scale(axis, ra));
  const end = add(b, scale(axis, rb));
  const total = ra + Math.hypot(...sub(b, a)) + rb;
  const capA = ra / total;
  const capB = rb / total;
  // Rings evenly spaced in angle over the caps and evenly in length along the body, where a limb bends.
  const capRings = 5;
  const ts: number[] = [];
  for (let k = 0; k <= capRings; k++) ts.push(capA * (1 - Math.cos((k / capRings) * (Math.PI / 2))));
  for (let k = 1; k < bodyRings; k++) ts.push(capA + ((1 - capA - capB) * k) / bodyRings);
  for (let k = capRings; k >= 0; k--) ts.push(1 - capB * (1 - Math.cos((k / capRings) * (Math.PI / 2))));
  return sweep({
    ts,
    center: (t) => lerp3(start, end, t),
    radius: (t) => {
      if (t < capA) return ra * Math.sqrt(Math.max(0, 1 - ((capA - t) / capA) ** 2));
      if (t > 1 - capB) return rb * Math.sqrt(Math.max(0, 1 - ((t - (1 - capB)) / capB) ** 2));
      return ra + ((rb - ra) * (t - capA)) / (1 - capA - capB);
    },
    rings: ts.length,
    radial,
    ...(side ? { side } : {}),
  });
}

/** A smooth curve through the points (Catmull-Rom, end points doubled), for tails and antennae. */
export function curveThrough(points: Vec3[]): (t: number) => Vec3 {
  const n = points.length - 1;
  return (t: number) => {
    const x = Math.min(n - 1e-9, Math.max(0, t * n));
    const i = Math.floor(x);
    const f = x - i;
    const p0 = points[Math.max(0, i - 1)] as Vec3;
    const p1 = points[i] as Vec3;
    const p2 = points[i + 1] as Vec3;
    const p3 = points[Math.min(n, i + 2)] as Vec3;
    const f2 = f * f;
    const f3 = f2 * f;
    const w0 = -0.5 * f3 + f2 - 0.5 * f;
    const w1 = 1.5 * f3 - 2.5 * f2 + 1;
    const w2 = -1.5 * f3 + 2 * f2 + 0.5 * f;
    const w3 = 0.5 * f3 - 0.5 * f2;
    return add(add(scale(p0, w0), scale(p1, w1)), add(scale(p2, w2), scale(p3, w3)));
  };
}

/** Area-weighted vertex normals, for surfaces that do not bring their own. */
export function faceNormals(surface: Surface): Vec3[] {
  const normals: Vec3[] = surface.positions.map(() => [0, 0, 0]);
  const { positions, triangles } = surface;
  for (let i = 0; i < triangles.length; i += 3) {
    const ia = triangles[i] as number;
    const ib = triangles[i + 1] as number;
    const ic = triangles[i + 2] as number;
    const a = positions[ia] as Vec3;
    const n = cross(sub(positions[ib] as Vec3, a), sub(positions[ic] as Vec3, a));
    for (const k of [ia, ib, ic]) normals[k] = add(normals[k] as Vec3, n);
  }
  return normals.map((n) => {
    const unit = normalize(n);
    return unit[0] === 0 && unit[1] === 0 && unit[2] === 0 ? [0, 1, 0] : unit;
  });
}
