import { useEffect, useLayoutEffect, useRef } from 'react';
import { isReplyInProgress, type ChatMessage } from './conversation-state.ts';
import { useI18n } from './i18n/use-i18n.ts';
import { MessageBubble } from './MessageBubble.tsx';

interface MessageListProps {
  messages: readonly ChatMessage[];
  botName: string;
  botLanguage: string | undefined;
  onRetry(messageId: string): void;
  canRetry: boolean;
  /** Called whenever the transcript is taller than its box (after new messages, or a resize). */
  onOverflow?(): void;
}

/** How close to the bottom (px) still counts as "following the conversation". */
const STICK_THRESHOLD = 48;

/**
 * The transcript as a polite live log. Only additions are announced, and a streaming reply is
 * hidden from assistive technology until it is complete (MessageBubble), so screen readers read
 * each finished answer once instead of every token; aria-busy says more is on its way.
 */
export function MessageList({ messages, botName, botLanguage, onRetry, canRetry, onOverflow }: MessageListProps) {
  const { t } = useI18n();
  const listRef = useRef<HTMLDivElement>(null);
  // Only auto-scroll when the visitor is already at the bottom; someone who
  // scrolled up to re-read an answer should not be yanked down by new tokens.
  const stickToBottom = useRef(true);

  const onOverflowRef = useRef(onOverflow);
  onOverflowRef.current = onOverflow;
  const reportOverflow = (list: HTMLElement) => {
    if (list.scrollHeight > list.clientHeight + 1) onOverflowRef.current?.();
  };

  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    if (stickToBottom.current) list.scrollTop = list.scrollHeight;
    reportOverflow(list);
  }, [messages]);

  // The box shrinks too (a smaller window, the lead form or a prompt opening above the composer):
  // check again on every resize, and keep the latest messages in view for a visitor who was
  // following the conversation, rather than letting the prompt cover them.
  useEffect(() => {
    const list = listRef.current;
    if (!list || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) list.scrollTop = list.scrollHeight;
      reportOverflow(list);
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={listRef}
      className="messages"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label={t('conversationLabel')}
      aria-busy={isReplyInProgress(messages)}
      // Focusable so keyboard users can scroll the transcript.
      tabIndex={0}
      onScroll={(event) => {
        const el = event.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD;
      }}
    >
      {messages.map((message) => (
        <MessageBubble
          key={message.id}
          message={message}
          botName={botName}
          botLanguage={botLanguage}
          onRetry={onRetry}
          canRetry={canRetry}
        />
      ))}
    </div>
  );
}
