/*
 * Bundles @mascot/sdk's compiled output for browsers, as a partner's web app would ship it: the package's own
 * `tsc -p tsconfig.build.json` (what the tarball is packed from), then Vite in library mode. Run as a child process by
 * sdk-in-browser.e2e.test.ts: Vite's build() inside the browser project's shared worker (isolate: false) disturbed
 * the next test file, so the bundling gets a process of its own. Prints the bundle's path on stdout.
 *
 *   node --import tsx e2e/sdk-browser-bundle.ts <out-dir>
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SDK_DIR = path.join(ROOT, 'packages/sdk');
const outDir = process.argv[2];
if (!outDir) throw new Error('usage: sdk-browser-bundle.ts <out-dir>');

execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: SDK_DIR });
const output = (await build({
  configFile: false,
  logLevel: 'silent',
  build: { write: false, minify: false, lib: { entry: path.join(outDir, 'index.js'), formats: ['es'], fileName: 'sdk' } },
})) as Rollup.RollupOutput[];
const bundlePath = path.join(outDir, 'sdk.bundle.js');
await writeFile(bundlePath, output[0]!.output[0].code);
process.stdout.write(bundlePath);
