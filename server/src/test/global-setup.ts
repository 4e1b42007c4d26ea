// Runs once per test run, before any test file, in Vitest's main process (the integration and
// browser projects' globalSetup). It migrates one database and hands it to every test server:
// creating and migrating a database per server cost 1.5 s against PostgreSQL and 3–6 s on PGlite,
// some fifty times a run.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { entities } from '../app/entities.ts';
import { connectOrm, startEmbeddedPostgres } from '../core/db/index.ts';
import { createLogger } from '../core/logging/index.ts';
import { APP_ROLE, migrations } from '../migrations/index.ts';
import type { MigratedDatabase } from './migrated-database.ts';

async function migrate(url: string): Promise<void> {
  const orm = await connectOrm({ url, entities, migrations, appRole: APP_ROLE, logger: createLogger('silent') });
  await orm.close(true);
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Drops the databases whose names start with `prefix`, connections and all. */
async function dropDatabases(databaseUrl: string, prefix: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * PostgreSQL: a migrated template database each test database is copied from (CREATE DATABASE … TEMPLATE),
 * and a name prefix for this run's test databases: the teardown drops those still there (a worker's shared
 * server is never stopped by a test file; a file that crashed leaves its own).
 */
async function templateDatabase(databaseUrl: string): Promise<{ provided: MigratedDatabase; teardown: () => Promise<void> }> {
  const run = randomBytes(6).toString('hex');
  const name = `mascot_template_${run}`;
  const testDatabasePrefix = `mascot_test_${run}_`;
  await adminQuery(databaseUrl, `create database ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    provided: { kind: 'template', name, testDatabasePrefix },
    teardown: async () => {
      await dropDatabases(databaseUrl, testDatabasePrefix);
      await adminQuery(databaseUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/** Embedded: a dump of a migrated PGlite cluster each embedded server starts from. */
async function embeddedSnapshot(): Promise<{ provided: MigratedDatabase; teardown: () => Promise<void> }> {
  const embedded = await startEmbeddedPostgres({});
  try {
    await migrate(embedded.url);
    const dir = await mkdtemp(path.join(tmpdir(), 'mascot-snapshot-'));
    const file = path.join(dir, 'pglite.tar');
    await writeFile(file, Buffer.from(await (await embedded.dump()).arrayBuffer()));
    return { provided: { kind: 'snapshot', file }, teardown: () => rm(dir, { recursive: true, force: true }) };
  } finally {
    await embedded.stop();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Which services the run uses is the harness's decision, as in test-server.ts; a project's own `env`
  // (the embedded project's) wins over the shell's, as it does in the test workers.
  const projectEnv: Partial<Record<string, string>> = project.config.env ?? {};
  const databaseUrl = (projectEnv['DATABASE_URL'] ?? process.env['DATABASE_URL']) || undefined;
  const { provided, teardown } = databaseUrl ? await templateDatabase(databaseUrl) : await embeddedSnapshot();
  project.provide('migratedDatabase', provided);
  return teardown;
}
