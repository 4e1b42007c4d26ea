import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseInput } from '../../core/errors/index.ts';
import type { BotsService } from '../bots/index.ts';
import { curatedVariantsReadyFor, dropCuratedVariantsNotOf, embedCuratedVariantsFor } from './curated-answers/curated-answer-reindex.ts';
import { MODEL_NAME, OFFLINE_MODEL, embeddingModelKey, parseEmbeddingModelKey, type EmbeddingModel } from './embedding-model.ts';
import { EmbeddingError, type EmbeddingProviders } from './embedding-providers.ts';
import { lockedSettings } from './embedding-settings.ts';
import { IngestionJob } from './ingestion-job.entity.ts';
import { chunkEmbeddingText } from './knowledge.service.ts';
import { KnowledgeSettings } from './knowledge-settings.entity.ts';
import { toVectorLiteral } from './vector-literal.ts';

/** Chunks re-embedded per step; progress is published (and cancellation checked) after each. */
const REEMBED_BATCH = 64;

const modelSchema = z
  .object({
    provider: z.enum(['offline', 'openai', 'openai-compatible']),
    model: z.string().trim().regex(MODEL_NAME, 'must be a model name such as text-embedding-3-small or nomic-embed-text').optional().nullable(),
    dimensions: z.number().int().min(64, 'must be at least 64').max(3072, 'must be at most 3072').optional().nullable(),
  })
  .refine((m) => m.provider === 'offline' || m.model, { message: 'is required for this provider', path: ['model'] })
  .refine((m) => m.provider === 'openai' || !m.dimensions, { message: 'can only be requested from OpenAI models', path: ['dimensions'] });

export interface EmbeddingState {
  settings: { embeddingModel: string; targetEmbeddingModel: string | null; reindexJobId: string | null };
  job: IngestionJob | null;
}

export type PublishJob = (job: IngestionJob) => Promise<void>;
export type EnqueueJob = (job: IngestionJob) => Promise<void>;

/**
 * Changing a bot's embedding model: a durable 'reindex' job fills every chunk's `next_embedding`
 * with the new model, batch by batch (resumable: chunks already done are skipped), then swaps all of
 * them in one transaction. Until that moment the old vectors and the old model keep serving queries,
 * so retrieval never compares vectors of two models and never goes blind. Chunks added meanwhile
 * are embedded with the old model and picked up before the swap.
 */
export class EmbeddingReindexer {
  constructor(
    private readonly orm: MikroORM,
    private readonly bots: BotsService,
    private readonly embeddings: EmbeddingProviders,
    private readonly enqueue: EnqueueJob,
    private readonly publish: PublishJob,
  ) {}

  async state(em: EntityManager, tenantId: string, botId: string): Promise<EmbeddingState> {
    return inTenant(em, tenantId, async (tx) => {
      const bot = await this.bots.get(tx, botId);
      const settings = await tx.findOne(KnowledgeSettings, { botId: bot.id });
      const job = settings?.reindexJobId ? await tx.findOne(IngestionJob, { id: settings.reindexJobId }) : null;
      return {
        settings: {
          embeddingModel: settings?.embeddingModel ?? embeddingModelKey(OFFLINE_MODEL),
          targetEmbeddingModel: settings?.targetEmbeddingModel ?? null,
          reindexJobId: settings?.reindexJobId ?? null,
        },
        job,
      };
    });
  }

  /**
   * Sets the model a bot's knowledge is embedded with. A probe embedding first proves the provider
   * and model answer (a typo fails here, not in the background). Choosing the model being served
   * cancels a pending change; `force` re-embeds even then (`reindexKnowledge`).
   */
  async change(em: EntityManager, actor: TenantActor, botId: string, input: z.input<typeof modelSchema>, force = false): Promise<EmbeddingState> {
    const data = parseInput(modelSchema, input);
    const model: EmbeddingModel = data.provider === 'offline'
      ? OFFLINE_MODEL
      : { provider: data.provider, model: data.model!, dimensions: data.dimensions ?? null };
    const embedder = this.embeddings.embedderFor(model);
    try {
      await embedder.embed(['Mascot embedding probe']);
    } catch (error) {
      const reason = error instanceof EmbeddingError ? error.message : 'It gave no usable answer.';
      throw DomainError.invalidInput([{ field: 'model', message: `could not embed a test text with ${embedder.key}: ${reason}` }]);
    }
    let queued: IngestionJob | null = null;
    let stopped: IngestionJob | null = null;
    await inTenant(em, actor.tenantId, async (tx) => {
      const bot = await this.bots.get(tx, botId);
      const settings = await lockedSettings(tx, actor.tenantId, bot.id);
      if (settings.targetEmbeddingModel === embedder.key && !force) return; // already on its way
      if (settings.reindexJobId) stopped = await this.stopJob(tx, settings);
      if (settings.embeddingModel === embedder.key && !force) return; // back to the model being served
      queued = tx.create(IngestionJob, {
        id: randomUUID(), tenantId: actor.tenantId, botId: bot.id, kind: 'reindex', status: 'queued',
        title: `Re-embedding with ${embedder.key}`, fileName: null, format: null, maxBytes: 0, byteSize: null,
        contentHash: null, fileBytes: null, options: { targetModel: embedder.key }, documentId: null, progress: 0,
        chunksTotal: null, chunksDone: 0, rowErrors: [], warnings: [], errorCode: null, errorMessage: null, attempts: 0,
        createdBy: actor.kind === 'user' ? actor.userId : null, expiresAt: null, finishedAt: null,
      });
      settings.targetEmbeddingModel = embedder.key;
      settings.reindexJobId = queued.id;
      await tx.flush();
    });
    if (stopped) await this.publish(stopped);
    if (queued) {
      await this.enqueue(queued);
      await this.publish(queued);
    }
    return this.state(em, actor.tenantId, botId);
  }

