import type { EntityManager } from '@mikro-orm/postgresql';
import type { SideReads } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import { dropNearDuplicates } from './dedupe-passages.ts';
import { parseEmbeddingModelKey } from './embedding-model.ts';
import { EmbeddingError, EmbeddingProviders } from './embedding-providers.ts';
import { servingEmbeddingModel } from './embedding-settings.ts';
import { searchConfigFor } from './search-language.ts';
import { EXACT_SEARCH_MAX_CHUNKS, HNSW_SEARCH_SETTINGS, INDEX_ONLY_PLANNING, dimensionsPredicate, vectorExpression } from './vector-index.ts';
import { toVectorLiteral } from './vector-literal.ts';

export interface RetrievedPassage {
  id: string;
  documentId: string;
  documentTitle: string;
  /** The web page the document was learnt from (website sources), else null: citations link to it. */
  documentUrl?: string | null;
  sectionPath: string[];
  page: number | null;
  text: string;
  /**
   * The passage's best fragment (up to two, joined by " … ") with the query's words marked as
   * Markdown bold, `**word**`; asterisks of the text itself are escaped (`\*`), so every `**` pair is
   * a highlight. Render it as Markdown (the widget does, safely), or strip the marks.
   */
  snippet: string;
  /** Cosine similarity of the passage to the query, 0..1 (0 when the query could not be embedded). */
  score: number;
}

/** hybrid (the default) fuses both rankings; the single rankings exist for evaluation and debugging. */
export type RetrievalMode = 'hybrid' | 'vector' | 'text';

export interface RetrievalScope {
  tenantId: string;
  botId: string;
  documentIds: string[];
  /** The bot's language (BCP-47), for the full-text configuration. */
  language?: string;
  /**
   * The server's embedding providers, to embed the query with the bot's model. Without them only
   * the offline model can be served; a bot on another model then gets the full-text ranking alone.
   */
  embeddings?: EmbeddingProviders;
  /**
   * A pool beside the caller's transaction (real PostgreSQL only), so the full-text search runs while
   * the transaction embeds the query and searches by vector. Without one both run on the transaction.
   */
  sideReads?: SideReads;
}

/** Each ranking contributes 1 / (RRF_K + rank); 60 is the constant of the original RRF paper. */
const RRF_K = 60;
const CANDIDATES_PER_RANKING = 30;
/**
 * The full-text ranking counts 1.5× in the fusion: with the offline embedder it is the stronger of the
 * two (bench/rag-eval: hybrid recall@5 0.902 → 0.910, MRR 0.769 → 0.787). Revisit with model embeddings.
 */
const TEXT_WEIGHT = 1.5;
/** ts_headline options: short fragments around the matches, our own Markdown marks. */
const HEADLINE_OPTIONS = 'StartSel=**, StopSel=**, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';
const offlineOnly = EmbeddingProviders.offlineOnly();

/** The question embedded with the bot's model, as SQL takes it (a pgvector literal). */
export interface QueryVector {
  literal: string;
  dimensions: number;
  modelKey: string;
}

/**
 * The query embedded with the model the bot's chunks were embedded with, so vectors of different
 * models are never compared. Null when that model cannot be reached: hybrid retrieval then ranks by
 * full text alone instead of failing the reply.
 */
async function embedQuery(tx: EntityManager, scope: RetrievalScope, query: string, mode: RetrievalMode): Promise<QueryVector | null> {
  const modelKey = await servingEmbeddingModel(tx, scope.botId);
  try {
    const embedder = (scope.embeddings ?? offlineOnly).embedderFor(parseEmbeddingModelKey(modelKey));
    const [vector] = await embedder.embed([query]);
    return { literal: toVectorLiteral(vector!), dimensions: vector!.length, modelKey };
  } catch (error) {
    if (mode === 'vector') {
      throw DomainError.unavailable(error instanceof EmbeddingError ? error.message : `The embedding model ${modelKey} is not available on this server.`);
    }
    return null;
  }
}

interface VectorCandidate {
  id: string;
  rank: number;
}

interface TextCandidate {
  id: string;
  score: number;
}

