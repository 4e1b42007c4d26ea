// `npm start`: runs the built server (server/dist) with plain Node, building first only when a build output is
// missing or older than the sources it comes from. A fresh clone therefore still starts with two commands
// (`npm ci && npm start`), and a built tree starts without building (issue 20). Production runs
// `node server/dist/main.js` directly (the container image has no sources, so there is nothing to compare).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const at = (...parts) => path.join(root, ...parts);

/** What `npm run build` writes, each with the source folders it is built from. */
const outputs = [
  { file: at('server/dist/main.js'), sources: [at('server/src'), at('packages')] },
  { file: at('widget/dist/embed.js'), sources: [at('widget/src'), at('packages')] },
  { file: at('server/explorer/dist/index.html'), sources: [at('server/explorer/src')] },
  // The Console appears with its own vite build; older trees have none.
  ...(existsSync(at('server/console/vite.config.ts')) ? [{ file: at('server/console/dist/index.html'), sources: [at('server/console/src')] }] : []),
];

/** The newest modification time of the source files under `dir` (tests, build output and dependencies skipped). */
function newestSource(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|css|html|md|json|glb)$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (/[/\\](node_modules|dist)[/\\]/.test(file)) continue;
    newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

function whyBuild() {
  for (const output of outputs) {
    const relative = path.relative(root, output.file);
    if (!existsSync(output.file)) return `${relative} is missing`;
    const builtAt = statSync(output.file).mtimeMs;
    if (output.sources.some((dir) => newestSource(dir) > builtAt)) return `${relative} is older than its sources`;
  }
  return undefined;
}

const reason = whyBuild();
if (reason) {
  process.stderr.write(`Building first: ${reason} (npm run build)\n`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Stack traces point at the TypeScript sources (the build writes source maps that carry them).
process.setSourceMapsEnabled(true);
// V8 keeps the compiled modules in the OS temp folder: later starts skip compiling them (about a sixth of the
// start's CPU time, measured 2026-12-07). It falls back to compiling when the folder cannot be written.
enableCompileCache();
await import(pathToFileURL(at('server/dist/main.js')).href);
