import { stat } from 'node:fs/promises';
import path from 'node:path';
import express, { type Request, type RequestHandler } from 'express';

/**
 * express.static for build output that Vite also wrote precompressed (`x.js.br`, `x.js.gz`, see
 * vite-plugin-compression2 in the widget and explorer configs): each request gets the smallest
 * variant its Accept-Encoding allows, with the original file's Content-Type, `Content-Encoding` and
 * `Vary: Accept-Encoding`; without a usable variant (or without the header) the original is sent.
 * Compressing at build time costs nothing per request and reaches brotli's best level, which
 * on-the-fly compression cannot afford.
 */

/** Encodings we precompress, best first (brotli is ~15–20 % smaller than gzip on JS). */
const ENCODINGS = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
] as const;
type Coding = (typeof ENCODINGS)[number]['coding'];

/** Files the build precompresses (the vite configs list the same; source maps stay plain: only devtools load them). */
export const PRECOMPRESSED_FILES = /\.(?:js|mjs|css|html|svg|json|txt|wasm)$/i;

export interface PrecompressedStaticOptions {
  /** Cache-Control for a file, by its path relative to the root (`assets/index-abc.js`); unset when a route set one already. */
  cacheControl(relativePath: string): string;
  /** File served for a path ending in `/` (express.static's `index`); false for none. */
  index: string | false;
  /** Like express.static's: false answers a missing file with 404 instead of calling the next route. */
  fallthrough: boolean;
}

/**
 * Quality values for the encodings we can send, from an Accept-Encoding header (RFC 9110 §12.5.3).
 * An absent header means the client did not ask for any coding: it gets the original file.
 */
export function acceptedCodings(header: string | undefined): Coding[] {
  if (!header) return [];
  const quality = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.toLowerCase().split(';');
    const name = rawName.trim();
    if (!name) continue;
    const q = params.map((p) => p.replace(/\s+/g, '')).find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality.set(name, Number.isFinite(value) ? value : 0);
  }
  const wildcard = quality.get('*') ?? 0;
  // Ties go to our order (brotli first); the header's own order carries no preference.
  return ENCODINGS.map(({ coding }) => ({ coding, q: quality.get(coding) ?? wildcard }))
    .filter(({ q }) => q > 0)
    .sort((a, b) => b.q - a.q)
    .map(({ coding }) => coding);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    // Missing (or unreadable) variant: the next encoding, or the original, is served instead.
    return false;
  }
}

/** The request's file relative to `root`, or null when the path does not name one safely. */
function relativeFile(req: Request, index: string | false): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(req.path);
  } catch {
    return null; // malformed escapes: express.static answers them
  }
  if (pathname.includes('\0')) return null;
  if (pathname.endsWith('/')) {
    if (!index) return null;
    pathname += index;
  }
  const relative = path.posix.normalize(pathname).replace(/^\/+/, '');
  if (relative.startsWith('..')) return null;
  return relative;
}

export function precompressedStatic(root: string, options: PrecompressedStaticOptions): RequestHandler {
  // express.static hands `send` the path relative to `root`: only that part is checked for dotfiles, so
  // an installation under ~/.local/share/mascot is served while a dotfile inside `root` stays hidden.
  // Never res.sendFile(absolutePath): send refuses the dot segment in the install path (issue 15,
  // finding 9; app/static-install-path.test.ts).
  const serve = express.static(root, { index: options.index, fallthrough: options.fallthrough });
  return (req, res, next) => {
    void (async () => {
      const relative = req.method === 'GET' || req.method === 'HEAD' ? relativeFile(req, options.index) : null;
      if (relative === null || !(await isFile(path.join(root, relative)))) {
        serve(req, res, next);
        return;
      }
      if (!res.getHeader('Cache-Control')) res.setHeader('Cache-Control', options.cacheControl(relative));
      if (PRECOMPRESSED_FILES.test(relative)) {
        // Caches must keep one copy per encoding, also of the original.
        res.vary('Accept-Encoding');
        for (const coding of acceptedCodings(req.headers['accept-encoding'])) {
          const { suffix } = ENCODINGS.find((e) => e.coding === coding)!;
          if (!(await isFile(path.join(root, relative + suffix)))) continue;
          // The type of the original (send would name it after the suffix), then send the variant.
          res.type(path.extname(relative));
          res.setHeader('Content-Encoding', coding);
          const query = req.url.indexOf('?');
          req.url = `/${relative.split('/').map(encodeURIComponent).join('/')}${suffix}${query === -1 ? '' : req.url.slice(query)}`;
          break;
        }
      }
      serve(req, res, next);
    })().catch(next);
  };
}