/** The scope as query parameters: the version's documents (JSON), tenant, bot. */
const scopeParams = (scope: RetrievalScope) => [JSON.stringify(scope.documentIds), scope.tenantId, scope.botId];
const DOCUMENTS = `documents as (select array(select jsonb_array_elements_text(?::jsonb)::uuid) as ids)`;
/** Any query word may match (OR); plainto_tsquery alone would demand all words. */
const QUERY = `query as (select nullif(replace(plainto_tsquery(?::regconfig, ?)::text, '&', '|'), '')::tsquery as q)`;

/**
 * The nearest passages to the query vector. Plain SQL: pgvector's operators, the index's expression and
 * planner settings have no ORM form. The scope's size (summed from its documents' rows, in the round
 * trip that applies the HNSW settings) picks the plan rather than the planner's row estimate, which is
 * wrong for bots newer than the table's statistics (vector-index.ts):
 * - up to EXACT_SEARCH_MAX_CHUNKS passages, an exact ranking: ordered by the distance of the untyped
 *   column, which no index matches, so the planner reads the scope's rows and sorts them;
 * - above, the HNSW index: straight on the table with the index's cast and predicate, sorting switched
 *   off for this statement so that the index is the only cheap plan (with iterative scans, so the bot,
 *   snapshot and model filters still yield enough candidates).
 */
async function vectorCandidates(tx: EntityManager, scope: RetrievalScope, vector: QueryVector): Promise<VectorCandidate[]> {
  const [documents, tenantId, botId] = scopeParams(scope);
  const settings = HNSW_SEARCH_SETTINGS.map((s) => `set_config('${s.name}', '${s.value}', true)`).join(', ');
  const [sizing] = await tx.execute<{ chunks: string | number }[]>(
    `select scope.chunks, ${settings},
            set_config('${INDEX_ONLY_PLANNING.name}', case when scope.chunks > ${EXACT_SEARCH_MAX_CHUNKS} then '${INDEX_ONLY_PLANNING.value}'
                       else current_setting('${INDEX_ONLY_PLANNING.name}') end, true)
     from (select coalesce(sum(d.chunk_count), 0) as chunks from knowledge_document d
           where d.tenant_id = ? and d.bot_id = ? and d.id in (select jsonb_array_elements_text(?::jsonb)::uuid)) scope`,
    [tenantId, botId, documents],
  );
  const useIndex = Number(sizing?.chunks ?? 0) > EXACT_SEARCH_MAX_CHUNKS;
  const distance = useIndex
    ? `${vectorExpression(vector.dimensions, 'c.embedding')} <=> ?::vector(${vector.dimensions})`
    : `c.embedding <=> ?::vector(${vector.dimensions})`;
  const rows = await tx.execute<{ id: string }[]>(
    `with ${DOCUMENTS}
     select c.id from knowledge_chunk c, documents
     where c.tenant_id = ? and c.bot_id = ? and c.document_id = any(documents.ids)
       and c.embedding_model = ? and ${dimensionsPredicate(vector.dimensions, 'c.embedding')}
     order by ${distance} limit ${CANDIDATES_PER_RANKING}`,
    [...scopeParams(scope), vector.modelKey, vector.literal],
  );
  // Back to the session's value for whatever the transaction runs next (a failed statement ends it anyway).
  if (useIndex) await tx.execute(`set local ${INDEX_ONLY_PLANNING.name} to default`);
  return rows.map((row, i) => ({ id: row.id, rank: i + 1 }));
}

/**
 * Okapi BM25 over the bot's passages in scope (k1 = 1.2, b = 0.75): unlike ts_rank_cd it weighs rare
 * words above common ones (measured: text recall@5 0.76 → 0.92 on bench/rag-eval). Everything comes
 * from the statistics stored with each document (Migration20261207010000KnowledgeSearchStats): the
 * passage count and mean length from the documents' rows, term and document frequencies from the
 * postings of the query's words, never from the passages' full-text vectors. Returns the best
 * CANDIDATES_PER_RANKING with ties: the fusion breaks ties by vector distance.
 * Plain SQL (no ORM form for text search or window functions). The postings are read once: the
 * document frequency is a window count over them rather than a second pass joined back (half the time
 * for a common word's 18,000 postings), and the scope's documents are a hashed semi-join, not an
 * `= any(array)` compared element by element for every posting (a website source is thousands of documents).
 */
