// A project's local retrieval index: PGlite (PostgreSQL in WASM) with pgvector, persisted in the
// project folder, searched like the server searches — pgvector cosine ranking and PostgreSQL full
// text fused by reciprocal rank — over chunks embedded with knowledge-core's offline embedder.
// Derived data: deleting the folder loses nothing, the store rebuilds it from the knowledge files.
import { mkdir, readdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { OFFLINE_EMBEDDING_DIMENSIONS, embedText, embedTexts } from '@mascot/knowledge-core';
import type { SearchHit } from '../../shared/studio-api.ts';

export interface IndexedChunk {
  id: string;
  documentId: string;
  documentTitle: string;
  index: number;
  sectionPath: string[];
  page: number | null;
  text: string;
  tokenCount: number;
}

/** Each ranking contributes weight / (RRF_K + rank), as on the server (60: the RRF paper's constant). */
const RRF_K = 60;
const CANDIDATES_PER_RANKING = 30;
/** The server weighs full text 1.5× with the offline embedder (bench/rag-eval); Studio ranks alike. */
const TEXT_WEIGHT = 1.5;

const SCHEMA = `
  create extension if not exists vector;
  create table if not exists chunk (
    id text primary key,
    document_id text not null,
    document_title text not null,
    index int not null,
    section_path jsonb not null,
    page int,
    text text not null,
    token_count int not null,
    embedding vector(${OFFLINE_EMBEDDING_DIMENSIONS}) not null,
    search_vector tsvector not null
  );
  create index if not exists chunk_document on chunk (document_id, index);
  create index if not exists chunk_search on chunk using gin (search_vector);
`;

/** The text a chunk is embedded from: its headings then its text, exactly as the server embeds it. */
export function chunkEmbeddingText(chunk: { sectionPath: string[]; text: string }): string {
  return [...chunk.sectionPath, chunk.text].join('\n');
}

const toVectorLiteral = (values: readonly number[]) => `[${values.join(',')}]`;

interface ChunkRow {
  id: string;
  document_id: string;
  document_title: string;
  index: number;
  section_path: string[];
  page: number | null;
  text: string;
  token_count: number;
}

function toChunk(row: ChunkRow): IndexedChunk {
  return {
    id: row.id, documentId: row.document_id, documentTitle: row.document_title, index: row.index,
    sectionPath: row.section_path, page: row.page, text: row.text, tokenCount: row.token_count,
  };
}

/**
 * A dump of a new, empty index, taken from the first one this process creates. Creating a PGlite database
 * runs initdb in WASM: 3 s warm and 9.5 s cold on a busy two-core machine, against 1 s to load this dump
 * (measured side by side in one process, 2026-12-08). Every later new project, gallery copy and rebuilt
 * index starts from it. About 40 MB, kept for the life of the process.
 */
let emptyIndexDump: Blob | undefined;

/** Whether `dataDir` holds no index yet (created empty if missing). */
async function isNewDirectory(dataDir: string): Promise<boolean> {
  await mkdir(dataDir, { recursive: true });
  return (await readdir(dataDir)).length === 0;
}

export class LocalIndex {
  private constructor(private readonly db: PGlite) {}

  /** Opens (or creates) the index in `dataDir`; undefined keeps it in memory. */
  static async open(dataDir: string | undefined): Promise<LocalIndex> {
    const isNew = dataDir ? await isNewDirectory(dataDir) : true;
    const db = await PGlite.create({
      dataDir: dataDir ?? 'memory://',
      extensions: { vector },
      // A new index starts from a copy of an empty one when this process has made one; an existing one opens as it is.
      ...(isNew && emptyIndexDump ? { loadDataDir: emptyIndexDump } : {}),
    });
    await db.exec(SCHEMA);
    if (isNew && !emptyIndexDump) emptyIndexDump = await db.dumpDataDir('none');
    return new LocalIndex(db);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Replaces a document's chunks in one transaction: a search never sees half a document. */
  async putDocument(documentId: string, chunks: readonly IndexedChunk[]): Promise<void> {
    const vectors = embedTexts(chunks.map(chunkEmbeddingText));
    await this.db.transaction(async (tx) => {
      await tx.query('delete from chunk where document_id = $1', [documentId]);
      for (const [i, chunk] of chunks.entries()) {
        await tx.query(
          `insert into chunk (id, document_id, document_title, index, section_path, page, text, token_count, embedding, search_vector)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9::vector, to_tsvector('english', $10))`,
          [chunk.id, documentId, chunk.documentTitle, chunk.index, JSON.stringify(chunk.sectionPath), chunk.page, chunk.text,
            chunk.tokenCount, toVectorLiteral(vectors[i]!), `${chunk.documentTitle} ${chunk.sectionPath.join(' ')} ${chunk.text}`],
        );
      }
    });
  }

  async removeDocument(documentId: string): Promise<void> {
    await this.db.query('delete from chunk where document_id = $1', [documentId]);
  }

  async documentIds(): Promise<string[]> {
    const result = await this.db.query<{ document_id: string }>('select distinct document_id from chunk');
    return result.rows.map((row) => row.document_id);
  }

  async chunksOf(documentId: string): Promise<IndexedChunk[]> {
    const result = await this.db.query<ChunkRow>(
      'select id, document_id, document_title, index, section_path, page, text, token_count from chunk where document_id = $1 order by index',
      [documentId],
    );
    return result.rows.map(toChunk);
  }

  /** Hybrid search: the best `limit` chunks, best first; score is the cosine similarity (0..1). */
  async search(query: string, limit = 5): Promise<SearchHit[]> {
    if (!query.trim()) return [];
    const literal = toVectorLiteral(embedText(query));
    const result = await this.db.query<ChunkRow & { similarity: number }>(
      `with query as (
         -- any query word may match (OR), ranked by how well: a question rarely repeats every word
         select nullif(replace(plainto_tsquery('english', $2)::text, '&', '|'), '')::tsquery as q
       ),
       by_vector as (
         select id, row_number() over (order by embedding <=> $1::vector, id) as rank
         from chunk order by embedding <=> $1::vector, id limit ${CANDIDATES_PER_RANKING}
       ),
       by_text as (
         select c.id, row_number() over (order by ts_rank_cd(c.search_vector, query.q, 1) desc, c.id) as rank
         from chunk c, query where query.q is not null and c.search_vector @@ query.q
         order by ts_rank_cd(c.search_vector, query.q, 1) desc, c.id limit ${CANDIDATES_PER_RANKING}
       ),
       fused as (
         select id, sum(weight / (${RRF_K} + rank)) as fused from (
           select id, rank, 1.0 as weight from by_vector
           union all select id, rank, ${TEXT_WEIGHT} as weight from by_text
         ) ranks group by id
       )
       select c.id, c.document_id, c.document_title, c.index, c.section_path, c.page, c.text, c.token_count,
              1 - (c.embedding <=> $1::vector) as similarity
       from fused f join chunk c on c.id = f.id
       order by f.fused desc, similarity desc, c.id
       limit $3`,
      [literal, query, limit],
    );
    return result.rows.map((row) => {
      const { index: _index, tokenCount: _tokens, ...chunk } = toChunk(row);
      return { ...chunk, score: Math.max(0, Math.min(1, Number(row.similarity))) };
    });
  }
}
