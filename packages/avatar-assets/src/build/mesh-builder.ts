/**
 * Collects surfaces into the vertex streams of one skinned glTF mesh: one primitive per material,
 * each vertex with a colour, up to four joint influences and, on the head, morph target deltas.
 */
import type { BoneName, MorphTargetName } from '../catalogue.ts';
import { faceNormals, type Surface } from './shapes.ts';
import { normalizeInfluences, type WeightFn } from './skinning.ts';
import type { Rgb, Vec3 } from './vec.ts';

export type ColorFn = (p: Vec3, n: Vec3, along: number) => Rgb;

export interface PartOptions {
  /** Key of a material in the character's palette. */
  material: string;
  /** sRGB colour, a function of the bind-pose vertex, or one colour per vertex. */
  color: Rgb | ColorFn | Rgb[];
  skin: WeightFn;
  /** Per-vertex position deltas for the morph targets this part takes part in; others stay zero. */
  morphs?: Partial<Record<MorphTargetName, Vec3[]>>;
}

export interface PrimitiveData {
  material: string;
  positions: Float32Array;
  normals: Float32Array;
  /** Linear-space RGB, as glTF's COLOR_0 requires. */
  colors: Float32Array;
  joints: Uint16Array;
  weights: Float32Array;
  indices: Uint32Array;
  targets: ReadonlyMap<MorphTargetName, Float32Array>;
}

interface Streams {
  positions: number[];
  normals: number[];
  colors: number[];
  joints: number[];
  weights: number[];
  indices: number[];
  targets: Map<MorphTargetName, number[]>;
}

/** glTF vertex colours are linear; people pick colours in sRGB. */
const srgbToLinear = (c: number): number => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

export class MeshBuilder {
  // A Map keeps materials in first-use order, which keeps the output byte-identical run to run.
  readonly #groups = new Map<string, Streams>();

  readonly jointOrder: readonly BoneName[];
  readonly morphNames: readonly MorphTargetName[];

  constructor(jointOrder: readonly BoneName[], morphNames: readonly MorphTargetName[] = []) {
    this.jointOrder = jointOrder;
    this.morphNames = morphNames;
  }

  add(surface: Surface, options: PartOptions): this {
    for (const name of Object.keys(options.morphs ?? {})) {
      if (!this.morphNames.includes(name as MorphTargetName)) {
        throw new Error(`morph "${name}" given for a mesh without that target`);
      }
    }
    const streams = this.#streams(options.material);
    const base = streams.positions.length / 3;
    const normals = surface.normals ?? faceNormals(surface);
    surface.positions.forEach((p, i) => {
      const n = normals[i] as Vec3;
      const color = colorAt(options.color, p, n, surface.along?.[i] ?? 0, i);
      streams.positions.push(...p);
      streams.normals.push(...n);
      streams.colors.push(...color.map(srgbToLinear));
      const influences = normalizeInfluences(options.skin(p), this.jointOrder);
      for (let k = 0; k < 4; k++) {
        const influence = influences[k];
        streams.joints.push(influence ? this.jointOrder.indexOf(influence[0]) : 0);
        streams.weights.push(influence ? influence[1] : 0);
      }
      for (const name of this.morphNames) {
        const delta = options.morphs?.[name]?.[i] ?? [0, 0, 0];
        (streams.targets.get(name) as number[]).push(...delta);
      }
    });
    for (const index of surface.triangles) streams.indices.push(base + index);
    return this;
  }

  build(): PrimitiveData[] {
    return [...this.#groups.entries()].map(([material, s]) => ({
      material,
      positions: new Float32Array(s.positions),
      normals: new Float32Array(s.normals),
      colors: new Float32Array(s.colors),
      joints: new Uint16Array(s.joints),
      weights: new Float32Array(s.weights),
      indices: new Uint32Array(s.indices),
      targets: new Map([...s.targets.entries()].map(([name, deltas]) => [name, new Float32Array(deltas)])),
    }));
  }

  #streams(material: string): Streams {
    let streams = this.#groups.get(material);
    if (!streams) {
      streams = {
        positions: [],
        normals: [],
        colors: [],
        joints: [],
        weights: [],
        indices: [],
        targets: new Map(this.morphNames.map((name) => [name, []])),
      };
      this.#groups.set(material, streams);
    }
    return streams;
  }
}

function colorAt(color: PartOptions['color'], p: Vec3, n: Vec3, along: number, index: number): Rgb {
  if (typeof color === 'function') return color(p, n, along);
  if (typeof color[0] === 'number') return color as Rgb;
  const perVertex = (color as Rgb[])[index];
  if (!perVertex) throw new Error(`no colour for vertex ${index}`);
  return perVertex;
}

/** Parses '#rrggbb' into sRGB components in [0, 1]. */
export const hex = (value: string): Rgb => {
  const n = Number.parseInt(value.replace('#', ''), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
};