const TEXT_SEARCH = `with scope as (select jsonb_array_elements_text(?::jsonb)::uuid as id),
  qterms as (select array(select tsvector_to_array(to_tsvector(?::regconfig, ?))) as lexemes),
  stats as (
    select coalesce(sum(d.chunk_count), 0)::float8 as n,
           greatest(coalesce(sum(d.search_length)::float8 / nullif(sum(d.chunk_count), 0), 1), 1) as avglen
    from knowledge_document d
    where d.tenant_id = ? and d.bot_id = ? and d.id in (select id from scope)
  ),
  postings as (
    select p.chunk_id as id, p.tf::float8 as tf, p.len::float8 as len, count(*) over (partition by p.lexeme)::float8 as df
    from knowledge_posting p, qterms
    where p.tenant_id = ? and p.bot_id = ? and p.lexeme = any(qterms.lexemes) and p.document_id in (select id from scope)
  ),
  bm25 as (
    select p.id, sum(ln(1 + (stats.n - p.df + 0.5) / (p.df + 0.5)) * p.tf * 2.2
                     / (p.tf + 1.2 * (0.25 + 0.75 * p.len / stats.avglen))) as score
    from postings p, stats group by p.id
  )
  select id, score from bm25 order by score desc fetch first ${CANDIDATES_PER_RANKING} rows with ties`;

function textParams(scope: RetrievalScope, config: string, query: string): unknown[] {
  const [documents, tenantId, botId] = scopeParams(scope);
  return [documents, config, query, tenantId, botId, tenantId, botId];
}

async function textCandidates(
  tx: EntityManager,
  side: SideReads | undefined,
  scope: RetrievalScope,
  config: string,
  query: string,
): Promise<TextCandidate[]> {
  const params = textParams(scope, config, query);
  const rows = side
    ? await side.query<{ id: string; score: number }>(scope.tenantId, TEXT_SEARCH, params)
    : await tx.execute<{ id: string; score: number }[]>(TEXT_SEARCH, params);
  return rows.map((row) => ({ id: row.id, score: Number(row.score) }));
}

/**
 * Hybrid retrieval: pgvector cosine ranking and Postgres full-text (BM25) ranking in the bot's
 * language, run concurrently, fused by reciprocal rank, near-duplicates dropped. Runs inside a tenant
 * transaction (the full-text search in one of its own for the same tenant) and filters on tenant_id
 * explicitly too, because raw SQL bypasses the ORM's tenant filter.
 */
export async function retrievePassages(
  tx: EntityManager,
  scope: RetrievalScope,
  query: string,
  options: {
    limit?: number;
    mode?: RetrievalMode;
    /**
     * Called with the query vector (null when the question could not be embedded) before the vector
     * search; true ends retrieval with no passages. The reply path looks up curated answers here, so the
     * question is embedded once and the full-text search already under way on the side pool keeps its head start.
     */
    preempt?: (vector: QueryVector | null) => Promise<boolean>;
  } = {},
): Promise<RetrievedPassage[]> {
  const limit = options.limit ?? 5;
  const mode = options.mode ?? 'hybrid';
  if (scope.documentIds.length === 0 || !query.trim()) return [];
  const config = searchConfigFor(scope.language ?? 'en');
  // With a side pool (real PostgreSQL) the full-text search runs on a connection of its own while
  // this transaction embeds the query and searches by vector; without one, after it on `tx`.
  const side = scope.sideReads;
  const searchText = () => (mode === 'vector' ? Promise.resolve([]) : textCandidates(tx, side, scope, config, query));
  const early = side ? searchText() : undefined;
  // Observed at once, so a failing vector search never leaves the text search's rejection unhandled.
  early?.catch(() => undefined);
  const queryVector = mode === 'text' ? null : await embedQuery(tx, scope, query, mode);
  if (options.preempt && (await options.preempt(queryVector))) return [];
  const byVector = queryVector ? await vectorCandidates(tx, scope, queryVector) : [];
  const textRanked = await (early ?? searchText());
  if (byVector.length === 0 && textRanked.length === 0) return [];
  return fusedPassages(tx, scope, config, query, queryVector, byVector, textRanked, limit);
}

/**
 * Reciprocal-rank fusion of the two candidate lists, and the winners' details: text ties broken by
 * vector distance, the fused order by similarity, the snippet highlighted for the query.
 */
