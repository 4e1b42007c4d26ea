import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements, tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

export const WEBSITE_SOURCES_TENANT_TABLES = ['website_source', 'website_page'] as const;

/**
 * Websites as knowledge sources (server/src/modules/knowledge/website-sources):
 *
 * - `website_source`: a site a bot learns from (a start URL or a sitemap, patterns, limits) and the state of its
 *   sync, which is the durable job: `sync_status` queued/running with a lease, so a sync a stopped instance left
 *   is taken over once the lease runs out, and `next_sync_at` for the daily re-sync.
 * - `website_page`: every page learnt, with what makes the next sync cheap (ETag, Last-Modified, content hash,
 *   links found on it) and the knowledge document holding its passages (deleted with the page).
 * - `knowledge_document.source_url`: the page a document came from, so citations link to it.
 * - `mascot_website_sources_to_sync(now, max_rows)`: the sweep runs before any tenant is known; it lists ids
 *   of sources that are due, queued, or whose running sync lost its lease.
 */
export class Migration20261208003000WebsiteSources extends Migration {
  override name = 'Migration20261208003000WebsiteSources';

  override async up(): Promise<void> {
    this.addSql(`alter table knowledge_document add column source_url text`);
    this.addSql(`create table website_source (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      start_url text,
      sitemap_url text,
      include_patterns jsonb not null default '[]',
      exclude_patterns jsonb not null default '[]',
      max_pages integer not null,
      max_depth integer not null,
      sync_interval_hours integer not null default 24,
      sync_status text not null default 'idle' check (sync_status in ('idle','queued','running')),
      sync_id uuid,
      lease_until timestamptz,
      next_sync_at timestamptz,
      last_sync_started_at timestamptz,
      last_synced_at timestamptz,
      last_sync_outcome text check (last_sync_outcome in ('succeeded','failed')),
      last_error_code text,
      last_error_message text,
      pages_done integer not null default 0,
      pages_total integer,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((start_url is null) <> (sitemap_url is null))
    )`);
    this.addSql(`create index website_source_bot_idx on website_source (tenant_id, bot_id, created_at)`);
    this.addSql(`create index website_source_due_idx on website_source (next_sync_at)`);
    this.addSql(`create table website_page (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      source_id uuid not null references website_source(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      url text not null,
      title text,
      etag text,
      last_modified text,
      content_hash text,
      links jsonb not null default '[]',
      depth integer not null default 0,
      document_id uuid references knowledge_document(id) on delete set null deferrable initially deferred,
      error_code text,
      error_message text,
      last_seen_sync_id uuid,
      fetched_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source_id, url)
    )`);
    this.addSql(`create index website_page_document_idx on website_page (document_id)`);
    for (const table of WEBSITE_SOURCES_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    this.addSql(`create function mascot_website_sources_to_sync(p_now timestamptz, max_rows integer)
      returns table (tenant_id uuid, source_id uuid, sync_id uuid)
      language sql stable security definer set search_path = public
      as $$ select s.tenant_id, s.id, s.sync_id from website_source s
            where s.sync_status = 'queued'
               or (s.sync_status = 'running' and s.lease_until < p_now)
               or (s.sync_status = 'idle' and s.next_sync_at <= p_now)
            order by coalesce(s.next_sync_at, s.created_at) limit max_rows $$`);
    for (const statement of definerGrantStatements('mascot_website_sources_to_sync(timestamptz, integer)')) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function mascot_website_sources_to_sync(timestamptz, integer)`);
    this.addSql(`drop table website_page`);
    this.addSql(`drop table website_source`);
    this.addSql(`alter table knowledge_document drop column source_url`);
  }
}
