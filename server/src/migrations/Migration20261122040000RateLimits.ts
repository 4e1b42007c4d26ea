import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './Migration20261122010000RowLevelSecurity.ts';

/**
 * Rate-limit counters shared by every server instance (`server/src/core/rate-limit`).
 *
 * The columns, their order and types are exactly what rate-limiter-flexible's RateLimiterPostgres
 * creates and queries (`insert into rate_limit values ($1, $2, $3)` relies on the order): the app role
 * may not create tables, so the limiter is told the table already exists. `expire` is a Unix time in
 * milliseconds computed by the server instances.
 *
 * Unlogged: counters are written on every request and worthless after a crash, so they skip the WAL
 * (a crash empties the table; a standby does not have it). Not tenant-owned, no row-level security:
 * keys embed the tenant id where they concern one, and rows hold no tenant data.
 */
export class Migration20261122040000RateLimits extends Migration {
  override name = 'Migration20261122040000RateLimits';

  override async up(): Promise<void> {
    this.addSql(`create unlogged table rate_limit (
      key varchar(255) primary key,
      points integer not null default 0,
      expire bigint
    )`);
    // Default privileges (RowLevelSecurity migration) already cover it; explicit because the limiter depends on it.
    this.addSql(`grant select, insert, update, delete on rate_limit to ${APP_ROLE}`);
  }
}
