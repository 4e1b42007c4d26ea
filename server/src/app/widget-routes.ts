import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@mikro-orm/postgresql';
import { normalizeOrigin } from '@mascot/bot-bundle';
import { Router, type Response } from 'express';
import { DomainError } from '../core/errors/index.ts';
import { contentSecurityPolicy, precompressedStatic, sendJsonError } from '../core/http/index.ts';
import type { Logger } from '../core/logging/index.ts';
import { ORIGIN_NOT_ALLOWED, type WidgetEmbedService } from '../modules/conversations/index.ts';
import { readWidgetFrameRequest, type WidgetFrameRequest } from './widget-frame-url.ts';

/** The widget's build output (`npm run build --workspace widget`); the server serves it, never imports it. */
export const WIDGET_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../widget/dist');

/** Where the loader asks for a bot's placement and theme before it draws anything. */
export const WIDGET_CONFIG_PATH = '/widget/config';

export interface WidgetRoutesDeps {
  embeds: Pick<WidgetEmbedService, 'allowedOrigins' | 'loaderConfig'>;
  em: () => EntityManager;
  logger: Logger;
  widgetDist?: string;
}

/**
 * The bot's allowlist as a frame-ancestors source list: `*` for an open bot, exactly its origins for
 * a restricted one, `'none'` for an id that names no published bot (the loader draws nothing for
 * one, so no legitimate page frames it). Only origins in canonical form are written: an entry that
 * is not one cannot widen the policy or add a directive.
 */
export function frameAncestorsFor(allowedOrigins: readonly string[] | null): string {
  if (allowedOrigins === null) return "'none'";
  if (allowedOrigins.length === 0) return '*';
  const sources = allowedOrigins.filter((origin) => normalizeOrigin(origin) === origin);
  return sources.length === 0 ? "'none'" : sources.join(' ');
}

function sendConfigError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

const STATUS_OF: Record<string, number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404, BOT_NOT_PUBLISHED: 404, BOT_ARCHIVED: 404 };

/** Vite puts only content-hashed files under assets/: a new build never reuses a name. */
const HASHED_ASSET = /^assets\//;

/** Hashed assets are cached for a year; the rest (index.html) is revalidated every time. */
export function widgetCacheControl(relativePath: string): string {
  return HASHED_ASSET.test(relativePath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * `/embed.js` is the loader host pages include; `/widget/` is the chat app inside the iframe, framed
 * only by the bot's allowed origins; `/widget/config/:embedId` is the loader's public configuration.
 */
export function widgetRoutes(deps: WidgetRoutesDeps): Router {
  const widgetDist = deps.widgetDist ?? WIDGET_DIST;
  const router = Router();
  const missing = !existsSync(path.join(widgetDist, 'embed.js'));
  // Short cache: hosts keep the same URL while we ship new loaders (revalidated by ETag afterwards).
  const loader = precompressedStatic(widgetDist, { index: false, fallthrough: false, cacheControl: () => 'public, max-age=300' });
  const chatApp = precompressedStatic(path.join(widgetDist, 'app'), { index: 'index.html', fallthrough: false, cacheControl: widgetCacheControl });

  router.get('/embed.js', (req, res, next) => {
    if (missing) {
      res.status(503).type('text/plain').send('The widget is not built. Run: npm run build');
      return;
    }
    loader(req, res, next);
  });

  // GET /widget/config/<embed id>?visitor=<id>&origin=<page origin>. Only what the loader needs to
  // decide whether and how to draw the launcher: placement, launcher colours, the visitor's sticky
  // variant. Readable (CORS) only by the bot's allowed origins: other pages get a 403 they cannot read.
  router.get(`${WIDGET_CONFIG_PATH}/:embedId`, async (req, res) => {
    res.setHeader('Vary', 'Origin');
    res.setHeader('Cache-Control', 'private, max-age=60');
    const visitor = typeof req.query['visitor'] === 'string' ? req.query['visitor'] : null;
    const originParam = typeof req.query['origin'] === 'string' ? req.query['origin'] : undefined;
    // The browser's Origin header beats the parameter; same-origin GETs carry none (the demo page).
    const pageOrigin = req.headers.origin ?? originParam;
    try {
      const config = await deps.embeds.loaderConfig(deps.em(), req.params.embedId, visitor, pageOrigin);
      if (!config.originAllowed) {
        sendConfigError(res, 403, ORIGIN_NOT_ALLOWED, 'This assistant is not available on this site.');
        return;
      }
      if (req.headers.origin) res.setHeader('Access-Control-Allow-Origin', normalizeOrigin(req.headers.origin) ?? req.headers.origin);
      res.json(config);
    } catch (error) {
      if (!(error instanceof DomainError)) {
        deps.logger.error({ err: error }, 'widget config failed');
        sendConfigError(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side.');
        return;
      }
      // Errors carry nothing about any bot, so any page may read them and log a clear reason.
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cache-Control', 'no-store');
      sendConfigError(res, STATUS_OF[error.code] ?? 400, error.code, error.message);
    }
  });

  router.use(
    '/widget',
    async (req, res, next) => {
      // Read once, the way the app will read it (widget-frame-url.ts); what two readers could disagree
      // on is refused before any policy is chosen.
      let frame: WidgetFrameRequest;
      try {
        const query = req.originalUrl.indexOf('?');
        frame = readWidgetFrameRequest(req.path, query === -1 ? '' : req.originalUrl.slice(query));
      } catch (error) {
        res.setHeader('Content-Security-Policy', contentSecurityPolicy({ frameAncestors: "'none'", webglAvatar: true }));
        sendJsonError(res, error, deps.logger, 400);
        return;
      }
      // Nothing but the app's page may be framed, and the page only where its bot allows.
      let frameAncestors = "'none'";
      if (frame.isDocument && frame.embedId !== null) {
        try {
          frameAncestors = frameAncestorsFor(await deps.embeds.allowedOrigins(deps.em(), frame.embedId));
        } catch (error) {
          next(error);
          return;
        }
        // The browser enforces the allowlist on the frame itself: a page off the list cannot show the
        // chat even if it fakes `host=`. Short caches (here and in WidgetEmbedService), so a changed
        // allowlist applies within a minute.
        res.setHeader('Cache-Control', 'private, max-age=30');
      }
      res.setHeader('Content-Security-Policy', contentSecurityPolicy({ frameAncestors, webglAvatar: true }));
      next();
    },
    chatApp,
  );
  return router;
}
