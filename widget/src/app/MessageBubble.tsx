import { useCallback, useId, useMemo, useState, type ReactNode } from 'react';
import { AnswerFeedbackSlot } from './AnswerFeedbackSlot.tsx';
import { GREETING_ID, type AgentMessage, type AssistantMessage, type ChatMessage, type NoticeMessage, type VisitorMessage } from './conversation-state.ts';
import { friendlyError } from './errors.ts';
import { unavailableText } from './handoff-time.ts';
import { supportedLocale } from './i18n/catalogue.ts';
import { useI18n, type I18n } from './i18n/use-i18n.ts';
import { MarkdownText, type CitationRenderer } from './markdown/MarkdownText.tsx';
import { SourceList } from './SourceList.tsx';

interface MessageBubbleProps {
  message: ChatMessage;
  botName: string;
  /** The bot's language, set on its messages when it differs from the UI's (screen readers switch voice). */
  botLanguage: string | undefined;
  onRetry(messageId: string): void;
  canRetry: boolean;
}

/**
 * One entry of the transcript. Replies and agent messages are Markdown rendered as React elements
 * (never HTML); the visitor's own text stays plain. A reply still streaming is hidden from screen
 * readers, and its finished text mounts as a new element, so the live log announces it once, whole.
 */
export function MessageBubble({ message, botName, botLanguage, onRetry, canRetry }: MessageBubbleProps) {
  const i18n = useI18n();
  switch (message.kind) {
    case 'notice':
      return <p className="notice">{noticeText(message, i18n)}</p>;
    case 'visitor':
      return <VisitorBubble message={message} onRetry={onRetry} canRetry={canRetry} />;
    case 'agent':
      return <AgentBubble message={message} />;
    case 'assistant':
      return <AssistantBubble message={message} botName={botName} botLanguage={botLanguage} onRetry={onRetry} canRetry={canRetry} />;
  }
}

function noticeText(notice: NoticeMessage, { t, locale }: I18n): string {
  switch (notice.code) {
    case 'handoff-ended':
      return t('noticeHandoffEnded');
    case 'handoff-unavailable':
      return notice.unavailable ? unavailableText(notice.unavailable, { t, locale }) : notice.text;
    case 'session-restarted':
      return t('noticeSessionRestarted');
    case 'earlier-not-shown':
      return t('noticeEarlierNotShown');
    case 'waiting-for-agent':
      return t('noticeWaitingForAgent');
    case 'agent-joined':
      return notice.agentName ? t('noticeAgentJoined', { name: notice.agentName }) : t('noticeSomeoneJoined');
    case 'agent-left':
      return notice.agentName ? t('noticeAgentLeft', { name: notice.agentName }) : t('noticeSomeoneLeft');
    default:
      return notice.text;
  }
}

function RetryButton({ onRetry, disabled }: { onRetry(): void; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <button type="button" className="bubble__retry" onClick={onRetry} disabled={disabled}>
      {t('retry')}
    </button>
  );
}

function VisitorBubble({ message, onRetry, canRetry }: { message: VisitorMessage; onRetry(id: string): void; canRetry: boolean }) {
  const { t, messages } = useI18n();
  return (
    <div className={`bubble bubble--visitor bubble--${message.status}`}>
      <span className="sr-only">{t('youSaid')} </span>
      <p className="bubble__text" dir="auto">
        {message.text}
      </p>
      {message.status === 'sending' && <p className="bubble__meta">{t('sending')}</p>}
      {message.status === 'failed' && (
        <p className="bubble__error">
          {friendlyError(message.errorCode, 'send', messages)}{' '}
          <RetryButton onRetry={() => onRetry(message.id)} disabled={!canRetry} />
        </p>
      )}
    </div>
  );
}

