/*
 * Where the built server's start goes (issue 20: "npm start on a built tree starts in about a second").
 *
 *   npm run build:server && npx tsx bench/server-startup.bench.ts [--runs=3] [--top=15] [--skip-imports]
 *
 * 1. `node server/dist/main.js` started --runs times, to its "Mascot is running" line: wall time and the CPU the
 *    process used by then (/proc/<pid>/stat, Linux), on PostgreSQL + NATS when DATABASE_URL / NATS_URL are set
 *    (the run's own database, migrated by the first start and reused), else on the embedded defaults (one data
 *    directory for all runs, the first start creating it is not counted). Once without and once with Node's
 *    on-disk compile cache (NODE_COMPILE_CACHE, warmed by one uncounted start).
 * 2. Importing app/create-server.js alone (the module graph, nothing started): CPU, and the number of modules.
 * 3. Each direct dependency of the server imported alone in a fresh Node: CPU, the top --top.
 * CPU is what a busy machine does not hide: wall times there mostly measure waiting for a core.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { table } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER = path.join(ROOT, 'server');
const MAIN = path.join(SERVER, 'dist/main.js');
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const RUNS = Number(args.get('runs') ?? 3);
const TOP = Number(args.get('top') ?? 15);
const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);

/** CPU (user + system) a live process has used so far, in ms. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 0, utime 11, stime 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** One start of the built server: ms to its "running" line and the CPU it used by then; then SIGTERM. */
function startOnce(env: Record<string, string>): Promise<{ wallMs: number; cpuMs: number }> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd: SERVER,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', MASCOT_SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before starting`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"Mascot is running"')) return;
      const result = { wallMs: performance.now() - startedAt, cpuMs: processCpuMs(child.pid!) };
      child.removeAllListeners('exit');
      child.once('exit', () => resolve(result));
      child.kill('SIGTERM');
    });
  });
}

/** CPU and module count of importing `specifier` in a fresh Node (resolved from the server's folder). */
function importCost(specifier: string): { cpuMs: number; modules: number } | null {
  const script = `
    import { createRequire } from 'node:module';
    const before = process.cpuUsage();
    await import(${JSON.stringify(specifier)});
    const used = process.cpuUsage(before);
    const cjs = Object.keys(createRequire(import.meta.url).cache).length;
    console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, modules: cjs }));`;
  // From server/dist, as the built server resolves them: @mascot/* are the compiled copies in dist/node_modules.
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.join(SERVER, 'dist'), encoding: 'utf8' });
  if (result.status !== 0) return null;
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { cpuMs: number; modules: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function startupRuns(): Promise<void> {
  const { DATABASE_URL, NATS_URL } = process.env;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-startup-'));
  const cacheDir = path.join(dataDir, 'compile-cache');
  let databaseName: string | undefined;
  const env: Record<string, string> = { MASCOT_DATA_DIR: dataDir, MASCOT_JWT_SECRET: randomBytes(32).toString('hex'), DATABASE_URL: '', NATS_URL: NATS_URL ?? '' };
  if (DATABASE_URL) {
    databaseName = `mascot_startup_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${databaseName}`);
    await admin.end();
    const url = new URL(DATABASE_URL);
    url.pathname = `/${databaseName}`;
    env['DATABASE_URL'] = url.toString();
  }
  try {
    await startOnce(env); // creates the database or data directory: not what a restart pays
    const rows: string[][] = [];
    for (const [label, extra] of [['no compile cache', {}], ['NODE_COMPILE_CACHE', { NODE_COMPILE_CACHE: cacheDir }]] as const) {
      if ('NODE_COMPILE_CACHE' in extra) await startOnce({ ...env, ...extra }); // fills the cache
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await startOnce({ ...env, ...extra }));
      rows.push([label, `${Math.round(median(runs.map((r) => r.cpuMs)))}`, `${Math.round(median(runs.map((r) => r.wallMs)))}`, runs.map((r) => Math.round(r.cpuMs)).join(', ')]);
    }
    console.log(`\nStart of node server/dist/main.js to "Mascot is running" (${DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}${NATS_URL ? ' + NATS' : ''}), median of ${RUNS}:`);
    console.log(table(['', 'CPU ms', 'wall ms', 'CPU ms of each run'], rows));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    if (databaseName) {
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${databaseName} with (force)`);
      await admin.end();
    }
  }
}

function importCosts(): void {
  const graph = importCost(path.join(SERVER, 'dist/app/create-server.js'));
  console.log(`\nImporting app/create-server.js (the whole module graph, nothing started): ${Math.round(graph?.cpuMs ?? NaN)} ms CPU, ${graph?.modules} CommonJS modules besides the ES modules`);
  const baseline = importCost('node:path')!.cpuMs;
  const dependencies = Object.keys((JSON.parse(readFileSync(path.join(SERVER, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  const costs = dependencies.flatMap((name) => {
    const cost = importCost(name);
    return cost ? [{ name, cpuMs: cost.cpuMs - baseline, modules: cost.modules }] : [];
  });
  costs.sort((a, b) => b.cpuMs - a.cpuMs);
  console.log(`\nEach dependency imported alone, CPU above an empty import (${Math.round(baseline)} ms), top ${TOP}:`);
  console.log(table(['dependency', 'CPU ms', 'CJS modules'], costs.slice(0, TOP).map((c) => [c.name, `${Math.round(c.cpuMs)}`, `${c.modules}`])));
}

if (!existsSync(MAIN)) throw new Error('server/dist/main.js is missing: run `npm run build:server` first.');
await startupRuns();
if (!args.has('skip-imports')) importCosts();
