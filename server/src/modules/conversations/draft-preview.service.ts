import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { privacyOf, validateBotBundle, type BotBundle } from '@mascot/bot-bundle';
import { ErrorCode } from '@mascot/contracts';
import { inTenant, type SideReads } from '../../core/db/index.ts';
import { DomainError, parseInput } from '../../core/errors/index.ts';
import { priceUsage, type AiProvider, type ReplyRequest } from '../ai/index.ts';
import type { BotsService, KnowledgeSnapshotter } from '../bots/index.ts';
import { findCuratedAnswer, retrievePassages, searchConfigFor, type CuratedAnswerMatch, type EmbeddingProviders, type QueryVector } from '../knowledge/index.ts';
import type { UsageService } from '../tenants/index.ts';
import { curatedReplyStream } from './curated-reply-stream.ts';
import { isReplyGrounded } from './handoff.policy.ts';
import { personaOf } from './persona.ts';
import { phoneRegionsFor, redactPii } from './pii-redaction.ts';

/** Earlier turns the provider sees, as many as a visitor conversation gives it. */
const MAX_HISTORY_TURNS = 10;

const previewSchema = z.object({
  question: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
  history: z
    .array(z.object({ role: z.enum(['VISITOR', 'ASSISTANT']), text: z.string().max(8000, 'must be at most 8000 characters') }))
    .max(MAX_HISTORY_TURNS, `must hold at most ${MAX_HISTORY_TURNS} turns`)
    .nullish(),
  bundle: z.record(z.string(), z.unknown()).nullish(),
});
export type PreviewInput = z.input<typeof previewSchema>;

export type PreviewEvent =
  | { type: 'PreviewReplyDelta'; delta: string }
  | {
      type: 'PreviewReplyCompleted';
      text: string;
      sources: { marker: number; documentTitle: string; sectionPath: string[]; page: number | null; snippet: string }[];
      grounded: boolean;
      provider: string;
      model: string;
      inputTokens: number;
      outputTokens: number;
      costMicroUsd: number;
    };

export interface DraftPreviewDeps {
  bots: BotsService;
  usage: UsageService;
  provider: AiProvider;
  /** The documents a draft answers from: everything ingested for the bot (what the next publication freezes). */
  draftKnowledge: KnowledgeSnapshotter;
  embeddings?: EmbeddingProviders;
  /** Retrieval's side pool (knowledge's retrieval.service.ts), on real PostgreSQL. */
  sideReads?: SideReads;
}

function previewBundle(document: Record<string, unknown>): BotBundle {
  const result = validateBotBundle(document);
  if (result.ok) return result.bundle;
  throw DomainError.invalidInput(result.errors.map((e) => ({ field: e.path ? `input.bundle.${e.path}` : 'input.bundle', message: e.message })));
}

/**
 * Replies to a designer testing a bot before publishing: the draft (or the bundle Studio sends)
 * runs the reply path's steps — AI budget check, PII redaction by the bundle's setting, retrieval
 * over the bot's ingested knowledge, the tenant's provider chain with fallback — and streams. No
 * conversation, message, cache entry or analytics row is written: a preview is not a visitor. Its
 * cost is real, so it counts in the tenant's monthly AI spend.
 */
export class DraftPreviewService {
  constructor(private readonly deps: DraftPreviewDeps) {}

  /**
   * Checks everything and starts the provider before answering, so bad input, a missing bot or an
   * exhausted budget fail the subscription with their code; then the events stream.
   */
  async start(em: EntityManager, tenantId: string, botId: string, input: PreviewInput, signal: AbortSignal): Promise<AsyncGenerator<PreviewEvent>> {
    const data = parseInput(previewSchema, input);
    const { request, curated } = await this.prepare(em, tenantId, botId, data);
    // The draft's curated answers answer as they will for visitors once published.
    const stream = curated ? curatedReplyStream(curated) : await this.deps.provider.streamReply({ ...request, signal });
    const recordCost = (costMicroUsd: number) => inTenant(em, tenantId, async (tx) => this.deps.usage.recordAiCost(tx, tenantId, costMicroUsd));
    return (async function* events(): AsyncGenerator<PreviewEvent> {
      let text = '';
      for await (const delta of stream.tokens) {
        text += delta;
        yield { type: 'PreviewReplyDelta', delta };
      }
      if (signal.aborted) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The preview was interrupted.');
      const usage = stream.usage();
      const { costMicroUsd } = priceUsage(stream.provider, stream.model, usage);
      await recordCost(costMicroUsd);
      const citations = stream.citations();
      yield {
        type: 'PreviewReplyCompleted',
        text,
        sources: citations.map((c) => ({ marker: c.marker, documentTitle: c.documentTitle, sectionPath: c.sectionPath, page: c.page, snippet: c.snippet })),
        // As for visitors (reply-pipeline.ts): a reply that cites the knowledge answered from it.
        grounded: curated !== null || isReplyGrounded(request.passages, citations.length),
        provider: stream.provider,
        model: stream.model,
        ...usage,
        costMicroUsd,
      };
    })();
  }

  private prepare(em: EntityManager, tenantId: string, botId: string, data: z.output<typeof previewSchema>) {
    return inTenant(em, tenantId, async (tx): Promise<{ request: Omit<ReplyRequest, 'signal'>; curated: CuratedAnswerMatch | null }> => {
      const bot = await this.deps.bots.get(tx, botId);
      const bundle = data.bundle ? previewBundle(data.bundle) : this.deps.bots.draftOf(bot);
      // Before anything else costs money: an exhausted budget never reaches a provider.
      await this.deps.usage.assertAiBudget(tx, tenantId);
      const language = bundle.personality.language;
      const redact = (text: string) => (privacyOf(bundle).redactPii ? redactPii(text, phoneRegionsFor(language)).text : text);
      const question = redact(data.question);
      const documentIds = await this.deps.draftKnowledge(tx, bot.id);
      let curated: CuratedAnswerMatch | null = null;
      const preempt = async (vector: QueryVector | null) => {
        if (vector) curated = await findCuratedAnswer(tx, { tenantId, botId: bot.id, documentIds, searchConfig: searchConfigFor(language) }, question, vector);
        return curated !== null;
      };
      const passages = await retrievePassages(
        tx,
        {
          tenantId,
          botId: bot.id,
          documentIds,
          language,
          ...(this.deps.embeddings ? { embeddings: this.deps.embeddings } : {}),
              ...(this.deps.sideReads ? { sideReads: this.deps.sideReads } : {}),
        },
        question,
        { preempt },
      );
      return {
        curated,
        request: {
          question,
          history: (data.history ?? []).map((turn) => ({ role: turn.role, text: redact(turn.text) })),
          passages,
          persona: personaOf(bundle),
          chain: bundle.providers,
        },
      };
    });
  }
}
