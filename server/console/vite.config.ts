import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompressedCopies } from '../../scripts/vite-precompress.ts';

/**
 * The Console as a static app the server serves itself (server/src/app/console-routes.ts) under /console.
 * Every screen is a lazy import() in src/screens/registry.ts, so each becomes a chunk of its own.
 * Works from any working directory: `vite build --config server/console/vite.config.ts`.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  publicDir: false,
  plugins: [react(), precompressedCopies()],
  build: {
    outDir: `${import.meta.dirname}/dist`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Real files rather than data: URIs: everything under assets/ is content-hashed and cached for a year.
    assetsInlineLimit: 0,
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
