export { baseSecurityHeaders, contentSecurityPolicy } from './security-headers.ts';
export { healthRoutes, type ReadinessCheck } from './health-routes.ts';
export { createUploadSigner, type UploadGrant, type UploadSigner } from './upload-signature.ts';
export { HTTP_STATUS_OF_CODE, sendJsonError } from './json-error.ts';
