/**
 * Puts lens features (face-features.ts) into a head mesh with their morph deltas: the mouth takes
 * every mouth target, each eye (and its glint) its own blink, everything else stays still.
 */
import type { BoneName, MorphTargetName } from '../../catalogue.ts';
import { lens, shutEye, vanishInto, type FaceSurface, type LensGrid, type LensShape, type MouthShapes } from '../face-features.ts';
import type { MeshBuilder } from '../mesh-builder.ts';
import { rigid, type WeightFn } from '../skinning.ts';
import type { Rgb, Vec3 } from '../vec.ts';

const MOUTH_TARGETS = ['mouthOpen', 'mouthSmile', 'mouthRound', 'mouthClosed', 'mouthFrown'] as const;

export interface MouthOptions {
  face: FaceSurface;
  shapes: MouthShapes;
  material: string;
  colour: (u: number, s: number) => Rgb;
  bone: BoneName;
}

export function addMouth(builder: MeshBuilder, options: MouthOptions): void {
  const mouth = lens(options.face, options.shapes.neutral, { columns: 26, rows: 6 }, options.colour);
  const morphs: Partial<Record<MorphTargetName, Vec3[]>> = {};
  for (const target of MOUTH_TARGETS) morphs[target] = mouth.deltas(options.shapes[target]);
  builder.add(mouth.surface, { material: options.material, color: mouth.colors, skin: rigid(options.bone), morphs });
}

export interface EyeOptions {
  face: FaceSurface;
  /** The character's left eye (x > 0); the right one is its mirror image. */
  leftEye: LensShape;
  material: string;
  colour: (u: number, s: number) => Rgb;
  /** An optional highlight over each eye; its cx, cy are offsets from the eye's centre. */
  glint?: { shape: LensShape; colour: Rgb; material: string };
  bone: BoneName;
}

const EYE_GRID: LensGrid = { columns: 18, rows: 6 };

export function addEyes(builder: MeshBuilder, options: EyeOptions): void {
  for (const side of ['left', 'right'] as const) {
    const sign = side === 'left' ? 1 : -1;
    const open: LensShape = { ...options.leftEye, cx: sign * options.leftEye.cx };
    const shut = shutEye(open);
    const target: MorphTargetName = side === 'left' ? 'blinkLeft' : 'blinkRight';
    const eye = lens(options.face, open, EYE_GRID, options.colour);
    builder.add(eye.surface, {
      material: options.material,
      color: eye.colors,
      skin: rigid(options.bone),
      morphs: { [target]: eye.deltas(shut) },
    });
    if (options.glint) {
      // Both glints sit on the same side of their eye, as if lit by one light.
      const glintShape: LensShape = {
        ...options.glint.shape,
        cx: open.cx + options.glint.shape.cx,
        cy: open.cy + options.glint.shape.cy,
      };
      const glint = lens(options.face, glintShape, { columns: 10, rows: 3 }, () => options.glint?.colour as Rgb);
      builder.add(glint.surface, {
        material: options.glint.material,
        color: glint.colors,
        skin: rigid(options.bone),
        morphs: { [target]: glint.deltas(vanishInto(glintShape, shut)) },
      });
    }
  }
}

/** A still decal (a screen, a cheek blush, a belly panel). */
export function addPatch(
  builder: MeshBuilder,
  face: FaceSurface,
  shape: LensShape,
  grid: LensGrid,
  options: { material: string; colour: (u: number, s: number) => Rgb; skin: WeightFn },
): void {
  const patch = lens(face, shape, grid, options.colour);
  builder.add(patch.surface, { material: options.material, color: patch.colors, skin: options.skin });
}
