import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILT_MAIN = path.join(SERVER_DIR, 'dist/main.js');
const SOURCE_DIRS = [path.join(SERVER_DIR, 'src'), path.resolve(SERVER_DIR, '../packages')];

/** The newest source file the server build compiles (tests and the test harness are not built). */
function newestSourceChange(): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const dir of SOURCE_DIRS) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (!entry.isFile() || !file.endsWith('.ts') || file.endsWith('.test.ts') || /[/\\](node_modules|dist|test)[/\\]/.test(file)) continue;
      const { mtimeMs } = statSync(file);
      if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
    }
  }
  return newest;
}

/**
 * Tests of the build output (`built: true`) call this first: `npm test` builds before the integration tests
 * run; run alone, they need `npm run build` and say so when server/dist is missing or older than the sources.
 */
export function assertFreshBuild(): void {
  if (!existsSync(BUILT_MAIN)) throw new Error('server/dist/main.js is missing: run `npm run build` (npm test does) before this test.');
  const newest = newestSourceChange();
  if (newest.mtimeMs > statSync(BUILT_MAIN).mtimeMs) {
    throw new Error(`server/dist is older than ${path.relative(SERVER_DIR, newest.file)}: run \`npm run build\` (npm test does) before this test.`);
  }
}

export interface ServerProcess {
  graphqlUrl: string;
  websocketUrl: string;
  child: ChildProcess;
  /** Every log line the process printed, parsed where it is JSON. */
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
  /**
   * Resolves with the first log line matching `predicate`, waiting for it if need be: a process logs
   * after it publishes, so a line can trail the event another process already delivered.
   */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `server/src/main.ts` as its own OS process — the way operators run it — and resolves once
 * it logs that it is running. Used where one process is not enough: several instances, signals.
 * `built: true` runs the build output instead (`node server/dist/main.js`, no tsx), as production does.
 */
export async function spawnServerProcess(env: Record<string, string>, options: { built?: boolean } = {}): Promise<ServerProcess> {
  const entry = options.built ? ['--enable-source-maps', 'dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, entry, {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      MASCOT_SEED_DEMO: 'false',
      // Instances of one test share a namespace by passing it explicitly; others get their own.
      MASCOT_JOBS_NAMESPACE: `p${randomBytes(6).toString('hex')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const logWaiters = new Set<(line: Record<string, unknown>) => void>();
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const running = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { text: line };
      }
      logs.push(entry);
      for (const waiter of logWaiters) waiter(entry);
      if (entry['msg'] === 'Mascot is running') resolve(entry);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before starting:\n${stderr.join('')}`)));
  });
  const ready = await running;
  const graphqlUrl = String(ready['graphql']);
  return {
    graphqlUrl,
    websocketUrl: graphqlUrl.replace(/^http/, 'ws'),
    child,
    logs,
    exited,
    waitForLog(predicate, timeoutMs = 10_000) {
      const seen = logs.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          logWaiters.delete(waiter);
          reject(new Error(`no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (line: Record<string, unknown>) => {
          if (!predicate(line)) return;
          clearTimeout(timer);
          logWaiters.delete(waiter);
          resolve(line);
        };
        logWaiters.add(waiter);
      });
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
