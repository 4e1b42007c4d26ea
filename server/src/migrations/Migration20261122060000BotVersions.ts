import { Migration } from '@mikro-orm/migrations';

/**
 * Bots configured by the versioned bot bundle (packages/bot-bundle). Drafts carry a revision so a
 * stale editor (Studio offline, a second tab) is told about the conflict instead of overwriting;
 * versions record who published them and the avatar asset they froze. Stored documents of format 1
 * are upgraded when read, so no data is rewritten here.
 */
export class Migration20261122060000BotVersions extends Migration {
  override name = 'Migration20261122060000BotVersions';

  override async up(): Promise<void> {
    this.addSql(`alter table bot add column draft_revision integer not null default 1`);
    this.addSql(`alter table bot_version add column avatar_hash text`);
    this.addSql(`alter table bot_version add column rolled_back_from integer`);
    this.addSql(`create index bot_version_bot_idx on bot_version (tenant_id, bot_id, number desc)`);
  }
}
