import { constants as zlibConstants } from 'node:zlib';
import { defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import react from '@vitejs/plugin-react';

// The chat app shown inside the iframe. The server serves dist/app under
// /widget/, hence `base`. Vite emits only external <script type="module" src>
// and <link rel="stylesheet"> tags, which the strict CSP (script-src 'self') allows.
export default defineConfig({
  root: `${import.meta.dirname}/src/app`,
  base: '/widget/',
  publicDir: false,
  plugins: [
    react(),
    // Precompressed copies (x.js.br, x.js.gz) beside each file: the server sends the one the
    // browser accepts (server/src/core/http/precompressed-static.ts, same file list).
    compression({
      algorithms: [defineAlgorithm('brotliCompress', { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }), defineAlgorithm('gzip', { level: 9 })],
      include: /\.(?:js|mjs|css|html|svg|json|txt|wasm)$/i,
      skipIfLargerOrEqual: true,
      logLevel: 'silent',
    }),
  ],
  build: {
    outDir: `${import.meta.dirname}/dist/app`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Real files only: the CSP allows data: for images but not for fonts or
    // scripts, so never let Vite inline an asset as a data: URI.
    assetsInlineLimit: 0,
    // Every browser that runs the app supports <link rel=modulepreload>.
    modulePreload: { polyfill: false },
  },
});
