import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { TenantActor } from '../../../core/auth/index.ts';
import { inTenant, listInTenant, type KeysetRequest, type Page } from '../../../core/db/index.ts';
import { DomainError, parseId, parseInput, type FieldError } from '../../../core/errors/index.ts';
import type { AuditService } from '../../audit/index.ts';
import type { BotsService } from '../../bots/index.ts';
import type { UsageService } from '../../tenants/index.ts';
import { parseEmbeddingModelKey } from '../embedding-model.ts';
import { EmbeddingError, type EmbeddingProviders } from '../embedding-providers.ts';
import { EmbeddingModelChanged, servingEmbeddingModel } from '../embedding-settings.ts';
import { KnowledgeDocument } from '../knowledge-document.entity.ts';
import { toVectorLiteral } from '../vector-literal.ts';
import { CuratedAnswer } from './curated-answer.entity.ts';
import { curatedAnswersToCsv, parseCuratedAnswersCsv } from './curated-answers-csv.ts';

/** `knowledge_document.source_type` of curated answer revisions. */
export const CURATED_SOURCE_TYPE = 'curated';
/** Entries per bot: the lookup reads a bot's variants by exact distance, cheap up to about this many. */
export const MAX_CURATED_ANSWERS_PER_BOT = 2_000;
const MAX_PARAPHRASES = 20;

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).refine((t) => t.length === 0 || /[\p{L}\p{N}]/u.test(t), 'must contain some words');

export const curatedAnswerSchema = z.object({
  question: text(500),
  paraphrases: z.array(text(500)).max(MAX_PARAPHRASES, `must be at most ${MAX_PARAPHRASES}`).nullish().transform((list) => dedupe(list ?? [])),
  answer: text(5000),
});
const updateSchema = z.object({ question: text(500).nullish(), paraphrases: z.array(z.string()).nullish(), answer: text(5000).nullish() });

export type CuratedAnswerInput = z.input<typeof curatedAnswerSchema>;
type CuratedAnswerData = z.output<typeof curatedAnswerSchema>;

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A curated answer as the draft holds it: the stable entry id and its current revision. */
export interface CuratedAnswerView {
  id: string;
  botId: string;
  question: string;
  paraphrases: string[];
  answer: string;
  createdAt: Date;
  updatedAt: Date;
}

