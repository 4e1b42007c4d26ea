import { defineConfig } from 'vite';
import { precompressedCopies } from '../scripts/vite-precompress.ts';

// The loader that host pages include with <script src=".../embed.js" data-bot="…" async>.
// It must be a single classic script (no module, no chunks) because it runs on
// arbitrary third-party pages, and it must stay tiny: React and the chat app
// live in the iframe build (vite.app.config.ts) and are only fetched on open.
export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  plugins: [
    precompressedCopies(),
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
