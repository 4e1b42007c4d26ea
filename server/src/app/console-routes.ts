import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type RequestHandler } from 'express';
import { precompressedStatic } from '../core/http/index.ts';

/** The Console's build output (`vite build --config server/console/vite.config.ts`); served, never imported. */
export const CONSOLE_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../console/dist');

/** `base` in server/console/vite.config.ts. */
export const CONSOLE_BASE = '/console';

/**
 * The house CSP, stricter where the Console allows it: no inline styles (React sets style through the
 * CSSOM, which style-src does not govern), no fonts but our own, no framing (an admin app has no business
 * inside another page: clickjacking), forms only to us. connect-src covers HTTP and graphql-ws on /graphql.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite puts only content-hashed files under assets/. */
const HASHED_ASSET = /(^|[\\/])assets[\\/]/;

/**
 * The Console at /console: hashed assets under /console/assets/ (immutable; a missing one is a JSON 404,
 * never the app's HTML, so a stale chunk fails loudly), and index.html for /console and every other path
 * under it, so deep links (/console/conversations/<id>) open the right screen.
 */
export function consoleRoutes(consoleDist = CONSOLE_DIST): Router {
  const router = Router();
  const indexHtml = path.join(consoleDist, 'index.html');
  const files = precompressedStatic(consoleDist, {
    index: false,
    fallthrough: false,
    cacheControl: (relativePath) => (HASHED_ASSET.test(relativePath) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const withCsp: RequestHandler = (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    next();
  };

  router.use(`${CONSOLE_BASE}/assets`, withCsp, (req, res, next) => {
    req.url = `/assets${req.url}`;
    files(req, res, next);
  });
  router.get([CONSOLE_BASE, `${CONSOLE_BASE}/{*deepLink}`], withCsp, (req, res, next) => {
    if (!existsSync(indexHtml)) {
      res.status(503).type('text/plain').send('The Console is not built. Run: npm run build');
      return;
    }
    // Always revalidate: a new build changes the hashed asset names it points to.
    res.setHeader('Cache-Control', 'no-cache');
    req.url = '/index.html';
    files(req, res, next);
  });
  return router;
}