  /** A cancelled re-embedding leaves the bot on its serving model; the half-made vectors go. */
  async abandon(tx: EntityManager, job: IngestionJob): Promise<void> {
    const settings = await lockedSettings(tx, job.tenantId, job.botId);
    if (settings.reindexJobId !== job.id) return;
    settings.targetEmbeddingModel = null;
    settings.reindexJobId = null;
    await tx.execute(`update knowledge_chunk set next_embedding = null, next_embedding_model = null where tenant_id = ? and bot_id = ?`, [job.tenantId, job.botId]);
    await dropCuratedVariantsNotOf(tx, job.tenantId, job.botId, settings.embeddingModel);
    await tx.flush();
  }

  private async stopJob(tx: EntityManager, settings: KnowledgeSettings): Promise<IngestionJob | null> {
    const job = await tx.findOne(IngestionJob, { id: settings.reindexJobId! });
    settings.targetEmbeddingModel = null;
    settings.reindexJobId = null;
    if (!job || ['succeeded', 'failed', 'cancelled'].includes(job.status)) return null;
    job.status = 'cancelled';
    job.errorMessage = 'Superseded by another embedding model change.';
    job.finishedAt = new Date();
    return job;
  }

  /**
   * Runs a reindex job (at-least-once: safe to run again after a crash). Returns the outcome to
   * record; EmbeddingError propagates for the caller to record as a visible failure.
   */
  async run(job: IngestionJob, isStopped: (done: number, total: number) => Promise<boolean>): Promise<'succeeded' | 'stopped'> {
    const target = String(job.options['targetModel'] ?? '');
    const embedder = this.embeddings.embedderFor(parseEmbeddingModelKey(target));
    const em = this.orm.em.fork();
    for (;;) {
      const pending = await inTenant(em.fork(), job.tenantId, async (tx) => {
        const settings = await tx.findOne(KnowledgeSettings, { botId: job.botId });
        if (settings?.reindexJobId !== job.id) return null;
        const [counts] = await tx.execute<{ total: number; done: number }[]>(
          `select count(*)::int as total, count(*) filter (where next_embedding_model = ?)::int as done
           from knowledge_chunk where tenant_id = ? and bot_id = ?`,
          [target, job.tenantId, job.botId],
        );
        const batch = await tx.execute<{ id: string; section_path: string[]; text: string }[]>(
          `select id, section_path, text from knowledge_chunk
           where tenant_id = ? and bot_id = ? and next_embedding_model is distinct from ? order by id limit ${REEMBED_BATCH}`,
          [job.tenantId, job.botId, target],
        );
        return { ...counts!, batch };
      });
      if (!pending || (await isStopped(pending.done, pending.total))) return 'stopped';
      if (pending.batch.length === 0) {
        // Curated answers' questions and paraphrases too (few per bot: after the passages, before the switch).
        await embedCuratedVariantsFor(em, job.tenantId, job.botId, target, embedder);
        if (await this.swap(em.fork(), job, target)) return 'succeeded';
        continue; // chunks arrived between the count and the swap
      }
      const vectors = await embedder.embed(pending.batch.map((row) => chunkEmbeddingText({ sectionPath: row.section_path, text: row.text })));
      await inTenant(em.fork(), job.tenantId, async (tx) => {
        const values = pending.batch.map(() => '(?::uuid, ?::vector)').join(', ');
        await tx.execute(
          `update knowledge_chunk c set next_embedding = v.embedding, next_embedding_model = ?
           from (values ${values}) as v (id, embedding) where c.id = v.id and c.tenant_id = ?`,
          [target, ...pending.batch.flatMap((row, i) => [row.id, toVectorLiteral(vectors[i]!)]), job.tenantId],
        );
      });
      // Let replies streaming on this instance run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The switch, all or nothing, under the settings lock that document storage takes too. */
  private async swap(em: EntityManager, job: IngestionJob, target: string): Promise<boolean> {
    return inTenant(em, job.tenantId, async (tx) => {
      const settings = await lockedSettings(tx, job.tenantId, job.botId);
      if (settings.reindexJobId !== job.id) return true; // superseded: nothing of ours to switch
      const [left] = await tx.execute<{ n: number }[]>(
        `select count(*)::int as n from knowledge_chunk where tenant_id = ? and bot_id = ? and next_embedding_model is distinct from ?`,
        [job.tenantId, job.botId, target],
      );
      if (left!.n > 0 || !(await curatedVariantsReadyFor(tx, job.tenantId, job.botId, target))) return false;
      await tx.execute(
        `update knowledge_chunk set embedding = next_embedding, embedding_model = next_embedding_model, next_embedding = null, next_embedding_model = null
         where tenant_id = ? and bot_id = ?`,
        [job.tenantId, job.botId],
      );
      await dropCuratedVariantsNotOf(tx, job.tenantId, job.botId, target);
      settings.embeddingModel = target;
      settings.targetEmbeddingModel = null;
      settings.reindexJobId = null;
      await tx.flush();
      return true;
    });
  }
}
