/**
 * How retrieval reaches the HNSW indexes of knowledge_chunk. The column is an untyped `vector` (each
 * embedding model has its own dimension), so Migration20261122090000EmbeddingModels builds one
 * partial expression index per common dimension:
 *   create index … using hnsw ((embedding::vector(D)) vector_cosine_ops) … where vector_dims(embedding) = D
 * A query uses that index only when it repeats both the cast and the predicate, which these helpers
 * write. Vectors of other dimensions are still found, by exact search.
 */

/**
 * Candidates the HNSW search keeps per query. The offline hashed n-gram vectors are nearly
 * orthogonal (high intrinsic dimension), the hard case for graph search. With m 32 / ef_construction
 * 128, recall@10 against exact search (bench/knowledge-scale.bench.ts, figures in bench/README.md):
 * 10k chunks 0.994 (ef 200) / 0.997 (ef 400); 100k chunks 0.903 (ef 200) / 0.944 (ef 400) / 0.965 (ef 700)
 * / 0.975 (ef 1000). 700 is the smallest measured value meeting the 0.95 target at 100k: p50 24.5 ms / p95
 * 39 ms there, against 629 / 858 ms for exact search in the same run.
 */
export const HNSW_EF_SEARCH = 700;
/**
 * With iterative scans (pgvector ≥ 0.8) a filtered search (one bot's chunks of a shared index) keeps
 * walking the graph until k rows pass the filter, up to this many tuples; pgvector's default
 * (20,000) ran dry for small bots in big tables in the bench.
 */
export const HNSW_MAX_SCAN_TUPLES = 50_000;

function assertDimensions(dimensions: number): void {
  // Interpolated into SQL text (a type modifier cannot be a parameter): only ever an integer.
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000) throw new Error(`Invalid vector dimensions ${dimensions}`);
}

/** The indexed expression for vectors of `dimensions`: `(embedding::vector(512))`. */
export function vectorExpression(dimensions: number, column = 'embedding'): string {
  assertDimensions(dimensions);
  return `(${column}::vector(${dimensions}))`;
}

/** The partial-index predicate the query must repeat: `vector_dims(embedding) = 512`. */
export function dimensionsPredicate(dimensions: number, column = 'embedding'): string {
  assertDimensions(dimensions);
  return `vector_dims(${column}) = ${dimensions}`;
}

/**
 * Up to this many passages in scope, retrieval ranks them exactly instead of through the HNSW index.
 * Embeddings of 512+ dimensions are stored out of line (TOAST), so an exact ranking fetches every vector
 * of the scope: 10,000 passages took 550–720 ms (EXPLAIN ANALYZE, 2026-12-07), the HNSW search 13–28 ms
 * on the same loaded machine. A small scope in a shared index is the index's bad case (the filtered scan
 * walks past other bots' passages): in a 10,000-passage table, p50 exact / index 34 / 95 ms for 500 passages
 * in scope, 34 / 48 ms for 1,000, 51 / 38 ms for 2,000 (load average 19, medians of 20 queries).
 */
export const EXACT_SEARCH_MAX_CHUNKS = 1_500;

/** Settings for one retrieval transaction (`set_config(…, true)`: they end with it). */
export const HNSW_SEARCH_SETTINGS = [
  { name: 'hnsw.ef_search', value: String(HNSW_EF_SEARCH) },
  // Keep scanning the graph until enough rows pass the tenant/bot/snapshot/model filters.
  { name: 'hnsw.iterative_scan', value: 'relaxed_order' },
  { name: 'hnsw.max_scan_tuples', value: String(HNSW_MAX_SCAN_TUPLES) },
] as const;

/**
 * The planner's choice between the HNSW index and an exact sort rests on its estimate of the bot's rows,
 * which is wrong for any bot newer than the table's statistics (every bot at first: it estimated 1 row
 * for a bot of 10,000 passages and sorted them all, 550 ms). Retrieval knows the scope's size from the
 * documents' rows, so it decides itself: for the index it switches sorting off for the one statement
 * (`enable_sort` is read when a statement is planned), which leaves the index as the only cheap plan.
 */
export const INDEX_ONLY_PLANNING = { name: 'enable_sort', value: 'off' } as const;
