import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The load bench runs every party in its own OS process (server, fake provider, baselines, load
 * generator), as the architecture asks, so none of them shares an event loop with the thing it
 * measures. This file holds both sides of their small IPC protocol and the /proc readings.
 *
 *   parent → child  { kind: 'request', id, command }
 *   child → parent  { kind: 'ready', info } once listening; { kind: 'reply', id, ok, result | error }
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface ReadyMessage<I> {
  kind: 'ready';
  info: I;
}
interface ReplyMessage {
  kind: 'reply';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface Child<I> {
  name: string;
  pid: number;
  info: I;
  /** Sends a command and waits for its reply, at most `timeoutMs`. */
  request<R>(command: object, timeoutMs: number): Promise<R>;
  /** The last lines the process wrote on stderr and stdout, for error reports. */
  tail(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL): for exits where there is no time to ask nicely. */
export function killChildrenNow(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.once('exit', killChildrenNow);

/**
 * Starts `bench/load/<file>` under tsx with an IPC channel and resolves once it reported ready.
 * Output is kept only as a short tail: the server's logs are not the bench's business unless it fails.
 */
export async function startChild<I>(name: string, file: string, env: Record<string, string>, startTimeoutMs = 120_000, nodeArgs: string[] = []): Promise<Child<I>> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'bench/load', file)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  running.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean).map((line) => line.slice(0, 500)));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    running.delete(child);
    resolve();
  }));

  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const ready = new Promise<I>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${startTimeoutMs} ms:\n${lines.join('\n')}`)), startTimeoutMs);
    child.on('message', (message: ReadyMessage<I> | ReplyMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve(message.info);
      } else if (message.kind === 'reply') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(new Error(`${name}: ${message.error}`));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      const error = new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${lines.join('\n')}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  let info: I;
  try {
    info = await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name,
    pid: child.pid!,
    info,
    request<R>(command: object, timeoutMs: number) {
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: no answer to ${JSON.stringify(command).slice(0, 80)} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => { clearTimeout(timer); resolve(value as R); },
          reject: (error) => { clearTimeout(timer); reject(error); },
        });
        child.send({ kind: 'request', id, command });
      });
    },
    tail: () => lines.join('\n'),
    stop,
  };
}

/**
 * The child's side: announces readiness and answers requests with `handle`. The child ends when the
 * parent goes away (its IPC channel closes), so an interrupted bench leaves no process behind.
 */
export function serveParent<I>(info: I, handle: (command: any) => Promise<unknown>, onExit: () => Promise<void> = async () => {}): void {
  if (!process.send) throw new Error('this file runs as a child of bench/load/load.bench.ts (npm run bench:load)');
  let exiting = false;
  const exit = () => {
    if (exiting) return;
    exiting = true;
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    void onExit().finally(() => process.exit(0));
  };
  process.on('disconnect', exit);
  process.on('SIGTERM', exit);
  process.on('SIGINT', () => {}); // Ctrl-C reaches the whole group; the parent decides and sends SIGTERM
  process.on('message', (message: { kind: string; id: number; command: unknown }) => {
    if (message.kind !== 'request') return;
    handle(message.command).then(
      (result) => process.send?.({ kind: 'reply', id: message.id, ok: true, result }),
      (error: unknown) => process.send?.({ kind: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
  process.send({ kind: 'ready', info });
}

// ───────────────────────────── /proc readings ─────────────────────────────

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) the process has used so far; NaN when it is gone or /proc is missing. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) may contain spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
  } catch {
    return Number.NaN;
  }
}

/** Resident set size in bytes; NaN when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from the first line of /proc/stat. */
export function machineJiffies(): { busy: number; total: number } {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const numbers = values.map(Number);
    const total = numbers.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = numbers[3]! + numbers[4]!; // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** The pid of the local nats-server, if one runs on this machine (its CPU is reported next to the server's). */
export async function natsPid(): Promise<number | undefined> {
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'nats-server') return Number(entry);
  }
  return undefined;
}
