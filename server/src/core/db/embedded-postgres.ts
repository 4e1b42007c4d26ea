import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL the normal driver connects to. */
  url: string;
  /** The whole database cluster as a tarball, for `snapshot` of a later start (test harness). */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Where the data lives; undefined keeps everything in memory (tests). */
  dataDir?: string | undefined;
  /**
   * Starts from a dump of another embedded database instead of an empty cluster. Tests start every
   * server from one migrated snapshot: creating a cluster and migrating it costs seconds each time.
   */
  snapshot?: Blob | undefined;
}

/**
 * PGlite (Postgres compiled to WASM) with pgvector, served over the Postgres wire protocol,
 * so the server uses the very same driver and SQL as against a real PostgreSQL.
 * `dataDir` undefined keeps everything in memory (tests); otherwise data survives restarts.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({
    dataDir: options.dataDir ?? 'memory://',
    extensions: { vector },
    ...(options.snapshot ? { loadDataDir: options.snapshot } : {}),
  });
  // PGlite has one backend; the socket server queues statements from several pooled
  // connections and keeps a transaction's statements together (verified in the pglite-socket queue).
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
  keepExtendedQueriesTogether(server, db);
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    dump: () => db.dumpDataDir('none'),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** The parts of pglite-socket 0.2.17's (internal) query queue the fix below replaces. */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}
interface QueryQueueInternals {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/**
 * Extended-protocol messages (Parse, Bind, Describe, Execute, Close, Flush): after one of them the
 * sender's query is unfinished until its Sync.
 */
const EXTENDED_QUERY_PARTS = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

/**
 * pglite-socket queues every wire-protocol message on its own and keeps only explicit transactions
 * together. The extended protocol sends one query as several messages (Parse, Bind, Describe,
 * Execute, Sync) that share the single backend's unnamed statement and portal, so two pooled
 * connections interleaving them bind each other's statements: "unnamed prepared statement does not
 * exist", or a query run with another connection's parameters. Its queue also stopped for good when
 * a message failed, leaving every later query waiting. This replaces the queue's loop so a
 * connection keeps the backend from its first message up to its Sync (as for a transaction), and a
 * failure rejects only its own message. A test drives interleaved pooled queries through it.
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue: QueryQueueInternals }).queryQueue;
  let midSequence = false;

  queue.processQueue = async function processQueue(this: QueryQueueInternals) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const holder = this.lastHandlerId;
        let next: QueuedMessage | undefined;
        if (holder !== null && (midSequence || db.isInTransaction())) {
          const index = this.queue.findIndex((item) => item.handlerId === holder);
          // The holder has not sent its next message yet; it arrives through enqueue, which resumes here.
          if (index === -1) break;
          next = this.queue.splice(index, 1)[0];
        } else {
          next = this.queue.shift();
        }
        if (!next) break;
        const item = next;
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          this.lastHandlerId = item.handlerId;
          midSequence = EXTENDED_QUERY_PARTS.has(item.message[0] ?? 0);
          item.resolve(bytes);
        } catch (error) {
          this.lastHandlerId = item.handlerId;
          midSequence = false;
          item.reject(error);
        }
      }
    } finally {
      this.processing = false;
    }
  };

  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clearQueueForHandler(handlerId);
    // A connection that left mid-query must not keep the backend waiting for its Sync.
    if (queue.lastHandlerId === handlerId) midSequence = false;
    void queue.processQueue();
  };
}
