import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompressedCopies } from '../../scripts/vite-precompress.ts';

/**
 * GraphiQL 5 as a static app the server serves itself (server/src/app/explorer-routes.ts):
 * index.html at GET /graphql (browsers only), everything else under /graphql/explorer/.
 * Works from any working directory: `vite build --config server/explorer/vite.config.ts`.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/graphql/explorer/',
  publicDir: false,
  plugins: [
    react(),
    precompressedCopies(),
  ],
  // Monaco's workers (`?worker` imports) become files of their own under assets/, loaded from our
  // origin (worker-src 'self'); module workers keep them small by sharing nothing with the page.
  worker: { format: 'es' },
  build: {
    outDir: `${import.meta.dirname}/dist`,
    emptyOutDir: true,
    target: 'es2022',
    // Monaco makes source maps large and slow to write; the explorer is a dev tool.
    sourcemap: false,
    // Real files rather than data: URIs wherever Vite decides (GraphiQL's CSS still embeds its fonts).
    assetsInlineLimit: 0,
    // Every browser that runs GraphiQL 5 supports <link rel=modulepreload>; no inline polyfill.
    modulePreload: { polyfill: false },
    // Monaco alone is a few MB; warn only if something far bigger sneaks in.
    chunkSizeWarningLimit: 5000,
    reportCompressedSize: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // GraphiQL's React-Compiler output starts modules with "use no memo"; dropping it when bundling is harmless.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
