import { useLayoutEffect, useRef } from 'react';
import { isReplyInProgress, type ChatMessage } from './conversation-state.ts';
import { MessageBubble } from './MessageBubble.tsx';

interface MessageListProps {
  messages: readonly ChatMessage[];
  botName: string;
  onRetry(messageId: string): void;
  canRetry: boolean;
}

/** How close to the bottom (px) still counts as "following the conversation". */
const STICK_THRESHOLD = 48;

/**
 * The transcript as a polite live log. While a reply streams, the log is marked
 * aria-busy so screen readers read the finished answer once instead of every
 * token as it arrives.
 */
export function MessageList({ messages, botName, onRetry, canRetry }: MessageListProps) {
  const listRef = useRef<HTMLDivElement>(null);
  // Only auto-scroll when the visitor is already at the bottom; someone who
  // scrolled up to re-read an answer should not be yanked down by new tokens.
  const stickToBottom = useRef(true);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) list.scrollTop = list.scrollHeight;
  }, [messages]);

  return (
    <div
      ref={listRef}
      className="messages"
      role="log"
      aria-live="polite"
      aria-label="Conversation"
      aria-busy={isReplyInProgress(messages)}
      tabIndex={0}
      onScroll={(event) => {
        const el = event.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD;
      }}
    >
      {messages.map((message) => (
        <MessageBubble key={message.id} message={message} botName={botName} onRetry={onRetry} canRetry={canRetry} />
      ))}
    </div>
  );
}
