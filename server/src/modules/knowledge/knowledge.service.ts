import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { chunkText, type DocumentChunk } from '@mascot/knowledge-core';
import { inTenant, type SideReads } from '../../core/db/index.ts';
import { discardingOutbox, type DomainEventOutbox } from '../../core/events/index.ts';
import { DomainError, parseInput } from '../../core/errors/index.ts';
import { BotVersion, readStoredBundle, type BotsService } from '../bots/index.ts';
import type { UsageService } from '../tenants/index.ts';
import { parseEmbeddingModelKey } from './embedding-model.ts';
import { EmbeddingError, EmbeddingProviders, type Embedder } from './embedding-providers.ts';
import { EmbeddingModelChanged, servingEmbeddingModel } from './embedding-settings.ts';
import { CuratedAnswer } from './curated-answers/curated-answer.entity.ts';
import { KnowledgeDocument } from './knowledge-document.entity.ts';
import { retrievePassages, type RetrievalMode, type RetrievedPassage } from './retrieval.service.ts';
import { searchConfigFor } from './search-language.ts';
import { toVectorLiteral } from './vector-literal.ts';

const MAX_TEXT_CHARS = 200_000;
/** Chunks per insert statement: large documents stay within parameter limits. */
const INSERT_BATCH = 200;

export interface NewDocument {
  title: string;
  sourceType: string;
  contentHash: string;
  sizeBytes: number;
  chunks: DocumentChunk[];
  embeddings: number[][];
  /** The key of the model that made `embeddings`; it must still be the bot's when they are stored. */
  embeddingModel: string;
  /** The web page it comes from (website sources); citations link to it. */
  sourceUrl?: string | null;
}

/** Embeds a document's chunks with `embedder`; null when the work was cancelled meanwhile. */
export type EmbedChunks = (embedder: Embedder, chunks: DocumentChunk[]) => Promise<number[][] | null>;

/** What a chunk's vector is made of: its section headings, then its text. */
export function chunkEmbeddingText(chunk: { sectionPath: string[]; text: string }): string {
  return [...chunk.sectionPath, chunk.text].join('\n');
}

/** A model switch can land between embedding and storing; after this many, give up visibly. */
const EMBED_ATTEMPTS = 3;

