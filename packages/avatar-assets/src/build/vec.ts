/**
 * The little vector maths the generator needs, on plain tuples so geometry stays easy to read and
 * to hash. Angles are in degrees wherever a person writes them (poses), radians inside.
 */

export type Vec3 = [number, number, number];
export type Quat = [number, number, number, number];
export type Rgb = [number, number, number];

export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const mul = (a: Vec3, b: Vec3): Vec3 => [a[0] * b[0], a[1] * b[1], a[2] * b[2]];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export const length = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const normalize = (a: Vec3): Vec3 => {
  const l = length(a);
  return l > 1e-12 ? scale(a, 1 / l) : [0, 0, 0];
};
export const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
export const lerp3 = (a: Vec3, b: Vec3, t: number): Vec3 => [lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t)];
export const clamp = (x: number, lo = 0, hi = 1): number => Math.min(hi, Math.max(lo, x));

/** Hermite smoothstep: 0 below edge0, 1 above edge1, with zero slope at both ends. */
export const smoothstep = (edge0: number, edge1: number, x: number): number => {
  const t = clamp((x - edge0) / (edge1 - edge0));
  return t * t * (3 - 2 * t);
};

export const DEG = Math.PI / 180;

/** Euler angles in degrees, applied in three.js 'XYZ' order, so poses read the same in a viewer. */
export const quatFromEulerDeg = (xDeg: number, yDeg: number, zDeg: number): Quat => {
  const c1 = Math.cos((xDeg * DEG) / 2);
  const c2 = Math.cos((yDeg * DEG) / 2);
  const c3 = Math.cos((zDeg * DEG) / 2);
  const s1 = Math.sin((xDeg * DEG) / 2);
  const s2 = Math.sin((yDeg * DEG) / 2);
  const s3 = Math.sin((zDeg * DEG) / 2);
  return [
    s1 * c2 * c3 + c1 * s2 * s3,
    c1 * s2 * c3 - s1 * c2 * s3,
    c1 * c2 * s3 + s1 * s2 * c3,
    c1 * c2 * c3 - s1 * s2 * s3,
  ];
};

/** Rotates v by the unit quaternion q. */
export const rotate = (q: Quat, v: Vec3): Vec3 => {
  const [x, y, z, w] = q;
  const u: Vec3 = [x, y, z];
  const t = scale(cross(u, v), 2);
  return add(add(v, scale(t, w)), cross(u, t));
};

/** A unit vector perpendicular to n, stable for any n (used to start tube frames). */
export const anyPerpendicular = (n: Vec3): Vec3 =>
  Math.abs(n[1]) < 0.9 ? normalize(cross(n, [0, 1, 0])) : normalize(cross(n, [1, 0, 0]));

/** Mirrors a point across the character's mid-plane (x = 0), turning a left part into a right one. */
export const mirrorX = (v: Vec3): Vec3 => [-v[0], v[1], v[2]];
