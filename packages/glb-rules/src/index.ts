// Public API of @mascot/glb-rules: the rules an avatar GLB must pass, shared by the server (upload
// validation) and Studio (import, before sync), so both refuse the same files with the same reasons.

export { DEFAULT_AVATAR_BUDGETS } from './avatar-budgets.ts';
export type { AvatarBudgets } from './avatar-budgets.ts';

export { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';
export type { GlbRejectionReason } from './glb-rejection.ts';

export { READABLE_GLTF_EXTENSIONS, readGlbJson } from './glb-container.ts';
export type { GltfJson } from './gltf-json.ts';

export {
  MAX_CLIP_NAME_LENGTH,
  checkAnimatable,
  checkAvatarGlb,
  checkModelBudgets,
  checkUploadSize,
  countTriangles,
  isStorableName,
} from './avatar-rules.ts';
export type { GlbRulesReport } from './avatar-rules.ts';

export { checkTextureDimensions } from './texture-dimensions.ts';

export { detectFaceMorphTargets } from './face-morphs.ts';
export type { FaceMorphTargets } from './face-morphs.ts';
