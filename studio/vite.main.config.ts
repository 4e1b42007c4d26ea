import { cp } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultServerConditions, defineConfig, type Plugin } from 'vite';

/**
 * @mascot/avatar-assets finds its GLBs with new URL('../assets/<id>.glb', import.meta.url); bundled
 * into dist/main/, that resolves to dist/assets/, so the files are copied there.
 */
function copyBuiltinAvatars(): Plugin {
  return {
    name: 'copy-builtin-avatars',
    async writeBundle() {
      const entry = fileURLToPath(import.meta.resolve('@mascot/avatar-assets'));
      await cp(path.resolve(path.dirname(entry), '../assets'), `${import.meta.dirname}/dist/assets`, { recursive: true });
    },
  };
}

/**
 * The live preview serves the real widget build (widget/dist) from the main process; the app carries a
 * copy in dist/widget, built first by the root `npm run build`.
 */
function copyWidgetBuild(): Plugin {
  return {
    name: 'copy-widget-build',
    async writeBundle() {
      await cp(path.resolve(import.meta.dirname, '../widget/dist'), `${import.meta.dirname}/dist/widget`, { recursive: true });
    },
  };
}

// The main process (ESM, Node) and the preload (CommonJS: sandboxed preloads cannot be modules).
// Our workspace packages are TypeScript sources and are bundled; npm dependencies stay external
// (PGlite loads its WASM files from its own package folder).
const external = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const isNpmDependency = (id: string) => !id.startsWith('@mascot/') && /^[@a-z]/.test(id) && !id.startsWith('node:');

export default defineConfig(({ mode }) => {
  const preload = mode === 'preload';
  return {
    publicDir: false,
    plugins: preload ? [] : [copyBuiltinAvatars(), copyWidgetBuild()],
    build: {
      outDir: `${import.meta.dirname}/dist/${preload ? 'preload' : 'main'}`,
      emptyOutDir: true,
      target: 'node22',
      ssr: true,
      sourcemap: true,
      rollupOptions: {
        input: `${import.meta.dirname}/src/${preload ? 'preload/preload.ts' : 'main/electron-main.ts'}`,
        // The preload may require only `electron`; the main process leaves npm packages to node_modules.
        external: preload ? ['electron'] : (id: string) => external.includes(id) || isNpmDependency(id),
        output: preload
          ? { format: 'cjs', entryFileNames: 'preload.cjs' }
          : { format: 'es', entryFileNames: 'electron-main.js' },
      },
    },
    ssr: {
      noExternal: preload ? true : [/^@mascot\//],
      // @mascot/sdk exports its compiled dist/ to partners; this condition bundles its TypeScript source instead.
      resolve: { conditions: ['@mascot/source', ...defaultServerConditions] },
    },
  };
});
