// The chat panel's Server mode: the linked bot answers through the server's reply path with the
// tenant's provider chain (OpenAI, Anthropic, compatible endpoints, offline last), from the bundle as
// edited here — unsynced edits included — over the knowledge already synced to the server. Tokens
// are pushed to the renderer as `chatDelta` events while they stream; nothing is stored as a
// visitor conversation on the server (previewReply).
import { ErrorCode } from '@mascot/contracts';
import { StudioPreviewReplyDocument } from '@mascot/sdk';
import type { ChatReply, ChatTurn } from '../../shared/studio-api.ts';
import { StudioError } from '../../shared/studio-error.ts';
import type { StudioEvent } from '../../shared/studio-events.ts';
import { reactionFor } from '../avatar/avatar-reaction.ts';
import { UNGROUNDED_CONFIDENCE } from './local-chat.ts';
import { OfflineError, type ServerSession } from '../sync/server-session.ts';
import type { ProjectStore } from '../workspace/project-store.ts';

export interface ServerChatInput {
  message: string;
  replyId: string;
  history: ChatTurn[];
}

export class ServerChat {
  constructor(
    private readonly store: ProjectStore,
    private readonly session: ServerSession,
    private readonly emit: (event: StudioEvent) => void,
  ) {}

  async reply(projectId: string, { message, replyId, history }: ServerChatInput): Promise<ChatReply> {
    const { link } = await this.store.meta(projectId);
    if (!link) {
      throw new StudioError(ErrorCode.BAD_USER_INPUT, 'Link this project to a bot on a Mascot server to chat through the server; Local chat works offline.', [
        { field: 'project', message: 'is not linked to a server' },
      ]);
    }
    const bundle = await this.store.bundle(projectId);
    const input = {
      question: message,
      history: history.map((turn) => ({ role: turn.role === 'visitor' ? ('VISITOR' as const) : ('ASSISTANT' as const), text: turn.text })),
      bundle: bundle as unknown as Record<string, unknown>,
    };
    try {
      const events = this.session.subscribe(link.serverUrl, (client) => client.subscribe(StudioPreviewReplyDocument, { botId: link.botId, input }));
      for await (const { previewReply: event } of events) {
        if (event.__typename === 'PreviewReplyDelta') {
          this.emit({ type: 'chatDelta', replyId, delta: event.delta });
          continue;
        }
        return {
          text: event.text,
          grounded: event.grounded,
          citations: event.sources.map((s) => ({ marker: s.marker, documentTitle: s.documentTitle, sectionPath: s.sectionPath, page: s.page ?? null, snippet: s.snippet })),
          reaction: reactionFor(bundle.avatar.animationMap, {
            phase: 'finished',
            visitorText: message,
            replyText: event.text,
            confidence: event.grounded ? 1 : UNGROUNDED_CONFIDENCE,
          }),
          served: { provider: event.provider, model: event.model, costMicroUsd: event.costMicroUsd },
        };
      }
    } catch (error) {
      if (error instanceof OfflineError) throw new OfflineError(error, 'The Mascot server cannot be reached; switch the chat to Local to keep testing offline.');
      throw error;
    }
    throw new StudioError(ErrorCode.SERVICE_UNAVAILABLE, 'The server ended the reply before it was complete; try again.');
  }
}
