import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL the normal driver connects to. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite (Postgres compiled to WASM) with pgvector, served over the Postgres wire protocol,
 * so the server uses the very same driver and SQL as against a real PostgreSQL.
 * `dataDir` undefined keeps everything in memory (tests); otherwise data survives restarts.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string | undefined }): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir ?? 'memory://', extensions: { vector } });
  // PGlite has one backend; the socket server queues statements from several pooled
  // connections and keeps a transaction's statements together (verified in the pglite-socket queue).
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
