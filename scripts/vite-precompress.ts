import { constants as zlibConstants } from 'node:zlib';
import type { PluginOption } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

/**
 * The build step every app the server serves shares (the widget's loader and chat app, the explorer):
 * brotli (quality 11) and gzip (level 9) copies beside each file (x.js.br, x.js.gz), so the server sends
 * the one the browser accepts without compressing per request (server/src/core/http/precompressed-static.ts,
 * which reads the same file list). A copy that would not be smaller is skipped.
 */
export function precompressedCopies(): PluginOption {
  return compression({
    algorithms: [
      defineAlgorithm('brotliCompress', { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
      defineAlgorithm('gzip', { level: 9 }),
    ],
    include: /\.(?:js|mjs|css|html|svg|json|txt|wasm)$/i,
    skipIfLargerOrEqual: true,
    logLevel: 'silent',
  });
}
