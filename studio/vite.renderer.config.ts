import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer, served at studio://app/ by the main process (and over HTTP by the test bridge).
// Only external module scripts and stylesheets are emitted, as the CSP (script-src 'self') requires.
export default defineConfig({
  root: `${import.meta.dirname}/src/renderer`,
  base: './',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: `${import.meta.dirname}/dist/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Never data: URIs for scripts or fonts: the CSP does not allow them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
  },
});
