import { defineConfig } from 'vite';
import { precompressedCopies } from '../scripts/vite-precompress.ts';
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
    precompressedCopies(),
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
