/**
 * Eyes and mouths painted onto the head: thin domed patches that hug the head's ellipsoid. Each
 * feature is a "lens" between an upper and a lower curve, so one topology can be an open mouth, a
 * smile, an O, a closed line or a shut eye; morph targets are simply the difference between two
 * lens shapes. Because the patch is re-projected onto the head for every shape, a deformed
 * feature never sinks into the face or floats off it.
 */
import type { Surface } from './shapes.ts';
import { add, normalize, scale, type Rgb, type Vec3 } from './vec.ts';

/** The ellipsoid a face is painted on (the head's own shape). */
export interface FaceSurface {
  center: Vec3;
  radii: Vec3;
}

/**
 * A feature in face coordinates: metres along the head's surface from the front-most point,
 * x towards the character's left (the viewer's right), y up.
 */
export interface LensShape {
  cx: number;
  cy: number;
  halfWidth: number;
  /** Height of the upper curve above the centre line, at the middle. */
  upper: number;
  /** Depth of the lower curve below the centre line, at the middle. */
  lower: number;
  /** Lift of the corners relative to the middle: positive smiles, negative frowns. */
  bend: number;
  /** Shape of the ends: 1 is elliptical, smaller is boxier (a pill or a screen). */
  power?: number;
  /** Height above the head surface at the rim, and extra height at the middle (a slight dome). */
  lift: number;
  dome?: number;
}

export interface LensGrid {
  /** Columns across the width (corners included). */
  columns: number;
  /** Rows from the lower curve to the upper one. */
  rows: number;
}

/** Point on the face surface for face coordinates (x, y), raised by lift along the normal. */
export function onFace(face: FaceSurface, x: number, y: number, lift: number): { p: Vec3; n: Vec3 } {
  const [rx, ry, rz] = face.radii;
  // Arc length to angle: dividing by the radius keeps features the size they were drawn.
  const yaw = x / rx;
  const pitch = y / ry;
  const dir: Vec3 = [Math.sin(yaw) * Math.cos(pitch), Math.sin(pitch), Math.cos(yaw) * Math.cos(pitch)];
  const s = 1 / Math.hypot(dir[0] / rx, dir[1] / ry, dir[2] / rz);
  const local = scale(dir, s);
  const n = normalize([local[0] / (rx * rx), local[1] / (ry * ry), local[2] / (rz * rz)]);
  return { p: add(add(face.center, local), scale(n, lift)), n };
}

interface LensVertex {
  /** Across the width, -1 (viewer's left corner) to 1. */
  u: number;
  /** From the lower curve (0) to the upper one (1). */
  s: number;
}

/** The fixed vertex layout: a single vertex at each corner and columns × rows between them. */
function lensLayout({ columns, rows }: LensGrid): LensVertex[] {
  const vertices: LensVertex[] = [{ u: -1, s: 0.5 }];
  for (let i = 1; i < columns - 1; i++) {
    // Cosine spacing puts more columns near the corners, where the curves turn fastest.
    const u = -Math.cos((Math.PI * i) / (columns - 1));
    for (let k = 0; k <= rows; k++) vertices.push({ u, s: k / rows });
  }
  vertices.push({ u: 1, s: 0.5 });
  return vertices;
}

function lensTriangles({ columns, rows }: LensGrid): number[] {
  const at = (i: number, k: number): number => 1 + (i - 1) * (rows + 1) + k;
  const right = 1 + (columns - 2) * (rows + 1);
  const triangles: number[] = [];
  // Counter-clockwise as the viewer sees the face, so normals point out of the head.
  for (let k = 0; k < rows; k++) triangles.push(0, at(1, k), at(1, k + 1));
  for (let i = 1; i < columns - 2; i++) {
    for (let k = 0; k < rows; k++) {
      triangles.push(at(i, k), at(i + 1, k), at(i + 1, k + 1), at(i, k), at(i + 1, k + 1), at(i, k + 1));
    }
  }
  for (let k = 0; k < rows; k++) triangles.push(at(columns - 2, k), right, at(columns - 2, k + 1));
  return triangles;
}

function lensPoint(face: FaceSurface, shape: LensShape, { u, s }: LensVertex): { p: Vec3; n: Vec3 } {
  const envelope = Math.max(0, 1 - u * u) ** ((shape.power ?? 1) / 2);
  const middle = shape.cy + shape.bend * u * u;
  const top = middle + shape.upper * envelope;
  const bottom = middle - shape.lower * envelope;
  const y = bottom + (top - bottom) * s;
  const dome = (shape.dome ?? 0) * envelope * (1 - (2 * s - 1) ** 2);
  return onFace(face, shape.cx + shape.halfWidth * u, y, shape.lift + dome);
}

export interface LensFeature {
  surface: Surface;
  colors: Rgb[];
  /** Position deltas from the base shape to each named target shape. */
  deltas: (target: LensShape) => Vec3[];
}

/**
 * Builds a feature in its base shape. colour(u, s) paints it (u across, s from lower to upper curve).
 */
export function lens(
  face: FaceSurface,
  base: LensShape,
  grid: LensGrid,
  colour: (u: number, s: number) => Rgb,
): LensFeature {
  const layout = lensLayout(grid);
  const points = layout.map((vertex) => lensPoint(face, base, vertex));
  return {
    // Normals come from the head, not the patch: the feature shades like paint on the face.
    surface: { positions: points.map((pt) => pt.p), normals: points.map((pt) => pt.n), triangles: lensTriangles(grid) },
    colors: layout.map(({ u, s }) => colour(u, s)),
    deltas: (target) =>
      layout.map((vertex, i) => {
        const moved = lensPoint(face, target, vertex).p;
        const from = (points[i] as { p: Vec3 }).p;
        return [moved[0] - from[0], moved[1] - from[1], moved[2] - from[2]];
      }),
  };
}

/** Mouth shapes a character defines; the morph targets are each one minus neutral. */
export interface MouthShapes {
  neutral: LensShape;
  mouthOpen: LensShape;
  mouthSmile: LensShape;
  mouthRound: LensShape;
  mouthClosed: LensShape;
  mouthFrown: LensShape;
}

/** An eye shut: both curves meet on a line bowed down like a closed lid, a little below centre. */
export function shutEye(open: LensShape): LensShape {
  const drop = open.lower * 0.35;
  return {
    ...open,
    cy: open.cy - drop,
    upper: open.upper * 0.06 + 0.0015,
    lower: open.upper * 0.06 + 0.0015,
    bend: drop * 0.9,
    dome: 0,
  };
}

/** A glint collapses to a point on the closed lid line, so it vanishes as the eye shuts. */
export function vanishInto(glint: LensShape, eyeShut: LensShape): LensShape {
  return { ...glint, cx: glint.cx, cy: eyeShut.cy, halfWidth: 1e-5, upper: 0, lower: 0, bend: 0, dome: 0, lift: eyeShut.lift };
}
