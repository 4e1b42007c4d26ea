import type { ChatMessage } from './conversation-state.ts';
import { friendlyError } from './errors.ts';
import { SourceList } from './SourceList.tsx';

interface MessageBubbleProps {
  message: ChatMessage;
  botName: string;
  onRetry(messageId: string): void;
  canRetry: boolean;
}

/**
 * One entry of the transcript. Text is rendered as plain React text (escaped),
 * never as HTML, so model output cannot inject markup; `[1]` markers stay as
 * typed and point at the numbered sources below the answer.
 */
export function MessageBubble({ message, botName, onRetry, canRetry }: MessageBubbleProps) {
  if (message.kind === 'notice') {
    return <p className="notice">{message.text}</p>;
  }

  const retryButton = (
    <button type="button" className="bubble__retry" onClick={() => onRetry(message.id)} disabled={!canRetry}>
      Retry
    </button>
  );

  if (message.kind === 'visitor') {
    return (
      <div className={`bubble bubble--visitor bubble--${message.status}`}>
        <span className="sr-only">You said: </span>
        <p className="bubble__text">{message.text}</p>
        {message.status === 'sending' && <p className="bubble__meta">Sending…</p>}
        {message.status === 'failed' && (
          <p className="bubble__error">
            {friendlyError(message.errorCode ?? '', 'send')} {retryButton}
          </p>
        )}
      </div>
    );
  }

  const typing = message.status === 'typing' || (message.status === 'streaming' && message.text === '');
  return (
    <div className={`bubble bubble--assistant bubble--${message.status}`}>
      <span className="sr-only">{botName} said: </span>
      {typing ? (
        <p className="typing">
          <span className="typing__dot" aria-hidden="true" />
          <span className="typing__dot" aria-hidden="true" />
          <span className="typing__dot" aria-hidden="true" />
          <span className="sr-only">{botName} is typing…</span>
        </p>
      ) : (
        message.text !== '' && <p className="bubble__text">{message.text}</p>
      )}
      {message.status === 'complete' && message.sources.length > 0 && <SourceList sources={message.sources} />}
      {message.status === 'failed' && (
        <p className="bubble__error">
          {friendlyError(message.errorCode ?? '', 'reply')} {message.inReplyTo && retryButton}
        </p>
      )}
    </div>
  );
}
