/**
 * A small server around the avatar module for its integration tests: real PostgreSQL (a fresh
 * database when a base URL is given, in-memory PGlite otherwise) migrated like production and used
 * through the row-level-security role, the avatar HTTP routes on a real port, and the GraphQL
 * resolver executed with a chosen principal. Independent of how app/ composes the server, so these
 * tests run whether or not the module is wired in yet. Test support only.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { graphql, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { Principal } from '../../core/auth/index.ts';
import { connectOrm, startEmbeddedPostgres, type MikroORM } from '../../core/db/index.ts';
import { createErrorFormatter, type GraphQLContext } from '../../core/graphql/index.ts';
import { createLogger } from '../../core/logging/index.ts';
import { Migration20261122050000Avatars } from '../../migrations/Migration20261122050000Avatars.ts';
import { APP_ROLE, migrations } from '../../migrations/index.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { migratedSnapshot } from '../../test/migrated-database.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { AvatarAsset } from './avatar-asset.entity.ts';
import { avatarRoutes } from './avatar-routes.ts';
import { createLocalAvatarStorage } from './avatar-storage.ts';
import { AvatarUpload } from './avatar-upload.entity.ts';
import { AvatarsResolver } from './avatars.resolver.ts';
import { AvatarsService } from './avatars.service.ts';
import { loadBuiltinAvatars } from './builtin-avatars.ts';
import type { AvatarBudgets } from './glb-validation.ts';

export const HARNESS_SECRET = 'avatar-harness-secret-at-least-32-characters';

export interface TestTenant {
  tenantId: string;
  owner: Principal;
  viewer: Principal;
  readKey: Principal;
  writeKey: Principal;
}

export interface AvatarHarness {
  url: string;
  databaseUrl: string;
  /** Where the local storage keeps files. */
  storageDir: string;
  orm: MikroORM;
  service: AvatarsService;
  createTenant(): Promise<TestTenant>;
  /** Executes one GraphQL operation against the avatar resolver as `principal`; errors formatted like the API's. */
  gql(principal: Principal, query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: { message: string; extensions?: any }[] }>;
  stop(): Promise<void>;
}

/** The avatar migration in name order, whether or not the index lists it already. */
function withAvatarMigration() {
  if (migrations.some((migration) => migration === Migration20261122050000Avatars)) return migrations;
  return [...migrations, Migration20261122050000Avatars].sort((a, b) => a.name.localeCompare(b.name));
}

export async function startAvatarHarness(options: { baseDatabaseUrl: string | undefined; budgets?: Partial<AvatarBudgets> }): Promise<AvatarHarness> {
  const logger = createLogger('silent');
  const database = await createTestDatabase(options.baseDatabaseUrl);
  const embedded = database.url ? undefined : await startEmbeddedPostgres({ snapshot: await migratedSnapshot() });
  const databaseUrl = database.url ?? embedded!.url;
  const orm = await connectOrm({ url: databaseUrl, entities: [AvatarAsset, AvatarUpload], migrations: withAvatarMigration(), appRole: APP_ROLE, logger });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-avatars-'));
  const storageDir = path.join(dataDir, 'avatars');

  let url = '';
  const service = new AvatarsService({
    storage: createLocalAvatarStorage(storageDir),
    builtins: await loadBuiltinAvatars(),
    uploadSecret: HARNESS_SECRET,
    publicUrl: () => url,
    ...(options.budgets ? { budgets: options.budgets } : {}),
  });
  const app = express();
  app.use(avatarRoutes({ avatars: service, em: () => orm.em.fork(), logger }));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const resolver = new AvatarsResolver(service);
  const schema: GraphQLSchema = await buildSchema({ resolvers: [AvatarsResolver], container: { get: () => resolver }, validate: false });
  const formatError = createErrorFormatter(logger, { hideSuggestions: false });

  return {
    url,
    databaseUrl,
    storageDir,
    orm,
    service,
    async createTenant() {
      const tenantId = randomUUID();
      const userId = randomUUID();
      await ownerQuery(databaseUrl, `insert into tenant (id, name) values ($1, 'Avatar tenant')`, [tenantId]);
      await ownerQuery(databaseUrl, `insert into app_user (id, email, password_hash) values ($1, $2, 'x')`, [userId, `${userId}@example.com`]);
      return {
        tenantId,
        owner: { kind: 'user', userId, tenantId, role: 'owner' },
        viewer: { kind: 'user', userId, tenantId, role: 'viewer' },
        readKey: { kind: 'apiKey', keyId: randomUUID(), tenantId, scopes: ['read'] },
        writeKey: { kind: 'apiKey', keyId: randomUUID(), tenantId, scopes: ['write'] },
      };
    },
    async gql(principal, query, variables = {}) {
      const contextValue: GraphQLContext = { em: orm.em.fork(), principal, origin: undefined, ip: undefined, requestId: randomUUID() };
      const result = await graphql({ schema, source: query, variableValues: variables, contextValue });
      return {
        ...(result.data ? { data: JSON.parse(JSON.stringify(result.data)) } : {}),
        ...(result.errors ? { errors: result.errors.map((error) => formatError(error.toJSON(), error) as { message: string; extensions?: any }) } : {}),
      };
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await orm.close(true);
      await embedded?.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
