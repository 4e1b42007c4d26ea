import { readFile } from 'node:fs/promises';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/studio-error.ts';
import { inspectGlb } from './glb-inspection.ts';

// The rules themselves are tested in @mascot/glb-rules; these tests cover Studio's use of them.

function reasonOf(bytes: Uint8Array): string {
  try {
    inspectGlb(bytes);
  } catch (error) {
    if (error instanceof StudioError) return error.fields[0]!.message.split(':')[0]!;
    throw error;
  }
  return 'accepted';
}

describe('GLB inspection', () => {
  it.each(BUILTIN_AVATARS.map((a) => [a.id, a.file] as const))('accepts the built-in avatar %s and lists its clips', async (_id, file) => {
    const inspection = inspectGlb(new Uint8Array(await readFile(file)));
    expect(inspection.skinned).toBe(true);
    expect(inspection.clipNames.length).toBeGreaterThanOrEqual(20);
    expect(inspection.triangleCount).toBeGreaterThan(100);
  });

  it('refuses models the server would refuse as BAD_USER_INPUT, with the server reason', () => {
    expect(() => inspectGlb(new Uint8Array(3))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(reasonOf(new TextEncoder().encode('not a glb at all, just text'))).toBe('AVATAR_INVALID_GLB');
    expect(reasonOf(new Uint8Array(15 * 1024 * 1024 + 1))).toBe('AVATAR_TOO_LARGE');
  });
});
