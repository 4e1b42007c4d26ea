// Conversations on the preview page: the widget's visitor talks to the draft, answered locally (the
// offline answerer over the project's own index) and streamed as the server streams (ReplyStarted,
// ReplyDelta…, ReplyCompleted). Kept in memory: a preview conversation is thrown away with Studio.
import { randomUUID } from 'node:crypto';

export interface PreviewMessage {
  id: string;
  conversationId: string;
  role: 'VISITOR' | 'ASSISTANT';
  text: string;
  createdAt: string;
  authorName: string | null;
  sources: { marker: number; documentTitle: string; sectionPath: string[]; page: number | null; snippet: string }[];
}

export type PreviewEvent =
  | { __typename: 'ConversationSubscribed'; seq: number; conversationId: string }
  | { __typename: 'ReplyStarted'; seq: number; messageId: string }
  | { __typename: 'ReplyDelta'; seq: number; messageId: string; delta: string }
  | { __typename: 'ReplyCompleted'; seq: number; requestsContact: boolean; message: PreviewMessage };

/** What the bot says: the text and the passages it cites. */
export interface PreviewAnswer {
  text: string;
  sources: PreviewMessage['sources'];
}

type Unseq<E> = E extends unknown ? Omit<E, 'seq'> : never;

interface Conversation {
  id: string;
  token: string;
  projectId: string;
  variantId: string | null;
  botName: string;
  seq: number;
  history: PreviewEvent[];
  listeners: Set<(event: PreviewEvent) => void>;
}

/** Words per delta: enough to see the reply stream in, as visitors do. */
const WORDS_PER_DELTA = 3;

export class PreviewConversations {
  private readonly conversations = new Map<string, Conversation>();

  start(input: { projectId: string; variantId: string | null; botName: string }): { conversationId: string; visitorToken: string } {
    const conversation: Conversation = { id: randomUUID(), token: randomUUID(), seq: 0, history: [], listeners: new Set(), ...input };
    this.conversations.set(conversation.id, conversation);
    return { conversationId: conversation.id, visitorToken: conversation.token };
  }

  get(conversationId: string): Conversation | undefined {
    return this.conversations.get(conversationId);
  }

  /** Stores the visitor's message and answers it in the background; resolves with the stored message. */
  send(conversationId: string, text: string, answer: () => Promise<PreviewAnswer>): PreviewMessage {
    const conversation = this.require(conversationId);
    const visitorMessage = this.message(conversation, 'VISITOR', text, null, []);
    void this.reply(conversation, answer);
    return visitorMessage;
  }

  /** Events after `afterSeq`, then live ones, starting with ConversationSubscribed. */
  async *events(conversationId: string, afterSeq: number): AsyncGenerator<{ conversationEvents: PreviewEvent }> {
    const conversation = this.require(conversationId);
    const queue: PreviewEvent[] = [];
    let wake: (() => void) | null = null;
    const listener = (event: PreviewEvent) => {
      queue.push(event);
      wake?.();
    };
    conversation.listeners.add(listener);
    try {
      yield { conversationEvents: { __typename: 'ConversationSubscribed', seq: conversation.seq, conversationId } };
      for (const event of conversation.history) if (event.seq > afterSeq) yield { conversationEvents: event };
      for (;;) {
        while (queue.length > 0) yield { conversationEvents: queue.shift()! };
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      conversation.listeners.delete(listener);
    }
  }

  private require(conversationId: string): Conversation {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) throw new Error('This preview conversation has ended; reload the preview.');
    return conversation;
  }

  private emit(conversation: Conversation, event: Unseq<PreviewEvent>): void {
    conversation.seq += 1;
    const sequenced = { ...event, seq: conversation.seq } as PreviewEvent;
    conversation.history.push(sequenced);
    for (const listener of conversation.listeners) listener(sequenced);
  }

  private message(conversation: Conversation, role: PreviewMessage['role'], text: string, authorName: string | null, sources: PreviewMessage['sources']): PreviewMessage {
    return { id: randomUUID(), conversationId: conversation.id, role, text, createdAt: new Date().toISOString(), authorName, sources };
  }

  private async reply(conversation: Conversation, answer: () => Promise<PreviewAnswer>): Promise<void> {
    const messageId = randomUUID();
    this.emit(conversation, { __typename: 'ReplyStarted', messageId });
    // A failure reads as the bot's reply: the preview is for the designer, who should see why.
    const reply = await answer().catch((error: unknown): PreviewAnswer => ({ text: `The preview could not answer: ${String(error)}`, sources: [] }));
    const words = reply.text.split(/(?<=\s)/);
    for (let i = 0; i < words.length; i += WORDS_PER_DELTA) {
      this.emit(conversation, { __typename: 'ReplyDelta', messageId, delta: words.slice(i, i + WORDS_PER_DELTA).join('') });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const message = { ...this.message(conversation, 'ASSISTANT', reply.text, conversation.botName, reply.sources), id: messageId };
    this.emit(conversation, { __typename: 'ReplyCompleted', requestsContact: false, message });
  }
}
