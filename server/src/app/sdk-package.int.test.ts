import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTestServer } from '../test/shared-test-server.ts';
import type { TestServer } from '../test/test-server.ts';

/**
 * What this proves: @mascot/sdk as partners receive it works. `npm pack` builds it with tsc and packs it; the
 * tarball holds the compiled JavaScript, declarations and maps, and no TypeScript source. It is installed into an empty folder outside the workspace (so nothing resolves through the monorepo's
 * node_modules or its `@mascot/source` export condition), and the plain-JavaScript example runs there on
 * Node 22 without tsx: sign up, create and publish a bot, stream a visitor's answer from a real server.
 * The shipped declarations type-check in a strict TypeScript project in the same folder.
 * One build, one install, one run of the example.
 */
const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SDK_DIR = path.join(REPO, 'packages/sdk');
const EXAMPLE = path.join(SDK_DIR, 'examples/plain-node.mjs');

// npm, started from `npm test`, inherits the workspace's npm_* settings (workspace, package.json, prefix):
// dropped so the install behaves as in a partner's own folder. The user's npm config (registry, cache) stays.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env: cleanEnv, timeout: 120_000 });

const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');
const PARTNER_TSCONFIG = {
  compilerOptions: { module: 'nodenext', strict: true, noEmit: true, lib: ['ES2023', 'DOM'], types: [], skipLibCheck: false },
  files: ['typed.ts'],
};
const TYPED_USE = `import { BotsDocument, MascotApiError, createMascotClient, type BotsQuery } from '@mascot/sdk';
const mascot = createMascotClient({ url: 'https://mascot.example.com/graphql', auth: { apiKey: 'mk_x' } });
export const bots: Promise<BotsQuery> = mascot.request(BotsDocument, { first: 10 });
// @ts-expect-error: variables are typed by the operation
void mascot.request(BotsDocument, { first: 'ten' });
export const isApiError = (error: unknown) => error instanceof MascotApiError && error.code === 'NOT_FOUND';
`;

let server: TestServer;
let folder: string;

beforeAll(async () => {
  [server, folder] = await Promise.all([sharedTestServer(), mkdtemp(path.join(tmpdir(), 'mascot-sdk-partner-'))]);
});
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the packed @mascot/sdk in a partner project', () => {
  it('installs from its tarball into an empty folder and runs the plain Node example against a real server', { timeout: 240_000 }, async () => {
    // `npm pack` builds first (the package's prepack script), as it does for whoever packs or publishes it.
    const { stdout: packed } = await npm(['pack', '--json', '--pack-destination', folder], SDK_DIR);
    const [tarball] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
    const shipped = tarball!.files.map((f) => f.path);
    expect(shipped).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/index.js.map']));
    expect(shipped.filter((file) => !/^(package\.json|README\.md|dist\/.+\.(js|d\.ts)(\.map)?)$/.test(file))).toEqual([]);

    const app = path.join(folder, 'app');
    await mkdir(app);
    await writeFile(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'partner-app', private: true, type: 'module', dependencies: { '@mascot/sdk': `file:../${tarball!.filename}` } }),
    );
    await copyFile(EXAMPLE, path.join(app, 'example.mjs'));
    // graphql and graphql-ws come from the npm cache the workspace install filled, or the registry otherwise.
    await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);

    // The declarations as a strict TypeScript partner project sees them (Node's own resolution, no skipLibCheck).
    await writeFile(path.join(app, 'tsconfig.json'), JSON.stringify(PARTNER_TSCONFIG));
    await writeFile(path.join(app, 'typed.ts'), TYPED_USE);
    await run(process.execPath, [TSC, '-p', app], { cwd: app, timeout: 60_000 });

    const { stdout } = await run(process.execPath, ['example.mjs'], {
      cwd: app,
      env: { PATH: process.env['PATH'] ?? '', MASCOT_URL: server.graphqlUrl },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/^published: Pip \(version 1\)$/m);
    expect(stdout).toMatch(/^answer: .*29 dollars/m);
    expect(stdout).toMatch(/^source \[1\]: Price list$/m);
    expect(stdout).toMatch(/^streamed: the whole answer$/m);
  });
});
