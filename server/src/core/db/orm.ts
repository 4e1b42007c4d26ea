import { MikroORM, type EntitySchema, type Options } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import type { Logger } from '../logging/index.ts';
import { withMigrationLock } from './migration-lock.ts';
import { scopedTransactionClient } from './transaction-scope.ts';

export type { MikroORM };
export type { EntityManager } from '@mikro-orm/postgresql';

export interface OrmOptions {
  url: string;
  entities: EntitySchema[];
  migrations: (new (...args: never[]) => Migration)[];
  /** Role every application connection switches to; it owns nothing and is subject to row-level security. */
  appRole: string;
  logger: Logger;
  poolSize?: number;
  /**
   * Whether other processes may migrate the same database at the same time (real PostgreSQL): migrations
   * then run under an advisory lock (migration-lock.ts). The embedded PGlite belongs to one process.
   */
  sharedDatabase?: boolean;
}

/** The part of a pooled connection we use; kysely's PostgresConnection runs `sql` with `parameters`. */
interface RawConnection {
  executeQuery(query: { sql: string; parameters: readonly unknown[] }): Promise<unknown>;
}

function baseConfig(options: OrmOptions): Options {
  return {
    clientUrl: options.url,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      // An explicit list, not a glob: the same code runs from source (tsx) and in bundles.
      migrationsList: options.migrations as never,
      snapshot: false,
      silent: true,
      transactional: true,
      allOrNothing: true,
    },
    // The ORM's context is always an explicit fork; touching the global EntityManager is a bug.
    allowGlobalContext: false,
    logger: (message) => options.logger.debug({ orm: true }, message),
  };
}

/**
 * Applies the checked-in migrations as the connecting (owner) login, then opens the application's
 * pool, whose every connection switches to `appRole` before first use. From then on the database
 * enforces tenant isolation on everything the server runs, not just on what the ORM filters.
 */
export async function connectOrm(options: OrmOptions): Promise<MikroORM> {
  const owner = await MikroORM.init({ ...baseConfig(options), pool: { min: 0, max: 1 } });
  try {
    const migrate = () => owner.migrator.up();
    const applied = options.sharedDatabase ? await withMigrationLock(options.url, options.logger, migrate) : await migrate();
    if (applied.length > 0) options.logger.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
  } finally {
    await owner.close(true);
  }
  return MikroORM.init({
    ...baseConfig(options),
    pool: { min: 0, max: options.poolSize ?? 10 },
    // pg-pool's `Client` option: transactions open with role and tenant in one message (transaction-scope.ts).
    driverOptions: { Client: scopedTransactionClient(options.appRole) },
    onCreateConnection: async (connection) => {
      await (connection as RawConnection).executeQuery({ sql: `set role ${options.appRole}`, parameters: [] });
    },
  });
}
