import { useCallback, useEffect, useRef } from 'react';
import { Composer } from './Composer.tsx';
import { friendlyError, MISSING_EMBED_ID } from './errors.ts';
import { MessageList } from './MessageList.tsx';
import { StatusLine } from './StatusLine.tsx';
import { useConversation } from './use-conversation.ts';
import { useHostBridge } from './use-host-bridge.ts';

interface ChatAppProps {
  embedId: string | null;
  /** The host page's origin (validated `host=` param), or null when not embedded by the loader. */
  hostOrigin: string | null;
}

export function ChatApp({ embedId, hostOrigin }: ChatAppProps) {
  const conversation = useConversation(embedId);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const focusComposer = useCallback(() => inputRef.current?.focus(), []);
  useHostBridge(hostOrigin, focusComposer);

  // The loader focuses the iframe when it opens; take focus to the composer as
  // soon as it exists. (Cross-origin frames may only focus themselves once the
  // parent has given them focus, so this can fail silently on its own; the
  // 'opened' message from the loader covers that case.)
  useEffect(() => {
    focusComposer();
  }, [focusComposer]);

  const botName = conversation.bot?.name ?? 'Assistant';
  useEffect(() => {
    if (conversation.bot) document.title = `Chat with ${conversation.bot.name}`;
  }, [conversation.bot]);

  return (
    <div className="chat">
      <header className="chat__header">
        <span className="chat__avatar" aria-hidden="true">
          {botName.slice(0, 1).toUpperCase()}
        </span>
        <h1 className="chat__title">{conversation.bot?.name ?? 'Chat'}</h1>
      </header>

      <StatusLine phase={conversation.phase} connection={conversation.connection} onReconnect={conversation.restart} />

      {conversation.phase === 'failed' ? (
        <div className="chat__error" role="alert">
          <p>{friendlyError(conversation.fatalError ?? '', 'start')}</p>
          {conversation.fatalError !== MISSING_EMBED_ID && (
            <button type="button" onClick={conversation.restart}>
              Try again
            </button>
          )}
        </div>
      ) : (
        <MessageList
          messages={conversation.messages}
          botName={botName}
          onRetry={conversation.retry}
          canRetry={conversation.canSend}
        />
      )}

      {conversation.phase !== 'failed' && (
        <Composer onSend={conversation.send} canSend={conversation.canSend} inputRef={inputRef} />
      )}
    </div>
  );
}