export function curatedAnswerView(row: CuratedAnswer): CuratedAnswerView {
  return { id: row.entryId, botId: row.botId, question: row.question, paraphrases: row.paraphrases, answer: row.answer, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/** One change a write applies: a new entry, a new revision of an entry, or an entry's removal. */
type Change =
  | { kind: 'create'; data: CuratedAnswerData; field: string }
  | { kind: 'update'; entryId: string; data: CuratedAnswerData; field: string }
  | { kind: 'delete'; entryId: string };

interface EmbeddedChange {
  change: Change;
  vectors: number[][];
}

export interface CuratedImportResult {
  created: number;
  updated: number;
  deleted: number;
}

/**
 * Curated answers: team-written question, paraphrases and answer, in the bot's draft and versioned with
 * it. Every revision is a knowledge document (source type `curated`, no passages) that publishBot pins
 * like any other, so publishing freezes the entries and rolling back restores them; an edit writes a new
 * revision and keeps the old one while a version pins it. The question and each paraphrase are embedded
 * with the bot's model (before the transaction, like documents), and everything is written in one
 * transaction: a whole CSV import or nothing. Changes are audited.
 */
export class CuratedAnswersService {
  constructor(
    private readonly bots: BotsService,
    private readonly usage: UsageService,
    private readonly embeddings: EmbeddingProviders,
    private readonly audit: AuditService,
  ) {}

  /** The draft's entries, newest first. */
  list(em: EntityManager, tenantId: string, botId: string, page: KeysetRequest): Promise<Page<CuratedAnswer>> {
    const id = parseId(botId, 'botId');
    return listInTenant(em, tenantId, { entity: CuratedAnswer, where: () => ({ botId: id, inDraft: true }), check: (tx) => this.bots.get(tx, id) }, page);
  }

  async create(em: EntityManager, actor: TenantActor, botId: string, input: CuratedAnswerInput, ip?: string): Promise<CuratedAnswerView> {
    const data = parseInput(curatedAnswerSchema, input);
    const [written] = await this.write(em, actor, parseId(botId, 'botId'), () => Promise.resolve([{ kind: 'create', data, field: 'input' }]), ip);
    return curatedAnswerView(written!.row!);
  }

  async update(em: EntityManager, actor: TenantActor, entryId: string, input: z.input<typeof updateSchema>, ip?: string): Promise<CuratedAnswerView> {
    const id = parseId(entryId, 'id');
    const patch = parseInput(updateSchema, input);
    const current = await inTenant(em, actor.tenantId, (tx) => this.draftRevision(tx, id));
    const data = parseInput(curatedAnswerSchema, {
      question: patch.question ?? current.question,
      paraphrases: patch.paraphrases ?? current.paraphrases,
      answer: patch.answer ?? current.answer,
    });
    const [written] = await this.write(em, actor, current.botId, () => Promise.resolve([{ kind: 'update', entryId: id, data, field: 'input' }]), ip);
    return curatedAnswerView(written!.row!);
  }

  async delete(em: EntityManager, actor: TenantActor, entryId: string, ip?: string): Promise<CuratedAnswerView> {
    const id = parseId(entryId, 'id');
    const current = await inTenant(em, actor.tenantId, (tx) => this.draftRevision(tx, id));
    await this.write(em, actor, current.botId, () => Promise.resolve([{ kind: 'delete', entryId: id }]), ip, (tx) =>
      this.audit.record(tx, actor.tenantId, {
        action: 'knowledge.curated_answer_deleted', actor, target: { type: 'curated_answer', id }, ip, metadata: { botId: current.botId, question: current.question },
      }),
    );
    return curatedAnswerView(current);
  }

  /**
   * Imports entries from CSV (columns `question`, `paraphrases` one per line, `answer`, optional `id`):
   * rows with the id of a draft entry update it, rows without one create entries, and with `replace`
   * the draft's entries missing from the file are deleted. A malformed file or any invalid row fails
   * the whole import with field errors (`csv.row.3.answer`); nothing is written then.
   */
  async importCsv(em: EntityManager, actor: TenantActor, botId: string, csv: string, replace: boolean, ip?: string): Promise<CuratedImportResult> {
    const id = parseId(botId, 'botId');
    // Another tenant's bot is NOT_FOUND whatever the file holds.
    await inTenant(em, actor.tenantId, (tx) => this.bots.get(tx, id));
    const rows = parseCuratedAnswersCsv(csv);
    const errors: FieldError[] = [];
    const parsed = rows.map((row) => {
      const result = curatedAnswerSchema.safeParse(row.values);
      if (!result.success) {
        for (const issue of result.error.issues) errors.push({ field: `csv.row.${row.row}.${issue.path.join('.') || 'row'}`, message: issue.message });
        return null;
      }
      return { row: row.row, entryId: row.id, data: result.data };
    });
    if (errors.length > 0) throw DomainError.invalidInput(errors);
    let deleted = 0;
    const written = await this.write(em, actor, id, async (tx) => {
      const draft = await tx.find(CuratedAnswer, { botId: id, inDraft: true }, { fields: ['entryId'] });
      const known = new Set(draft.map((d) => d.entryId));
      const mentioned = new Set<string>();
      const changes: Change[] = [];
      for (const row of parsed) {
        const field = `csv.row.${row!.row}`;
        if (row!.entryId === null) {
          changes.push({ kind: 'create', data: row!.data, field });
        } else if (!known.has(row!.entryId) || mentioned.has(row!.entryId)) {
          errors.push({ field: `${field}.id`, message: mentioned.has(row!.entryId) ? 'appears twice in the file' : 'is not a curated answer of this bot (leave it empty to add one)' });
        } else {
          mentioned.add(row!.entryId);
          changes.push({ kind: 'update', entryId: row!.entryId, data: row!.data, field });
        }
      }
      if (errors.length > 0) throw DomainError.invalidInput(errors);
      if (replace) {
        for (const entryId of known) {
          if (!mentioned.has(entryId)) changes.push({ kind: 'delete', entryId });
        }
      }
      deleted = changes.filter((c) => c.kind === 'delete').length;
      return changes;
    }, ip, (tx, applied) =>
      this.audit.record(tx, actor.tenantId, {
        action: 'knowledge.curated_answers_imported', actor, target: { type: 'bot', id }, ip,
        metadata: { created: applied.filter((c) => c.kind === 'create').length, updated: applied.filter((c) => c.kind === 'update').length, deleted: applied.filter((c) => c.kind === 'delete').length },
      }),
    );
    return { created: written.filter((w) => w.change.kind === 'create').length, updated: written.filter((w) => w.change.kind === 'update').length, deleted };
  }

  /** The draft's entries as CSV (oldest first, so a spreadsheet reads like the list was written), formulas escaped. */
  async exportCsv(em: EntityManager, tenantId: string, botId: string): Promise<string> {
    const id = parseId(botId, 'botId');
    const rows = await inTenant(em, tenantId, async (tx) => {
      await this.bots.get(tx, id);
      return tx.find(CuratedAnswer, { botId: id, inDraft: true }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    });
    return curatedAnswersToCsv(rows.map(curatedAnswerView));
  }

  private async draftRevision(tx: EntityManager, entryId: string): Promise<CuratedAnswer> {
    const row = await tx.findOne(CuratedAnswer, { entryId, inDraft: true });
    // A deleted bot's entries are gone with it for everything but restoreBot.
    if (!row) throw DomainError.notFound('Curated answer');
    await this.bots.get(tx, row.botId).catch(() => {
      throw DomainError.notFound('Curated answer');
    });
    return row;
  }

  /**
   * Plans the changes (`plan`, in a first read-only transaction), embeds every new revision's question
   * and paraphrases with the bot's model outside any transaction, then applies everything in one
   * transaction, checked against the plan's knowledge storage and the model (a re-embedding may have
   * switched it meanwhile: then the vectors are made again). `after` records the audit entry there too.
   */
  private async write(
    em: EntityManager,
    actor: TenantActor,
    botId: string,
    plan: (tx: EntityManager) => Promise<Change[]>,
    ip: string | undefined,
    after?: (tx: EntityManager, applied: Change[]) => void,
  ): Promise<{ change: Change; row: CuratedAnswer | null }[]> {
    for (let attempt = 1; ; attempt++) {
      const { changes, modelKey } = await inTenant(em, actor.tenantId, async (tx) => {
        const bot = await this.bots.get(tx, botId);
        return { changes: await plan(tx), modelKey: await servingEmbeddingModel(tx, bot.id) };
      });
      let embedded: EmbeddedChange[];
      try {
        embedded = await this.embed(changes, modelKey);
      } catch (error) {
        if (error instanceof EmbeddingError) throw DomainError.unavailable(error.message);
        throw error;
      }
      try {
        return await inTenant(em, actor.tenantId, async (tx) => {
          const bot = await this.bots.get(tx, botId);
          if ((await servingEmbeddingModel(tx, bot.id, 'share')) !== modelKey) throw new EmbeddingModelChanged();
          const written: { change: Change; row: CuratedAnswer | null }[] = [];
          for (const item of embedded) written.push({ change: item.change, row: await this.apply(tx, actor, bot.id, item, modelKey) });
          await this.assertWithinLimits(tx, actor.tenantId, bot.id, embedded);
          if (after) after(tx, changes);
          else {
            for (const { change, row } of written) {
              if (!row) continue;
              this.audit.record(tx, actor.tenantId, {
                action: change.kind === 'create' ? 'knowledge.curated_answer_created' : 'knowledge.curated_answer_updated',
                actor, target: { type: 'curated_answer', id: row.entryId }, ip, metadata: { botId: bot.id, question: row.question },
              });
            }
          }
          await tx.flush();
          return written;
        });
      } catch (error) {
        if (!(error instanceof EmbeddingModelChanged) || attempt >= 3) throw error;
      }
    }
  }

  private async embed(changes: Change[], modelKey: string): Promise<EmbeddedChange[]> {
    const texts = changes.flatMap((c) => (c.kind === 'delete' ? [] : variantsOf(c.data)));
    const vectors = texts.length === 0 ? [] : await this.embeddings.embedderFor(parseEmbeddingModelKey(modelKey)).embed(texts);
    let next = 0;
    return changes.map((change) => {
      const count = change.kind === 'delete' ? 0 : variantsOf(change.data).length;
      const mine = vectors.slice(next, next + count);
      next += count;
      return { change, vectors: mine };
    });
  }

  /** Applies one change; returns the new revision (null for a deletion). */
  private async apply(tx: EntityManager, actor: TenantActor, botId: string, item: EmbeddedChange, modelKey: string): Promise<CuratedAnswer | null> {
    const { change } = item;
    let createdAt = new Date();
    let entryId: string = randomUUID();
    if (change.kind !== 'create') {
      const current = await tx.findOne(CuratedAnswer, { entryId: change.entryId, botId, inDraft: true });
      if (!current) throw DomainError.notFound('Curated answer');
      await this.retire(tx, actor.tenantId, botId, current);
      if (change.kind === 'delete') return null;
      createdAt = current.createdAt;
      entryId = current.entryId;
    }
    const { data } = change;
    const id = randomUUID();
    const variants = variantsOf(data);
    tx.create(KnowledgeDocument, {
      id,
      tenantId: actor.tenantId,
      botId,
      // Version diffs name documents by title: the entry's question says which answer changed.
      title: data.question,
      sourceType: CURATED_SOURCE_TYPE,
      // Unique per revision (documents are deduplicated by content per bot; revisions never are).
      contentHash: createHash('sha256').update(`curated\u0000${id}`).digest('hex'),
      chunkCount: 0,
      sizeBytes: [...variants, data.answer].reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0),
    });
    const row = tx.create(CuratedAnswer, {
      id, tenantId: actor.tenantId, botId, entryId, question: data.question, paraphrases: data.paraphrases, answer: data.answer, inDraft: true, createdAt,
    });
    await tx.flush();
    const values = variants.map(() => '(?, ?, ?, ?, ?, ?::vector, ?)').join(', ');
    await tx.execute(
      `insert into curated_answer_variant (id, tenant_id, bot_id, answer_id, text, embedding, embedding_model) values ${values}`,
      variants.flatMap((text, i) => [randomUUID(), actor.tenantId, botId, id, text, toVectorLiteral(item.vectors[i]!), modelKey]),
    );
    return row;
  }

  /**
   * Takes a revision out of the draft. A published version that pins it keeps answering with it (and
   * rolling back to that version brings it back); a revision no version pins is deleted with its document.
   */
  private async retire(tx: EntityManager, tenantId: string, botId: string, revision: CuratedAnswer): Promise<void> {
    const [pinned] = await tx.execute<{ pinned: boolean }[]>(
      `select exists (select 1 from bot_version where tenant_id = ? and bot_id = ? and knowledge_document_ids @> jsonb_build_array(?::text)) as pinned`,
      [tenantId, botId, revision.id],
    );
    revision.inDraft = false;
    await tx.flush();
    if (!pinned!.pinned) await tx.nativeDelete(KnowledgeDocument, { id: revision.id });
  }

  private async assertWithinLimits(tx: EntityManager, tenantId: string, botId: string, embedded: EmbeddedChange[]): Promise<void> {
    const creates = embedded.filter((e) => e.change.kind === 'create').length;
    if (creates > 0) {
      const count = await tx.count(CuratedAnswer, { botId, inDraft: true });
      if (count > MAX_CURATED_ANSWERS_PER_BOT) {
        throw DomainError.invalidInput([{ field: 'input', message: `A bot holds at most ${MAX_CURATED_ANSWERS_PER_BOT} curated answers.` }]);
      }
    }
    // The revisions just written are stored already: the plan must still hold everything (QUOTA_EXCEEDED rolls it all back).
    await this.usage.assertKnowledgeFits(tx, tenantId, 0);
  }
}

/** What a visitor's question is compared with: the entry's question and each paraphrase. */
function variantsOf(data: CuratedAnswerData): string[] {
  return dedupe([data.question, ...data.paraphrases]);
}
