import { countTokens } from 'gpt-tokenizer';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { ErrorCode } from '@mascot/contracts';
import type { ProviderEntry } from '@mascot/bot-bundle';
import type { AiConfig } from '../../core/config/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { AiProvider, ReplyRequest, ReplyStream } from './ai-provider.ts';
import { anthropicBackend, ANTHROPIC_DEFAULT_BASE_URL } from './anthropic-backend.ts';
import type { ChatBackend, OpenedStream } from './chat-backend.ts';
import { citationsFromText } from './citations.ts';
import type { CompatibleEndpoints } from './compatible-endpoints.ts';
import { guardOutput } from './output-guard.ts';
import { openAiBackend, OPENAI_DEFAULT_BASE_URL } from './openai-backend.ts';
import { assemblePrompt, type AssembledPrompt } from './prompt.ts';
import { ProviderCallError, classifySdkError } from './provider-error.ts';

/**
 * The one AiProvider the reply pipeline gets. It walks the bot's chain: an entry whose provider is
 * not configured (no key, origin not allowed) or whose endpoint's circuit is open is skipped; an
 * entry that fails before its first token (error, HTTP 429/5xx, no token within the first-token
 * timeout) is retried a bounded number of times with backoff when the failure is transient, then
 * left for the next entry. Once a first token is out there is no fallback: a later failure surfaces
 * from the token iterator as a DomainError. When nothing in the chain can answer, the offline
 * provider does (unless `offlineLastResort` is off), so visitors get a grounded answer rather than
 * an error. Every answer passes the output guard, and `request.signal` aborts the provider's HTTP
 * stream.
 */

export interface ProviderRouterOptions {
  ai: AiConfig;
  offline: AiProvider;
  /** Which OpenAI-compatible base URLs may be called, and the policy their calls go through. */
  compatible: CompatibleEndpoints;
  logger: Logger;
  /** Consecutive endpoint failures that open its circuit, and how long it stays open. */
  breaker?: { consecutiveFailures: number; halfOpenAfterMs: number };
  /** Backoff between attempts at one entry; a shorter Retry-After wins, a longer one skips the retry. */
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  /** Told of every failed provider call (metrics); `reason` is a failure kind, never free text. */
  onProviderError?: (labels: { provider: string; reason: string }) => void;
}

const DEFAULT_BREAKER = { consecutiveFailures: 5, halfOpenAfterMs: 30_000 };
const DEFAULT_BACKOFF = { initialDelayMs: 250, maxDelayMs: 2_000 };
/** Tenants name compatible endpoints; remembering clients for all of them must stay bounded. */
const MAX_CACHED_ENDPOINTS = 500;
/** A placeholder for compatible servers that check no key: the SDK insists on one. */
const NO_KEY = 'none';

interface EndpointHealth {
  breaker: CircuitBreakerPolicy;
  policy: IPolicy;
}

interface FirstToken {
  opened: OpenedStream;
  first: string;
  /** Aborting it closes the provider's HTTP stream. */
  attempt: AbortController;
}

