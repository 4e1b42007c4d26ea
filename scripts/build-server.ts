import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Compiles the server to JavaScript in server/dist, so production runs it with plain `node` (issue 20):
 *
 * - server/src/** → server/dist/**, one file per file, the same folders: every path the server resolves
 *   relative to its own module (widget/dist, explorer/dist, the worker files, demo-knowledge.md) points at
 *   the same place from dist as from src. Tests and the test harness are left out.
 * - each workspace package the server depends on (@mascot/contracts, …) → server/dist/node_modules/@mascot/<name>,
 *   with a package.json whose exports point at the JavaScript. Node resolves `@mascot/x` from server/dist to this
 *   copy before the root node_modules' symlink to the TypeScript sources, so dist is self-contained: the container
 *   image ships it without packages/.
 *
 * Files are transpiled one by one with TypeScript's own emitter (server/tsconfig.build.json: relative `.ts`
 * specifiers rewritten to `.js`, legacy decorators as tsx runs them, source maps with their sources); types are
 * checked by `npm run typecheck:server`, which runs beside the build.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER = path.join(ROOT, 'server');
const DIST = path.join(SERVER, 'dist');
const CONFIG = path.join(SERVER, 'tsconfig.build.json');

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

function filesUnder(dir: string, keep: (relative: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((relative) => keep(relative.split(path.sep).join('/')))
    .map((relative) => path.join(dir, relative));
}

function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(CONFIG, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail([diagnostic]),
  });
  if (!parsed) throw new Error(`cannot read ${CONFIG}`);
  // 18002: the empty `files` list is on purpose (each unit below names its files).
  const errors = parsed.errors.filter((diagnostic) => diagnostic.code !== 18002);
  if (errors.length > 0) fail(errors);
  return parsed.options;
}

function fail(diagnostics: readonly ts.Diagnostic[]): never {
  const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
  throw new Error(ts.formatDiagnostics(diagnostics, host));
}

function emit(options: ts.CompilerOptions, rootDir: string, outDir: string, files: string[]): void {
  const program = ts.createProgram(files, { ...options, rootDir, outDir });
  const result = program.emit();
  const problems = [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(), ...result.diagnostics];
  if (problems.length > 0 || result.emitSkipped) fail(problems);
}

interface PackageJson {
  name: string;
  version?: string;
  type?: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const readPackage = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;

/** The workspace packages the server needs at run time: its @mascot dependencies and theirs (not devDependencies). */
function runtimeWorkspacePackages(): Map<string, string> {
  const byName = new Map<string, string>();
  for (const entry of readdirSync(path.join(ROOT, 'packages'))) {
    const dir = path.join(ROOT, 'packages', entry);
    if (existsSync(path.join(dir, 'package.json'))) byName.set(readPackage(dir).name, dir);
  }
  const needed = new Map<string, string>();
  const visit = (dependencies: Record<string, string> | undefined) => {
    for (const name of Object.keys(dependencies ?? {})) {
      const dir = byName.get(name);
      if (!dir || needed.has(name)) continue;
      needed.set(name, dir);
      visit(readPackage(dir).dependencies);
    }
  };
  visit(readPackage(SERVER).dependencies);
  return needed;
}

function buildPackage(options: ts.CompilerOptions, name: string, dir: string): void {
  const out = path.join(DIST, 'node_modules', name);
  const manifest = readPackage(dir);
  const exports = Object.fromEntries(
    Object.entries(manifest.exports ?? {}).map(([subpath, target]) => {
      if (typeof target !== 'string' || !target.endsWith('.ts')) {
        throw new Error(`${name}: export ${subpath} must name one .ts file to be compiled, found ${JSON.stringify(target)}`);
      }
      return [subpath, target.replace(/\.ts$/, '.js')];
    }),
  );
  emit(options, dir, out, filesUnder(path.join(dir, 'src'), (file) => file.endsWith('.ts') && !isTest(file)).map((f) => f));
  writeFileSync(
    path.join(out, 'package.json'),
    `${JSON.stringify({ name, version: manifest.version, private: true, type: 'module', exports, dependencies: manifest.dependencies }, null, 2)}\n`,
  );
  // Data files a package reads relative to its modules (@mascot/avatar-assets' GLBs in assets/).
  if (existsSync(path.join(dir, 'assets'))) cpSync(path.join(dir, 'assets'), path.join(out, 'assets'), { recursive: true });
}

const started = performance.now();
const options = compilerOptions();
rmSync(DIST, { recursive: true, force: true });
const source = path.join(SERVER, 'src');
emit(
  options,
  source,
  DIST,
  filesUnder(source, (file) => file.endsWith('.ts') && !isTest(file) && !file.startsWith('test/')),
);
// Files the server reads beside its modules at run time (the demo bot's knowledge).
for (const file of filesUnder(source, (file) => file.endsWith('.md') && !/(^|\/)[A-Z-]+\.md$/.test(file))) {
  const target = path.join(DIST, path.relative(source, file));
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(file, target);
}
const packages = runtimeWorkspacePackages();
for (const [name, dir] of packages) buildPackage(options, name, dir);
console.log(
  `server/dist: server and ${packages.size} workspace packages (${[...packages.keys()].join(', ')}) in ${Math.round(performance.now() - started)} ms`,
);
