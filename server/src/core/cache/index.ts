export { ResolvedCache, followInvalidations } from './resolved-cache.ts';
