/** What a migration may need beyond the document: facts format 1 kept outside it (the bot's name). */
export interface MigrationContext {
  name?: string;
}

/**
 * The step between two adjacent format versions, in both directions. `up` receives a valid
 * document of version `from` and must return a valid one of version `to`; `down` the reverse,
 * dropping what the older version cannot hold. Migrations are frozen once released: they spell out
 * their own defaults instead of reading today's.
 */
export interface FormatMigration<Older, Newer> {
  readonly from: number;
  readonly to: number;
  up(doc: Older, context: MigrationContext): Newer;
  down(doc: Newer): Older;
}
