import { constants as zlibConstants } from 'node:zlib';
import { defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The loader that host pages include with <script src=".../embed.js" data-bot="…" async>.
// It must be a single classic script (no module, no chunks) because it runs on
// arbitrary third-party pages, and it must stay tiny: React and the chat app
// live in the iframe build (vite.app.config.ts) and are only fetched on open.
export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  plugins: [
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
    outDir: 'dist',
    // The app build writes dist/app afterwards; only embed.js is ours here.
    emptyOutDir: false,
    minify: true,
    sourcemap: false,
    target: 'es2020',
    lib: {
      entry: 'src/embed.ts',
      formats: ['iife'],
      name: 'MascotEmbed',
      fileName: () => 'embed.js',
    },
  },
});
