import { Migration } from '@mikro-orm/migrations';

/**
 * What the widget tells the server about a visitor's session (server/src/modules/conversations):
 * an anonymous visitor id the widget keeps per site (analytics count unique visitors by it), the
 * A/B variant the visitor was shown, and the host page's origin the bot's allowlist admitted.
 * All nullable: conversations started through the API rather than the widget have none of them.
 */
export class Migration20261122130000WidgetSessions extends Migration {
  override name = 'Migration20261122130000WidgetSessions';

  override async up(): Promise<void> {
    this.addSql(`alter table conversation
      add column visitor_id text check (visitor_id ~ '^[A-Za-z0-9_-]{8,64}$'),
      add column variant_id text check (char_length(variant_id) between 1 and 40),
      add column host_origin text check (char_length(host_origin) between 1 and 300)`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table conversation drop column visitor_id, drop column variant_id, drop column host_origin`);
  }
}
