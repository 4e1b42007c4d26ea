/**
 * Generates the built-in avatars into assets/ (or a directory given as the first argument):
 *
 *   npx tsx packages/avatar-assets/src/generate-avatars.ts
 *   npm run generate -w packages/avatar-assets
 *
 * Deterministic: no randomness, no timestamps, a fixed generator string, so running it twice
 * gives byte-identical files. assets.reproducible.test.ts regenerates and compares, which is what
 * keeps the checked-in GLBs from ever being hand-edited or going stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CharacterModel } from './build/character-model.ts';
import { buildMilo } from './build/characters/milo.ts';
import { buildPip } from './build/characters/pip.ts';
import { writeAvatar } from './build/write-glb.ts';

export const CHARACTER_BUILDERS: readonly (() => CharacterModel)[] = [buildMilo, buildPip];

export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

export interface GeneratedAvatar {
  id: string;
  file: string;
  bytes: number;
  rawBytes: number;
  bones: number;
  triangles: number;
  vertices: number;
  clips: number;
  milliseconds: number;
}

export async function generateAvatars(outDir: string = DEFAULT_ASSETS_DIR): Promise<GeneratedAvatar[]> {
  await mkdir(outDir, { recursive: true });
  const results: GeneratedAvatar[] = [];
  for (const build of CHARACTER_BUILDERS) {
    const started = performance.now();
    const model = build();
    const { glb, rawBytes } = await writeAvatar(model);
    const file = join(outDir, `${model.id}.glb`);
    await writeFile(file, glb);
    const primitives = model.meshes.flatMap((mesh) => mesh.primitives);
    results.push({
      id: model.id,
      file,
      bytes: glb.byteLength,
      rawBytes,
      bones: model.rig.bones.length,
      triangles: primitives.reduce((sum, p) => sum + p.indices.length / 3, 0),
      vertices: primitives.reduce((sum, p) => sum + p.positions.length / 3, 0),
      clips: model.clips.length,
      milliseconds: Math.round(performance.now() - started),
    });
  }
  return results;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  const outDir = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_ASSETS_DIR;
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  for (const a of await generateAvatars(outDir)) {
    console.log(
      `${a.id}: ${kb(a.bytes)} (unoptimised ${kb(a.rawBytes)}), ${a.bones} bones, ${a.triangles} triangles, ` +
        `${a.vertices} vertices, ${a.clips} clips, ${a.milliseconds} ms -> ${a.file}`,
    );
  }
}