export function createProviderRouter(options: ProviderRouterOptions): AiProvider {
  const { ai, offline, logger, compatible } = options;
  const breakerOptions = options.breaker ?? DEFAULT_BREAKER;
  const backoffOptions = options.backoff ?? DEFAULT_BACKOFF;
  const backends = new Map<string, ChatBackend>();
  const health = new Map<string, EndpointHealth>();
  const secrets = [ai.openai.apiKey, ai.anthropic.apiKey, ai.openaiCompatible.apiKey].filter((key): key is string => !!key);

  function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
    let value = cache.get(key);
    if (!value) {
      if (cache.size >= MAX_CACHED_ENDPOINTS) cache.delete(cache.keys().next().value!);
      value = make();
      cache.set(key, value);
    }
    return value;
  }

  /** The backend for an entry, or why the entry cannot be used on this server. */
  function backendFor(entry: ProviderEntry): ChatBackend | string {
    const headersTimeoutMs = ai.firstTokenTimeoutMs;
    switch (entry.provider) {
      case 'openai': {
        const { apiKey, baseUrl = OPENAI_DEFAULT_BASE_URL } = ai.openai;
        if (!apiKey) return 'OPENAI_API_KEY is not set';
        return remember(backends, `openai ${baseUrl}`, () => openAiBackend({ kind: 'openai', apiKey, baseUrl, headersTimeoutMs }));
      }
      case 'anthropic': {
        const { apiKey, baseUrl = ANTHROPIC_DEFAULT_BASE_URL } = ai.anthropic;
        if (!apiKey) return 'ANTHROPIC_API_KEY is not set';
        return remember(backends, `anthropic ${baseUrl}`, () => anthropicBackend({ apiKey, baseUrl, headersTimeoutMs }));
      }
      case 'openai-compatible': {
        const baseUrl = entry.baseUrl!; // the bundle schema requires it for this kind
        const refusal = compatible.configuredRefusal(baseUrl);
        if (refusal) return refusal;
        const allowed = compatible.isListed(baseUrl);
        const { apiKey } = ai.openaiCompatible;
        const key = allowed && apiKey ? apiKey : NO_KEY;
        // The base URL is tenant input: every connection goes through the outbound policy, checked
        // when it is opened (private addresses refused unless allowed, address pinned, no redirects).
        return remember(backends, `openai-compatible ${baseUrl} ${allowed}`, () =>
          openAiBackend({ kind: 'openai-compatible', apiKey: key, baseUrl, headersTimeoutMs, fetch: compatible.policy.fetch }));
      }
      default:
        return `unknown provider ${entry.provider}`;
    }
  }

  function healthOf(endpoint: string): EndpointHealth {
    return remember(health, endpoint, () => {
      // Only failures that say something about the endpoint count; a bot's wrong model name (400)
      // must not open the circuit for every other bot using the same endpoint.
      const breaker = circuitBreaker(handleWhen((e) => e instanceof ProviderCallError && e.endpointFailure), {
        halfOpenAfter: breakerOptions.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(breakerOptions.consecutiveFailures),
      });
      breaker.onBreak(() => logger.warn({ endpoint }, 'AI provider circuit opened'));
      breaker.onReset(() => logger.info({ endpoint }, 'AI provider circuit closed'));
      const retryable = (e: unknown) =>
        e instanceof ProviderCallError && e.transient && (e.details.retryAfterMs ?? 0) <= backoffOptions.maxDelayMs;
      const retries = retry(handleWhen(retryable), {
        maxAttempts: ai.retries,
        backoff: new DelegateBackoff((context) => {
          const error = 'error' in context.result ? context.result.error : undefined;
          const asked = error instanceof ProviderCallError ? error.details.retryAfterMs : undefined;
          const exponential = backoffOptions.initialDelayMs * 2 ** (context.attempt - 1);
          // ±20 % jitter so replies that failed together do not retry together.
          return asked ?? Math.min(backoffOptions.maxDelayMs, Math.round(exponential * (0.8 + Math.random() * 0.4)));
        }),
      });
      retries.onRetry((event) => logger.info({ endpoint, attempt: event.attempt, delayMs: event.delay }, 'retrying AI provider'));
      return { breaker, policy: wrap(retries, breaker) };
    });
  }

  /** Opens the stream and waits for its first token, within the first-token timeout. */
  async function firstToken(backend: ChatBackend, prompt: AssembledPrompt, entry: ProviderEntry, visitor: AbortSignal): Promise<FirstToken> {
    if (visitor.aborted) throw new ProviderCallError('aborted', 'The request was aborted.');
    // Loading an SDK the first time is this server's work, not the provider's latency: outside the timeout.
    await backend.prepare();
    const attempt = new AbortController();
    const signal = AbortSignal.any([visitor, attempt.signal]);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, ai.firstTokenTimeoutMs);
    try {
      const opened = await backend.open(prompt, entry, signal);
      const first = await opened.deltas.next();
      if (first.done) throw new ProviderCallError('bad-stream', 'The provider ended its answer without any text.');
      return { opened, first: first.value, attempt };
    } catch (error) {
      attempt.abort(); // a half-open stream must not linger
      if (timedOut && !visitor.aborted) {
        throw new ProviderCallError('timeout', `No first token within ${ai.firstTokenTimeoutMs} ms.`, {}, { cause: error });
      }
      throw classifySdkError(error, visitor);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The answer after its first token: guarded, with an idle timeout, failing as a DomainError. */
  function replyStream(
    backend: ChatBackend,
    entry: ProviderEntry,
    prompt: AssembledPrompt,
    started: FirstToken,
    visitor: AbortSignal,
  ): ReplyStream {
    let produced = '';
    let sent = '';
    async function* raw(): AsyncGenerator<string> {
      const idle = setTimeout(() => started.attempt.abort(), ai.idleTimeoutMs);
      try {
        produced += started.first;
        yield started.first;
        for (;;) {
          const next = await started.opened.deltas.next();
          if (next.done) return;
          idle.refresh();
          produced += next.value;
          yield next.value;
        }
      } catch (error) {
        if (visitor.aborted) return; // the visitor left: nobody to tell, the pipeline sees the signal
        const failure = started.attempt.signal.aborted
          ? new ProviderCallError('timeout', `No token for ${ai.idleTimeoutMs} ms.`, {}, { cause: error })
          : classifySdkError(error, visitor);
        logger.warn({ endpoint: backend.endpoint, model: entry.model, kind: failure.kind, status: failure.details.status }, 'AI provider stream failed mid-answer');
        options.onProviderError?.({ provider: backend.kind, reason: failure.kind });
        throw new DomainError(
          ErrorCode.SERVICE_UNAVAILABLE,
          'The assistant was interrupted in the middle of its answer. Please ask again.',
          { provider: backend.kind, failure: failure.kind },
          { cause: failure },
        );
      } finally {
        clearTimeout(idle);
        started.attempt.abort(); // no-op after a complete answer; closes the stream when reading stopped early
      }
    }
    async function* tracked(): AsyncGenerator<string> {
      const guarded = guardOutput(raw(), prompt, () =>
        logger.warn({ endpoint: backend.endpoint, model: entry.model }, 'output guard stopped a leak of the system prompt'));
      for await (const token of guarded) {
        sent += token;
        yield token;
      }
    }
    return {
      provider: backend.kind,
      model: entry.model,
      citations: () => citationsFromText(sent, prompt.passages),
      tokens: tracked(),
      usage: () => started.opened.usage() ?? { inputTokens: prompt.inputTokens, outputTokens: countTokens(produced) },
    };
  }

  async function answerOffline(request: ReplyRequest): Promise<ReplyStream> {
    const stream = await offline.streamReply(request);
    // No prompt, so no canary; the owner's instructions are still never quoted from the knowledge.
    const protect = { canary: '', confidentialText: request.persona.systemPrompt };
    return { ...stream, tokens: guardOutput(stream.tokens, protect, () => logger.warn('output guard stopped a leak of the system prompt')) };
  }

  async function streamReply(request: ReplyRequest): Promise<ReplyStream> {
    for (const entry of request.chain) {
      if (entry.provider === 'offline') return answerOffline(request);
      const backend = backendFor(entry);
      if (typeof backend === 'string') {
        logger.info({ provider: entry.provider, model: entry.model, reason: backend }, 'AI provider skipped');
        continue;
      }
      const { breaker, policy } = healthOf(backend.endpoint);
      if (breaker.state === CircuitState.Open) {
        logger.info({ endpoint: backend.endpoint, model: entry.model, reason: 'circuit open' }, 'AI provider skipped');
        continue;
      }
      const prompt = assemblePrompt(request, entry, { secrets });
      try {
        const started = await policy.execute(() => firstToken(backend, prompt, entry, request.signal), request.signal);
        return replyStream(backend, entry, prompt, started, request.signal);
      } catch (error) {
        if (request.signal.aborted) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The reply was interrupted.', {}, { cause: error });
        const failure = error instanceof BrokenCircuitError ? { kind: 'circuit open' } : classifySdkError(error, request.signal);
        logger.warn(
          { endpoint: backend.endpoint, model: entry.model, kind: failure.kind, status: 'details' in failure ? failure.details.status : undefined },
          'AI provider failed before its first token; trying the next in the chain',
        );
        options.onProviderError?.({ provider: backend.kind, reason: failure.kind });
      }
    }
    if (ai.offlineLastResort) {
      logger.info({ chain: request.chain.map((e) => e.provider) }, 'no provider in the chain could answer; answering offline');
      return answerOffline(request);
    }
    throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'No AI provider can answer right now. Please try again in a moment.');
  }

  return { name: 'router', streamReply };
}
