export { AvatarAsset } from './avatar-asset.entity.ts';
export { AvatarUpload } from './avatar-upload.entity.ts';
export { avatarRoutes, type AvatarRoutesDeps } from './avatar-routes.ts';
export {
  AVATAR_BLOB_NAMESPACE,
  createBlobAvatarStorage,
  createLocalAvatarStorage,
  importLocalAvatarFiles,
  isContentHash,
  type AvatarStorage,
  type StoredAvatarFile,
} from './avatar-storage.ts';
export { AvatarRejection, UploadRefusal, type AvatarRejectionReason, type UploadRefusalReason } from './avatars.errors.ts';
export { AvatarsResolver } from './avatars.resolver.ts';
export {
  AVATAR_ASSET_PATH,
  AVATAR_UPLOAD_PATH,
  AvatarsService,
  type AvatarView,
  type AvatarsServiceOptions,
  type BuiltinAvatarView,
  type CompletedAvatarUpload,
  type CreatedAvatarUpload,
} from './avatars.service.ts';
export { loadBuiltinAvatars, type BuiltinAvatarCatalogue, type BuiltinAvatarRecord } from './builtin-avatars.ts';
export { DEFAULT_AVATAR_BUDGETS, type AvatarBudgets } from './glb-validation.ts';
