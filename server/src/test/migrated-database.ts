import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';

/**
 * What global-setup.ts migrated once for the whole run. Against PostgreSQL also the prefix of the run's test
 * databases, so its teardown drops those a worker left behind (sharedTestServer's, a crashed file's).
 */
export type MigratedDatabase = { kind: 'template'; name: string; testDatabasePrefix: string } | { kind: 'snapshot'; file: string };

declare module 'vitest' {
  export interface ProvidedContext {
    migratedDatabase: MigratedDatabase;
  }
}

// Benchmarks use the harness outside Vitest, where nothing was provided (VITEST is set in its workers).
const insideVitest = Boolean(process.env['VITEST']);

/** The migrated template database to copy and the prefix of the run's databases, when the run uses a real PostgreSQL and was set up. */
export function migratedTemplate(): { name: string; testDatabasePrefix: string } | undefined {
  const provided = insideVitest ? inject('migratedDatabase') : undefined;
  return provided?.kind === 'template' ? provided : undefined;
}

let snapshot: Promise<Blob | undefined> | undefined;

/** The migrated embedded cluster to start PGlite from, when the run is embedded and was set up. */
export function migratedSnapshot(): Promise<Blob | undefined> {
  snapshot ??= (async () => {
    const provided = insideVitest ? inject('migratedDatabase') : undefined;
    return provided?.kind === 'snapshot' ? new Blob([await readFile(provided.file)]) : undefined;
  })();
  return snapshot;
}
