import { Migration } from '@mikro-orm/migrations';

/**
 * Knowledge search per bot language: the full-text vector is computed at insert with the bot's
 * text-search configuration (english, german, …) instead of a fixed generated 'english' column;
 * chunks remember their page for citations.
 */
export class Migration20261122070000KnowledgeSearch extends Migration {
  override name = 'Migration20261122070000KnowledgeSearch';

  override async up(): Promise<void> {
    this.addSql(`alter table knowledge_chunk add column page integer`);
    this.addSql(`alter table knowledge_chunk add column search_config regconfig not null default 'english'`);
    this.addSql(`alter table knowledge_chunk drop column search_vector`);
    this.addSql(`alter table knowledge_chunk add column search_vector tsvector`);
    this.addSql(`update knowledge_chunk set search_vector = to_tsvector(search_config, coalesce(section_path ->> 0, '') || ' ' || text)`);
    this.addSql(`alter table knowledge_chunk alter column search_vector set not null`);
    this.addSql(`create index knowledge_chunk_search_idx on knowledge_chunk using gin (search_vector)`);
  }
}
