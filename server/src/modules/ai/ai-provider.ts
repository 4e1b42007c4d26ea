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
}

export interface ProviderPassage {
  id: string;
  documentTitle: string;
  sectionPath: string[];
  page: number | null;
  text: string;
  score: number;
}

export interface ReplyRequest {
  question: string;
  history: { role: 'VISITOR' | 'ASSISTANT'; text: string }[];
  passages: ProviderPassage[];
  persona: Persona;
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
}

export interface ReplyStream {
  provider: string;
  /** Known before the first token for extractive answers; LLM providers resolve them at the end. */
  citations: () => ReplyCitation[];
  tokens: AsyncIterable<string>;
}

export interface AiProvider {
  readonly name: string;
  streamReply(request: ReplyRequest): Promise<ReplyStream>;
}