function AgentBubble({ message }: { message: AgentMessage }) {
  const { t } = useI18n();
  return (
    <div className="bubble bubble--agent bubble--complete">
      <p className="bubble__author" aria-hidden="true">
        {message.authorName} <span className="bubble__badge">{t('teamMember')}</span>
      </p>
      <div className="bubble__body">
        <span className="sr-only">{t('agentSaid', { name: message.authorName })} </span>
        <MarkdownText text={message.text} />
      </div>
    </div>
  );
}

function TypingIndicator({ botName }: { botName: string }) {
  const { t } = useI18n();
  return (
    <p className="typing">
      <span className="typing__dot" aria-hidden="true" />
      <span className="typing__dot" aria-hidden="true" />
      <span className="typing__dot" aria-hidden="true" />
      <span className="sr-only">{t('typing', { name: botName })}</span>
    </p>
  );
}

interface AssistantBubbleProps {
  message: AssistantMessage;
  botName: string;
  botLanguage: string | undefined;
  onRetry(messageId: string): void;
  canRetry: boolean;
}

function AssistantBubble({ message, botName, botLanguage, onRetry, canRetry }: AssistantBubbleProps) {
  const { t, messages, locale } = useI18n();
  const baseId = useId();
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const detailsId = useCallback((marker: number) => `${baseId}source-${marker}`, [baseId]);
  const toggle = useCallback((marker: number) => {
    setExpanded((previous) => {
      const next = new Set(previous);
      if (!next.delete(marker)) next.add(marker);
      return next;
    });
  }, []);

  const titles = useMemo(() => new Map(message.sources.map((s) => [s.marker, s.documentTitle])), [message.sources]);
  const renderCitation = useCallback<CitationRenderer>(
    (part, key) => (
      <span key={key} className="cite-group">
        {part.markers.map((marker): ReactNode => {
          const title = titles.get(marker);
          if (title === undefined) return <span key={marker}>[{marker}]</span>;
          return (
            <button
              key={marker}
              type="button"
              className="cite"
              aria-expanded={expanded.has(marker)}
              aria-controls={detailsId(marker)}
              aria-label={t('sourceMarker', { marker, title })}
              onClick={() => {
                toggle(marker);
                // After React has shown the details (click updates commit synchronously).
                requestAnimationFrame(() => document.getElementById(detailsId(marker))?.scrollIntoView({ block: 'nearest' }));
              }}
            >
              [{marker}]
            </button>
          );
        })}
      </span>
    ),
    [titles, expanded, detailsId, toggle, t],
  );

  const inProgress = message.status === 'typing' || message.status === 'streaming';
  const contentLang = botLanguage && supportedLocale(botLanguage) !== locale ? botLanguage : undefined;
  let body: ReactNode = null;
  if (inProgress && message.text === '') {
    body = <TypingIndicator botName={botName} />;
  } else if (inProgress) {
    body = (
      <div key="partial" className="bubble__body" aria-hidden="true" lang={contentLang}>
        <MarkdownText text={message.text} streaming />
      </div>
    );
  } else if (message.text !== '') {
    body = (
      <div key="final" className="bubble__body" lang={contentLang}>
        <span className="sr-only">{t('botSaid', { name: botName })} </span>
        <MarkdownText text={message.text} renderCitation={message.sources.length > 0 ? renderCitation : undefined} />
      </div>
    );
  }

  return (
    <div className={`bubble bubble--assistant bubble--${message.status}`}>
      {body}
      {message.status === 'complete' && message.sources.length > 0 && (
        <SourceList sources={message.sources} expanded={expanded} onToggle={toggle} detailsId={detailsId} />
      )}
      {/* The greeting is no answer to rate; every finished reply is. */}
      {message.status === 'complete' && message.id !== GREETING_ID && message.text !== '' && <AnswerFeedbackSlot messageId={message.id} />}
      {message.status === 'failed' && (
        <p className="bubble__error">
          {friendlyError(message.errorCode, 'reply', messages)}{' '}
          {message.inReplyTo && <RetryButton onRetry={() => onRetry(message.id)} disabled={!canRetry} />}
        </p>
      )}
    </div>
  );
}
