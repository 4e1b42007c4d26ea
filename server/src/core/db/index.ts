export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres.ts';
export { connectOrm, type EntityManager, type MikroORM } from './orm.ts';
export { withMigrationLock } from './migration-lock.ts';
export { inTenant, tenantFilter, TENANT_FILTER } from './tenant-scope.ts';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  NEWEST_FIRST,
  findPage,
  keysetQuery,
  keysetRequest,
  keysetSql,
  lazily,
  listInTenant,
  mapNodes,
  toKeysetPage,
  type KeysetOrder,
  type KeysetRequest,
  type Page,
  type PageCursor,
  type PageInfoData,
  type SortDirection,
  type TenantList,
} from './pagination.ts';
export { SideReads, inlineUuid, type SideReadsOptions } from './side-reads.ts';
export { DeferredCounters, type CounterRow, type FlushedRows } from './deferred-counters.ts';
