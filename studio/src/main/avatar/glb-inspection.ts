// Reads what Studio needs to know about a GLB before a designer maps it (clip names, triangles drawn)
// and refuses it by the rules the server applies at upload, from @mascot/glb-rules (texture pixel
// sizes included, read from the image headers), so a model that passes here is not refused later at sync.
import { DEFAULT_AVATAR_BUDGETS, GlbRuleViolation, checkAvatarGlb } from '@mascot/glb-rules';
import { StudioError } from '../../shared/studio-error.ts';

export const AVATAR_BUDGETS = {
  maxBytes: DEFAULT_AVATAR_BUDGETS.maxUploadBytes,
  maxTriangles: DEFAULT_AVATAR_BUDGETS.maxTriangles,
  maxTextures: DEFAULT_AVATAR_BUDGETS.maxTextures,
} as const;

export interface GlbInspection {
  byteSize: number;
  triangleCount: number;
  clipNames: string[];
  skinned: boolean;
}

/** Inspects and validates a GLB; throws StudioError(BAD_USER_INPUT) naming the server's refusal reason. */
export function inspectGlb(bytes: Uint8Array): GlbInspection {
  try {
    const { triangleCount, clipNames } = checkAvatarGlb(bytes, DEFAULT_AVATAR_BUDGETS);
    // The rules refuse any model without a skinned mesh, so every accepted one is skinned.
    return { byteSize: bytes.byteLength, triangleCount, clipNames, skinned: true };
  } catch (error) {
    if (!(error instanceof GlbRuleViolation)) throw error;
    throw new StudioError('BAD_USER_INPUT', error.message, [{ field: 'avatar', message: `${error.reason}: ${error.message}` }], { cause: error });
  }
}
