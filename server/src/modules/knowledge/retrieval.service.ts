import type { EntityManager } from '@mikro-orm/postgresql';
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

interface QueryVector {
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

/**
 * Hybrid retrieval: pgvector cosine ranking (HNSW with iterative scans, so the bot, snapshot and
 * model filters still yield enough candidates; exact search when the planner finds the bot small)
 * and Postgres full-text ranking in the bot's language, fused by reciprocal rank, near-duplicates
 * dropped. Runs inside a tenant transaction and filters on tenant_id explicitly too, because raw SQL
 * bypasses the ORM's tenant filter.
 */
export async function retrievePassages(
  tx: EntityManager,
  scope: RetrievalScope,
  query: string,
  options: { limit?: number; mode?: RetrievalMode } = {},
): Promise<RetrievedPassage[]> {
  const limit = options.limit ?? 5;
  const mode = options.mode ?? 'hybrid';
  if (scope.documentIds.length === 0 || !query.trim()) return [];
  const queryVector = mode === 'text' ? null : await embedQuery(tx, scope, query, mode);
  const config = searchConfigFor(scope.language ?? 'en');
  await tx.execute(`select ${HNSW_SEARCH_SETTINGS.map((s) => `set_config('${s.name}', '${s.value}', true)`).join(', ')}`);
  const useVector = queryVector !== null;
  const useText = mode !== 'vector';
  // Without a query vector the vector CTEs are switched off by `useVector`; any dimension parses.
  const dimensions = queryVector?.dimensions ?? 1;
  const vector = queryVector?.literal ?? null;
  const modelKey = queryVector?.modelKey ?? '';
  const embedding = vectorExpression(dimensions, 'c.embedding');
  const rows = await tx.execute<{
    id: string; document_id: string; title: string; section_path: string[]; page: number | null; text: string; snippet: string | null; similarity: number | null;
  }[]>(
    `with documents as (select array(select jsonb_array_elements_text(?::jsonb)::uuid) as ids),
     scoped as (
       -- the distance only for vectors of the query's model (CASE keeps the cast from other sizes)
       select c.*, case when ? and c.embedding_model = ? and ${dimensionsPredicate(dimensions, 'c.embedding')}
                        then ${embedding} <=> ?::vector(${dimensions}) end as distance
       from knowledge_chunk c, documents
       where c.tenant_id = ? and c.bot_id = ? and c.document_id = any(documents.ids)
     ),
     by_vector as (
       -- straight on the table (not the materialised "scoped"), so the planner can take the HNSW index
       select id, row_number() over (order by distance) as rank from (
         select c.id, ${embedding} <=> ?::vector(${dimensions}) as distance
         from knowledge_chunk c, documents
         where ? and c.tenant_id = ? and c.bot_id = ? and c.document_id = any(documents.ids)
           and c.embedding_model = ? and ${dimensionsPredicate(dimensions, 'c.embedding')}
         order by ${embedding} <=> ?::vector(${dimensions}) limit ${CANDIDATES_PER_RANKING}
       ) nearest
     ),
     query as (
       -- any query word may match (OR); plainto_tsquery alone would demand all words
       select nullif(replace(plainto_tsquery(?::regconfig, ?)::text, '&', '|'), '')::tsquery as q
     ),
     -- Okapi BM25 over the scoped chunks (k1 = 1.2, b = 0.75): unlike ts_rank_cd it weighs rare words
     -- above common ones (measured: text recall@5 0.76 → 0.92 on bench/rag-eval). Ties are broken by
     -- vector distance so every PostgreSQL build ranks alike.
     qterms as (select array(select tsvector_to_array(to_tsvector(?::regconfig, ?))) as lexemes),
     stats as (select count(*)::float8 as n, greatest(avg(length(search_vector)), 1)::float8 as avglen from scoped),
     matched as (
       select s.id, s.search_vector from scoped s, query where ? and query.q is not null and s.search_vector @@ query.q
     ),
     postings as (
       select m.id, u.lexeme, coalesce(array_length(u.positions, 1), 1)::float8 as tf, length(m.search_vector)::float8 as len
       from matched m, qterms, unnest(m.search_vector) u where u.lexeme = any(qterms.lexemes)
     ),
     df as (select lexeme, count(*)::float8 as df from postings group by lexeme),
     bm25 as (
       select p.id, sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5)) * p.tf * 2.2
                        / (p.tf + 1.2 * (0.25 + 0.75 * p.len / stats.avglen))) as score
       from postings p join df using (lexeme), stats group by p.id
     ),
     by_text as (
       select b.id, row_number() over (order by b.score desc, s.distance nulls last, s.id) as rank
       from bm25 b join scoped s on s.id = b.id
       order by b.score desc, s.distance nulls last, s.id limit ${CANDIDATES_PER_RANKING}
     ),
     fused as (
       select id, sum(weight / (${RRF_K} + rank)) as fused from (
         select id, rank, 1.0 as weight from by_vector
         union all select id, rank, ${TEXT_WEIGHT} as weight from by_text
       ) ranks group by id
     ),
     top as (
       select s.id, s.document_id, s.section_path, s.page, s.text, s.search_config, f.fused, 1 - s.distance as similarity
       from fused f join scoped s on s.id = f.id
       order by f.fused desc, similarity desc nulls last
       limit ?
     )
     select t.id, t.document_id, d.title, t.section_path, t.page, t.text, t.similarity,
            -- highlight marks are ours alone: the text's own asterisks are escaped first
            ts_headline(t.search_config, replace(t.text, '*', '\\*'), query.q, '${HEADLINE_OPTIONS}') as snippet
     from top t
     join knowledge_document d on d.id = t.document_id and d.tenant_id = ?
     cross join query
     order by t.fused desc, t.similarity desc nulls last`,
    [
      JSON.stringify(scope.documentIds),
      useVector, modelKey, vector, scope.tenantId, scope.botId,
      vector, useVector, scope.tenantId, scope.botId, modelKey, vector,
      config, query, config, query, useText, limit * 2, scope.tenantId,
    ],
  );
  const passages = rows.map((row) => ({
    id: row.id,
    documentId: row.document_id,
    documentTitle: row.title,
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
