export { baseSecurityHeaders, contentSecurityPolicy, setBaseSecurityHeaders } from './security-headers.ts';
export { healthRoutes, type ReadinessCheck } from './health-routes.ts';
export { createUploadSigner, type UploadGrant, type UploadSigner } from './upload-signature.ts';
export { HTTP_STATUS_OF_CODE, sendJsonError } from './json-error.ts';
export { PRECOMPRESSED_FILES, acceptedCodings, precompressedStatic, type PrecompressedStaticOptions } from './precompressed-static.ts';
export { CompressedVariants, type CompressedVariantsOptions, type VariantCoding } from './compressed-variants.ts';
export { clientError, jsonErrorHandler, jsonNotFound } from './error-handler.ts';
