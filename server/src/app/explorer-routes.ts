import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Request } from 'express';
import { precompressedStatic } from '../core/http/index.ts';

/** The explorer's build output (`vite build --config server/explorer/vite.config.ts`); served, never imported. */
export const EXPLORER_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../explorer/dist');

/** Where the explorer's assets live: `base` in server/explorer/vite.config.ts. */
export const EXPLORER_BASE = '/graphql/explorer';

/**
 * The house CSP (contentSecurityPolicy in core/http) plus what GraphiQL's Monaco editor needs:
 * font-src for its fonts, which GraphiQL's stylesheet embeds as data: URIs, and worker-src for the
 * editor, JSON and GraphQL workers (files from our origin; blob: kept for Monaco's fallback path).
 * connect-src 'self' ws: wss: covers HTTP and graphql-ws on /graphql.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** Vite puts only content-hashed files under assets/. */
const HASHED_ASSET = /(^|[\\/])assets[\\/]/;

/**
 * A browser opening GET /graphql: no `query` parameter (that would be a GraphQL GET request) and an
 * Accept header that prefers HTML over JSON. Ties go to JSON, so clients that accept anything (curl) reach Apollo.
 */
function wantsExplorer(req: Request): boolean {
  if (req.query['query'] !== undefined) return false;
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

/**
 * GraphiQL at GET /graphql for browsers, its assets under /graphql/explorer/. Everything else on
 * /graphql (POST, GET with a query, JSON clients, WebSocket upgrades) passes through to Apollo and
 * graphql-ws, so mount this before the GraphQL middleware.
 */
export function explorerRoutes(explorerDist = EXPLORER_DIST): Router {
  const router = Router();
  const indexHtml = path.join(explorerDist, 'index.html');
  const files = precompressedStatic(explorerDist, {
    index: false,
    fallthrough: false,
    cacheControl: (relativePath) => (HASHED_ASSET.test(relativePath) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });

  router.get('/graphql', (req, res, next) => {
    if (!wantsExplorer(req)) {
      next();
      return;
    }
    res.vary('Accept');
    if (!existsSync(indexHtml)) {
      res.status(503).type('text/plain').send('The explorer is not built. Run: npm run build');
      return;
    }
    res.setHeader('Content-Security-Policy', EXPLORER_CSP);
    // Always revalidate: a new build changes the hashed asset names it points to.
    res.setHeader('Cache-Control', 'no-cache');
    req.url = '/index.html';
    files(req, res, next);
  });

  router.use(
    EXPLORER_BASE,
    (_req, res, next) => {
      res.setHeader('Content-Security-Policy', EXPLORER_CSP);
      next();
    },
    files,
  );
  return router;
}
