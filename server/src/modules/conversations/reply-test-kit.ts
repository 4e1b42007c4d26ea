// Providers for the reply path's integration tests and benchmarks: deterministic answers and usage,
// every request recorded, and gates that hold a stream mid-answer. Not used by the server itself.
import { splitIntoStreamTokens } from '@mascot/knowledge-core';
import type { AiProvider, ReplyRequest, TokenUsage } from '../ai/index.ts';

/** A point in a stream that the test controls: `reached` resolves when the stream gets there; `release` lets it go on. */
export interface StreamGate {
  reached: Promise<void>;
  release(): void;
  /** Called by the stream: marks the gate reached and waits for its release. */
  pass(): Promise<void>;
}

export function streamGate(): StreamGate {
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { reached, release, pass: () => (arrive(), released) };
}

export interface ScriptedProviderOptions {
  /** What to answer; default: "You asked: <question>. " repeated to 40 words. */
  answer?: (request: ReplyRequest) => string;
  /** The provider and model the stream reports (pick ones the pricing table prices for cost tests). */
  provider?: string;
  model?: string;
  /** The usage the provider reports for its n-th request (0-based). */
  usage?: (request: ReplyRequest, index: number) => TokenUsage;
  /** Gates keyed by token index: the stream stops before yielding that token until released. */
  gates?: Map<number, StreamGate>;
  /**
   * The provider's verdict on whether its answer rests on the knowledge (ReplyStream.grounded). Default
   * true: a scripted answer is an answer, so the reply path adds no offer of a person to its text; false
   * makes it an unsure reply (handoff.offer.ts).
   */
  grounded?: boolean;
}

export interface ScriptedProvider extends AiProvider {
  /** Every request, in arrival order. */
  readonly requests: ReplyRequest[];
}

const defaultAnswer = (request: ReplyRequest) =>
  Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ') + ` (about: ${request.question})`;

export function scriptedProvider(options: ScriptedProviderOptions = {}): ScriptedProvider {
  const requests: ReplyRequest[] = [];
  return {
    name: 'scripted',
    requests,
    async streamReply(request) {
      const index = requests.push(request) - 1;
      const text = (options.answer ?? defaultAnswer)(request);
      const usage = options.usage?.(request, index) ?? { inputTokens: 100, outputTokens: 40 };
      async function* tokens() {
        for (const [position, token] of splitIntoStreamTokens(text).entries()) {
          await options.gates?.get(position)?.pass();
          if (request.signal.aborted) return;
          yield token;
        }
      }
      return {
        provider: options.provider ?? 'scripted',
        model: options.model ?? 'scripted-1',
        citations: () => [],
        tokens: tokens(),
        usage: () => usage,
        grounded: () => options.grounded ?? true,
      };
    },
  };
}

export const BOT_USAGE_DAILY = /* GraphQL */ `
  query Usage($botId: ID!, $from: String, $to: String) {
    botUsageDaily(botId: $botId, from: $from, to: $to) {
      day replies cacheHits inputTokens outputTokens costMicroUsd averageLatencyMs averageTimeToFirstTokenMs
    }
  }`;
