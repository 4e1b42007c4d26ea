import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { contentSecurityPolicy } from '../core/http/index.ts';

/** The widget's build output (`npm run build --workspace widget`); the server serves it, never imports it. */
export const WIDGET_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../widget/dist');

/**
 * `/embed.js` is the loader host pages include; `/widget/` is the chat app inside the iframe.
 * The iframe may be framed by any site (the bot's origin allowlist is enforced by the API).
 */
export function widgetRoutes(widgetDist = WIDGET_DIST): Router {
  const router = Router();
  const missing = !existsSync(path.join(widgetDist, 'embed.js'));
  router.get('/embed.js', (_req, res) => {
    if (missing) {
      res.status(503).type('text/plain').send('The widget is not built. Run: npm run build');
      return;
    }
    // Short cache: hosts keep the same URL while we ship new loaders.
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.sendFile(path.join(widgetDist, 'embed.js'));
  });
  router.use(
    '/widget',
    (_req, res, next) => {
      res.setHeader('Content-Security-Policy', contentSecurityPolicy({ frameAncestors: '*' }));
      next();
    },
    express.static(path.join(widgetDist, 'app'), { index: 'index.html', fallthrough: false }),
  );
  return router;
}
