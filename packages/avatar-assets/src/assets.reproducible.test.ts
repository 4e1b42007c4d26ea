import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateAvatars } from './generate-avatars.ts';
import { BUILTIN_AVATARS } from './index.ts';

describe('the checked-in avatar files', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('are byte-identical to a fresh run of the generator, so they are reproducible and never hand-edited', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mascot-avatars-'));
    dirs.push(dir);
    const generated = await generateAvatars(dir);

    expect(generated.map((a) => a.id).sort()).toEqual(BUILTIN_AVATARS.map((a) => a.id).sort());
    for (const avatar of BUILTIN_AVATARS) {
      const committed = await readFile(avatar.file);
      const fresh = await readFile(join(dir, `${avatar.id}.glb`));
      // On failure: run `npm run generate -w packages/avatar-assets` and commit assets/.
      expect(fresh.equals(committed), `${avatar.id}.glb is out of date`).toBe(true);
    }
  }, 60_000);
});
