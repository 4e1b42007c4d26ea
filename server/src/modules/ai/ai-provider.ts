import type { ProviderEntry } from '@mascot/bot-bundle';

/**
 * What every AI provider (offline, OpenAI, Anthropic, OpenAI-compatible) offers the reply pipeline:
 * given the question, the bot's persona and retrieved passages, stream the answer.
 */
export interface Persona {
  botName: string;
  tone: 'friendly' | 'professional' | 'playful' | 'concise';
  systemPrompt: string;
  unknownAnswer: string | null;
  offerHuman: boolean;
  /** BCP-47 tag of the language the bot answers in (the bundle's `personality.language`); default 'en'. */
  language?: string;
  /** The bundle's `personality.answerLength`; default 'medium'. */
  answerLength?: 'short' | 'medium' | 'long';
}

export interface ProviderPassage {
  id: string;
  documentTitle: string;
  /** The web page the passage was learnt from (website sources); the reply's citation links to it. */
  documentUrl?: string | null;
  sectionPath: string[];
  page: number | null;
  text: string;
  score: number;
}

export interface ReplyRequest {
  question: string;
  /** Oldest first. AGENT turns are a person of the team who took over; the model sees them as its own side. */
  history: { role: 'VISITOR' | 'ASSISTANT' | 'AGENT'; text: string }[];
  passages: ProviderPassage[];
  persona: Persona;
  /** The bot's provider chain in fallback order (from its published bundle). */
  chain: ProviderEntry[];
  /** Aborted when the visitor leaves or the server gives up; providers must stop streaming. */
  signal: AbortSignal;
}

export interface ReplyCitation {
  marker: number;
  passageId: string;
  documentTitle: string;
  sectionPath: string[];
  page: number | null;
  snippet: string;
  /** The cited page's URL, when the provider knows it (a cached answer); else the reply path finds it by passageId. */
  url?: string | null;
}

/** Tokens a provider billed for one reply; the pricing table turns them into money. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ReplyStream {
  /** Which provider kind answered ('offline', 'openai', 'anthropic', 'openai-compatible'). */
  provider: string;
  /** The model that answered, as priced in the pricing table. */
  model: string;
  /** Known before the first token for extractive answers; LLM providers resolve them at the end. */
  citations: () => ReplyCitation[];
  tokens: AsyncIterable<string>;
  /** Final once `tokens` is exhausted; providers that report usage return theirs, others count it. */
  usage: () => TokenUsage;
  /**
   * The provider's own verdict, when it has one, on whether its answer rests on the passages (the
   * offline answerer knows when it found nothing to quote; LLM providers leave it out, and are judged by
   * their citations and the retrieval scores). When given, it decides (isReplyGrounded).
   */
  grounded?: () => boolean;
}

export interface AiProvider {
  readonly name: string;
  streamReply(request: ReplyRequest): Promise<ReplyStream>;
}