const searchSchema = z.object({ text: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters') });

const knowledgeTextSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  text: z
    .string()
    .max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`)
    .refine((t) => /[\p{L}\p{N}]/u.test(t), 'must contain some words'),
});

export class KnowledgeService {
  constructor(
    private readonly bots: BotsService,
    private readonly usage: UsageService,
    readonly embeddings: EmbeddingProviders = EmbeddingProviders.offlineOnly(),
    private readonly outbox: DomainEventOutbox = discardingOutbox,
    /** Retrieval's side pool (retrieval.service.ts), for the reply path and previews too. */
    readonly sideReads?: SideReads,
  ) {}

  /**
   * Chunks, embeds and stores a text document for a bot (synchronously: text is small and cheap).
   * Adding the same text to the same bot again returns the existing document.
   */
  async addText(em: EntityManager, tenantId: string, botId: string, input: z.input<typeof knowledgeTextSchema>) {
    const data = parseInput(knowledgeTextSchema, input);
    const text = data.text.replace(/\r\n?/g, '\n').trim();
    const chunks = chunkText(text).map((chunk) => ({ ...chunk, page: null }));
    try {
      const stored = await this.embedAndStore(em, tenantId, botId, {
        title: data.title,
        sourceType: 'text',
        contentHash: createHash('sha256').update(text).digest('hex'),
        sizeBytes: Buffer.byteLength(text, 'utf8'),
        chunks,
      }, (embedder, batch) => embedder.embed(batch.map(chunkEmbeddingText)));
      return stored!;
    } catch (error) {
      if (error instanceof EmbeddingError) throw DomainError.unavailable(error.message);
      throw error;
    }
  }

  /**
   * Embeds with the bot's current model, then stores. Should the model change in between (a
   * re-embedding finished), the vectors are made again with the new one: a bot never holds vectors
   * of two models. Null when `embed` reports cancellation.
   */
  async embedAndStore(
    em: EntityManager,
    tenantId: string,
    botId: string,
    document: Omit<NewDocument, 'embeddings' | 'embeddingModel'>,
    embed: EmbedChunks,
  ): Promise<KnowledgeDocument | null> {
    for (let attempt = 1; ; attempt++) {
      const { modelKey, existing } = await inTenant(em, tenantId, async (tx) => {
        const bot = await this.bots.get(tx, botId);
        const known = await tx.findOne(KnowledgeDocument, { botId: bot.id, contentHash: document.contentHash });
        // Before any embedding is paid for: a document over the plan's storage is refused here, and
        // checked again under the tenant lock when it is stored (storeDocument).
        if (!known) await this.usage.assertKnowledgeFits(tx, tenantId, document.sizeBytes);
        return { modelKey: await servingEmbeddingModel(tx, bot.id), existing: known };
      });
      if (existing) return existing;
      const embeddings = await embed(this.embeddings.embedderFor(parseEmbeddingModelKey(modelKey)), document.chunks);
      if (!embeddings) return null;
      try {
        return await this.storeDocument(em, tenantId, botId, { ...document, embeddings, embeddingModel: modelKey });
      } catch (error) {
        if (!(error instanceof EmbeddingModelChanged) || attempt >= EMBED_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Writes a document and its embedded chunks in one transaction: all or nothing. Idempotent by
   * content hash per bot, checked against the plan's storage limit. Embedding happens before, so
   * the transaction stays short.
   */
  async storeDocument(em: EntityManager, tenantId: string, botId: string, document: NewDocument): Promise<KnowledgeDocument> {
    return inTenant(em, tenantId, async (tx) => {
      const bot = await this.bots.get(tx, botId);
      const existing = await tx.findOne(KnowledgeDocument, { botId: bot.id, contentHash: document.contentHash });
      if (existing) return existing;
      // Held until commit: a re-embedding cannot switch the model between this check and the insert.
      if ((await servingEmbeddingModel(tx, bot.id, 'share')) !== document.embeddingModel) throw new EmbeddingModelChanged();
      await this.usage.assertKnowledgeFits(tx, tenantId, document.sizeBytes);
      const stored = tx.create(KnowledgeDocument, {
        id: randomUUID(),
        tenantId,
        botId: bot.id,
        title: document.title,
        sourceType: document.sourceType,
        contentHash: document.contentHash,
        chunkCount: document.chunks.length,
        sizeBytes: document.sizeBytes,
        sourceUrl: document.sourceUrl ?? null,
      });
      await tx.flush();
      // Multi-row inserts: vectors go in as pgvector literals; the full-text vector is built by
      // Postgres in the bot's language, from the section headings and the text.
      const config = searchConfigFor(this.bots.draftOf(bot).personality.language);
      for (let start = 0; start < document.chunks.length; start += INSERT_BATCH) {
        const batch = document.chunks.slice(start, start + INSERT_BATCH);
        const rows = batch.map(() => `(?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::vector, ?, ?, ?::regconfig, to_tsvector(?::regconfig, ?))`).join(', ');
        const params = batch.flatMap((chunk, i) => [
          randomUUID(), tenantId, bot.id, stored.id, chunk.index, chunk.text,
          JSON.stringify(chunk.sectionPath), chunk.tokenCount, toVectorLiteral(document.embeddings[start + i]!), document.embeddingModel,
          chunk.page, config, config, `${chunk.sectionPath.join(' ')} ${chunk.text}`,
        ]);
        await tx.execute(
          `insert into knowledge_chunk (id, tenant_id, bot_id, document_id, index, text, section_path, token_count, embedding,
             embedding_model, page, search_config, search_vector) values ${rows}`,
          params,
        );
      }
      // The document's share of its bot's BM25 statistics (Migration20261207010000KnowledgeSearchStats):
      // its postings, and its total passage length beside chunk_count. Retrieval reads these instead
      // of every passage's full-text vector per query.
      await tx.execute(
        `insert into knowledge_posting (tenant_id, bot_id, document_id, chunk_id, lexeme, tf, len)
         select c.tenant_id, c.bot_id, c.document_id, c.id, u.lexeme, coalesce(array_length(u.positions, 1), 1), length(c.search_vector)
         from knowledge_chunk c, unnest(c.search_vector) u where c.document_id = ?`,
        [stored.id],
      );
      await tx.execute(
        `update knowledge_document set search_length =
           (select coalesce(sum(length(search_vector)), 0) from knowledge_chunk where document_id = ?) where id = ?`,
        [stored.id, stored.id],
      );
      // Files (through ingestion jobs) and text alike: a webhook when a new document is answerable.
      await this.outbox.record(tx, tenantId, {
        type: 'knowledge.ingested',
        data: { botId: bot.id, documentId: stored.id, title: stored.title, sourceType: stored.sourceType, chunks: stored.chunkCount },
      });
      return stored;
    });
  }

  /**
   * Retrieval as the bot would run it, for designers testing their knowledge: over everything
   * ingested (`draft`) or only what the live version answers from (`live`).
   */
  async search(
    em: EntityManager,
    tenantId: string,
    botId: string,
    query: string,
    options: { mode: RetrievalMode; limit: number; scope: 'draft' | 'live' },
  ): Promise<RetrievedPassage[]> {
    const { text } = parseInput(searchSchema, { text: query });
    return inTenant(em, tenantId, async (tx) => {
      const bot = await this.bots.get(tx, botId);
      let documentIds: string[];
      let language = this.bots.draftOf(bot).personality.language;
      if (options.scope === 'live') {
        const version = bot.liveVersionId ? await tx.findOne(BotVersion, { id: bot.liveVersionId }) : null;
        documentIds = version?.knowledgeDocumentIds ?? [];
        if (version) language = readStoredBundle(version.config, bot.name).personality.language;
      } else {
        documentIds = await this.documentIdsForSnapshot(tx, bot.id);
      }
      return retrievePassages(
        tx,
        { tenantId, botId: bot.id, documentIds, language, embeddings: this.embeddings, ...(this.sideReads ? { sideReads: this.sideReads } : {}) },
        text,
        { mode: options.mode, limit: options.limit },
      );
    });
  }

  /**
   * The documents a publication of this bot answers from: everything ingested so far, and the curated
   * answers the draft holds (revisions edited or deleted since stay only for the versions that pin them).
   */
  async documentIdsForSnapshot(tx: EntityManager, botId: string): Promise<string[]> {
    const documents = await tx.find(KnowledgeDocument, { botId }, { fields: ['id'], orderBy: { createdAt: 'asc' } });
    const retired = await tx.find(CuratedAnswer, { botId, inDraft: false }, { fields: ['id'] });
    const out = new Set(retired.map((r) => r.id));
    return documents.map((d) => d.id).filter((id) => !out.has(id));
  }
}
