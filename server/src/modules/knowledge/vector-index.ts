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

/** Settings for one retrieval transaction (`set_config(…, true)`: they end with it). */
export const HNSW_SEARCH_SETTINGS = [
  { name: 'hnsw.ef_search', value: String(HNSW_EF_SEARCH) },
  // Keep scanning the graph until enough rows pass the tenant/bot/snapshot/model filters.
  { name: 'hnsw.iterative_scan', value: 'relaxed_order' },
  { name: 'hnsw.max_scan_tuples', value: String(HNSW_MAX_SCAN_TUPLES) },
] as const;
