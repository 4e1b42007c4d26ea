import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Content-Security-Policy for pages we serve: no inline script, nothing from other origins.
 *
 * `webglAvatar` is for the widget's own page (inside its iframe, on Mascot's origin — host pages
 * never need it): the avatar's GLB files are meshopt-compressed and three.js decodes them with a
 * WebAssembly decoder, which CSP only allows with 'wasm-unsafe-eval' (WebAssembly compilation,
 * not JavaScript eval); textures embedded in uploaded GLBs are decoded from blob: URLs, fetched
 * (ImageBitmapLoader) or loaded as images depending on the browser.
 */
export function contentSecurityPolicy(options: { frameAncestors: string; webglAvatar?: boolean }): string {
  const avatar = options.webglAvatar === true;
  return [
    "default-src 'self'",
    avatar ? "script-src 'self' 'wasm-unsafe-eval'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    avatar ? "img-src 'self' data: blob:" : "img-src 'self' data:",
    avatar ? "connect-src 'self' ws: wss: blob:" : "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${options.frameAncestors}`,
  ].join('; ');
}

/** The headers every response carries; also set by the GraphQL lane, which bypasses the Express app. */
export function setBaseSecurityHeaders(res: Pick<ServerResponse, 'setHeader'>): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
}

export const baseSecurityHeaders: RequestHandler = (_req, res, next) => {
  setBaseSecurityHeaders(res);
  next();
};
