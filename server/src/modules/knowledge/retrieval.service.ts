import type { EntityManager } from '@mikro-orm/postgresql';
import type { SideReads } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import { dropNearDuplicates } from './dedupe-passages.ts';
import { parseEmbeddingModelKey } from './embedding-model.ts';
import { EmbeddingError, EmbeddingProviders } from './embedding-providers.ts';
import { servingEmbeddingModel } from './embedding-settings.ts';
import { searchConfigFor } from './search-language.ts';
import { HNSW_SEARCH_SETTINGS, dimensionsPredicate, vectorExpression } from './vector-index.ts';
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
 * The nearest passages to the query vector: straight on the table with the index's cast and
 * predicate, so the planner can take the HNSW index (with iterative scans, so the bot, snapshot and
 * model filters still yield enough candidates; exact search when the planner finds the bot small).
 */
async function vectorCandidates(tx: EntityManager, scope: RetrievalScope, vector: QueryVector): Promise<VectorCandidate[]> {
  const embedding = vectorExpression(vector.dimensions, 'c.embedding');
  await tx.execute(`select ${HNSW_SEARCH_SETTINGS.map((s) => `set_config('${s.name}', '${s.value}', true)`).join(', ')}`);
  const rows = await tx.execute<{ id: string }[]>(
    `with ${DOCUMENTS}
     select c.id from knowledge_chunk c, documents
     where c.tenant_id = ? and c.bot_id = ? and c.document_id = any(documents.ids)
       and c.embedding_model = ? and ${dimensionsPredicate(vector.dimensions, 'c.embedding')}
     order by ${embedding} <=> ?::vector(${vector.dimensions}) limit ${CANDIDATES_PER_RANKING}`,
    [...scopeParams(scope), vector.modelKey, vector.literal],
  );
  return rows.map((row, i) => ({ id: row.id, rank: i + 1 }));
}

/**
 * Okapi BM25 over the bot's passages in scope (k1 = 1.2, b = 0.75): unlike ts_rank_cd it weighs rare
 * words above common ones (measured: text recall@5 0.76 → 0.92 on bench/rag-eval). Everything comes
 * from the statistics stored with each document (Migration20261207010000KnowledgeSearchStats): the
 * passage count and mean length from the documents' rows, term and document frequencies from the
 * postings of the query's words, never from the passages' full-text vectors. Returns the best
 * CANDIDATES_PER_RANKING with ties: the fusion breaks ties by vector distance.
 */
const TEXT_SEARCH = `with ${DOCUMENTS},
  qterms as (select array(select tsvector_to_array(to_tsvector(?::regconfig, ?))) as lexemes),
  stats as (
    select coalesce(sum(d.chunk_count), 0)::float8 as n,
           greatest(coalesce(sum(d.search_length)::float8 / nullif(sum(d.chunk_count), 0), 1), 1) as avglen
    from knowledge_document d, documents
    where d.tenant_id = ? and d.bot_id = ? and d.id = any(documents.ids)
  ),
  postings as (
    select p.chunk_id as id, p.lexeme, p.tf::float8 as tf, p.len::float8 as len
    from knowledge_posting p, qterms, documents
    where p.tenant_id = ? and p.bot_id = ? and p.lexeme = any(qterms.lexemes) and p.document_id = any(documents.ids)
  ),
  df as (select lexeme, count(*)::float8 as df from postings group by lexeme),
  bm25 as (
    select p.id, sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5)) * p.tf * 2.2
                     / (p.tf + 1.2 * (0.25 + 0.75 * p.len / stats.avglen))) as score
    from postings p join df using (lexeme), stats group by p.id
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
     candidates as (
       -- the distance only for vectors of the query's model (CASE keeps the cast from other sizes)
       select c.id, c.document_id, c.section_path, c.page, c.text, c.search_config,
              case when ? and c.embedding_model = ? and ${dimensionsPredicate(dimensions, 'c.embedding')}
                   then ${embedding} <=> ?::vector(${dimensions}) end as distance
       from knowledge_chunk c
       where c.tenant_id = ? and c.bot_id = ? and c.id in (select jsonb_array_elements_text(?::jsonb)::uuid)
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
      JSON.stringify(byVector), JSON.stringify(byText),
      queryVector !== null, queryVector?.modelKey ?? '', queryVector?.literal ?? null,
      scope.tenantId, scope.botId, JSON.stringify(ids),
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