async function fusedPassages(
  tx: EntityManager,
  scope: RetrievalScope,
  config: string,
  query: string,
  queryVector: QueryVector | null,
  byVector: VectorCandidate[],
  byText: TextCandidate[],
  limit: number,
): Promise<RetrievedPassage[]> {
  // Without a query vector the distance is switched off by `useVector`; any dimension parses.
  const dimensions = queryVector?.dimensions ?? 1;
  const embedding = vectorExpression(dimensions, 'c.embedding');
  const ids = [...new Set([...byVector.map((c) => c.id), ...byText.map((c) => c.id)])];
  const rows = await tx.execute<{
    id: string; document_id: string; title: string; source_url: string | null; section_path: string[]; page: number | null; text: string; snippet: string | null; similarity: number | null;
  }[]>(
    `with ${QUERY},
     vec as (select * from jsonb_to_recordset(?::jsonb) as v(id uuid, rank int)),
     txt as (select * from jsonb_to_recordset(?::jsonb) as t(id uuid, score float8)),
     ids as (select jsonb_array_elements_text(?::jsonb)::uuid as id),
     candidates as (
       -- the distance only for vectors of the query's model (CASE keeps the cast from other sizes)
       select c.id, c.document_id, c.section_path, c.page, c.text, c.search_config,
              case when ? and c.embedding_model = ? and ${dimensionsPredicate(dimensions, 'c.embedding')}
                   then ${embedding} <=> ?::vector(${dimensions}) end as distance
       -- One primary-key probe per candidate, whatever the planner thinks of the bot's size: the LIMIT
       -- keeps the tenant and bot checks outside the lookup (a new bot, estimated at one row, was read
       -- whole through the (tenant, bot) index: 1.1 s at 10,000 passages), and the ids are uuids before
       -- the probe, so row-level security lets the comparison be the index condition.
       from ids cross join lateral (
         select k.id, k.tenant_id, k.bot_id, k.document_id, k.section_path, k.page, k.text, k.search_config, k.embedding, k.embedding_model
         from knowledge_chunk k where k.id = ids.id limit 1
       ) c
       where c.tenant_id = ? and c.bot_id = ?
     ),
     by_text as (
       -- ties broken by vector distance, so every PostgreSQL build ranks alike
       select t.id, row_number() over (order by t.score desc, c.distance nulls last, c.id) as rank
       from txt t join candidates c on c.id = t.id
       order by t.score desc, c.distance nulls last, c.id limit ${CANDIDATES_PER_RANKING}
     ),
     fused as (
       select id, sum(weight / (${RRF_K} + rank)) as fused from (
         select id, rank, 1.0 as weight from vec
         union all select id, rank, ${TEXT_WEIGHT} as weight from by_text
       ) ranks group by id
     ),
     top as (
       select c.id, c.document_id, c.section_path, c.page, c.text, c.search_config, f.fused, 1 - c.distance as similarity
       from fused f join candidates c on c.id = f.id
       order by f.fused desc, similarity desc nulls last
       limit ?
     )
     select t.id, t.document_id, d.title, d.source_url, t.section_path, t.page, t.text, t.similarity,
            -- highlight marks are ours alone: the text's own asterisks are escaped first
            ts_headline(t.search_config, replace(t.text, '*', '\\*'), query.q, '${HEADLINE_OPTIONS}') as snippet
     from top t
     join knowledge_document d on d.id = t.document_id and d.tenant_id = ?
     cross join query
     order by t.fused desc, t.similarity desc nulls last`,
    [
      config, query,
      JSON.stringify(byVector), JSON.stringify(byText), JSON.stringify(ids),
      queryVector !== null, queryVector?.modelKey ?? '', queryVector?.literal ?? null,
      scope.tenantId, scope.botId,
      limit * 2, scope.tenantId,
    ],
  );
  const passages = rows.map((row) => ({
    id: row.id,
    documentId: row.document_id,
    documentTitle: row.title,
    documentUrl: row.source_url ?? null,
    sectionPath: row.section_path,
    page: row.page,
    text: row.text,
    // No query word in the text (a vector-only match): the passage's opening words, unmarked.
    snippet: (row.snippet ?? excerpt(row.text)).replace(/\s+/g, ' ').trim(),
    score: Math.max(0, Math.min(1, Number(row.similarity ?? 0))),
  }));
  return dropNearDuplicates(passages).slice(0, limit);
}

function excerpt(text: string): string {
  const words = text.replaceAll('*', '\\*').split(/\s+/);
  return words.length > 30 ? `${words.slice(0, 30).join(' ')} …` : words.join(' ');
}
