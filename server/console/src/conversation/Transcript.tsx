import { useEffect, useRef } from 'react';
import { formatMicroUsd, formatTime, sentimentLabel } from '../app/format.ts';
import { Badge } from '../ui/index.ts';
import type { AvatarCue, ConversationNote, SystemNotice, TranscriptMessage } from './operations.ts';
import './conversation.css';

export interface StreamingReply {
  messageId: string;
  text: string;
}

export interface TranscriptProps {
  messages: readonly TranscriptMessage[];
  /** A bot reply still streaming (conversationEvents ReplyDelta), shown after the stored messages. */
  streaming?: StreamingReply | undefined;
  /** The avatar's reaction per reply (the finished phase), when the events still hold it. */
  cues?: ReadonlyMap<string, AvatarCue>;
  /** Show each reply's provider, tokens and cost (the Conversations screen). */
  showCosts?: boolean;
  /** Keep the newest message in view as messages arrive (the Inbox). */
  followLatest?: boolean;
  /** The team's internal notes, shown in time order between the messages, marked as never seen by the visitor. */
  notes?: readonly ConversationNote[];
  /** Offered on notes `canDelete` allows (their author's own). */
  onDeleteNote?: (note: ConversationNote) => void;
  canDeleteNote?: (note: ConversationNote) => boolean;
  label: string;
}

type Entry = { kind: 'message'; message: TranscriptMessage } | { kind: 'note'; note: ConversationNote };

/** Messages and notes in time order; at the same instant the message comes first. */
function inTimeOrder(messages: readonly TranscriptMessage[], notes: readonly ConversationNote[]): Entry[] {
  const entries: Entry[] = messages.map((message) => ({ kind: 'message', message }));
  for (const note of notes) {
    const at = Date.parse(note.createdAt);
    const after = entries.findLastIndex((entry) => Date.parse(entry.kind === 'message' ? entry.message.createdAt : entry.note.createdAt) <= at);
    entries.splice(after + 1, 0, { kind: 'note', note });
  }
  return entries;
}

function Note({ note, onDelete }: { note: ConversationNote; onDelete: ((note: ConversationNote) => void) | undefined }) {
  return (
    <article className="msg msg--note" aria-label={`Internal note by ${note.authorName} at ${formatTime(note.createdAt)}`}>
      <header className="msg__meta">
        <Badge tone="warning">Internal note</Badge>
        <span className="msg__author">{note.authorName}</span>
        <time dateTime={note.createdAt}>{formatTime(note.createdAt)}</time>
        {onDelete ? <button type="button" className="msg__delete" onClick={() => onDelete(note)} aria-label={`Delete the note of ${formatTime(note.createdAt)}`}>Delete</button> : null}
      </header>
      <div className="msg__bubble">{note.text}</div>
    </article>
  );
}

const noticeText = (notice: SystemNotice, fallback: string) => {
  switch (notice.kind) {
    case 'AGENT_JOINED': return `${notice.agentName ?? 'An agent'} joined`;
    case 'HANDED_BACK': return notice.agentName ? `${notice.agentName} handed back to the bot${notice.agentRemoved ? ' (their access ended)' : ''}` : 'The request was dismissed; back with the bot';
    case 'HANDOFF_REQUESTED': return notice.handoffReason === 'BOT_UNSURE' ? 'The visitor accepted the offer of a person' : 'The visitor asked for a person';
    case 'HANDOFF_CANCELLED': return 'The visitor stopped waiting';
    case 'HANDOFF_UNAVAILABLE': return `Nobody could come (${(notice.unavailableReason ?? 'unavailable').toLowerCase().replace(/_/g, ' ')})`;
    default: return fallback;
  }
};

const authorOf = (message: TranscriptMessage) =>
  message.role === 'VISITOR' ? 'Visitor' : message.role === 'AGENT' ? (message.authorName ?? 'Agent') : 'Bot';

function Usage({ message }: { message: TranscriptMessage }) {
  const usage = message.usage;
  if (!usage) return null;
  const tokens = (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
  const parts = [
    usage.cacheHit ? 'answer cache' : [usage.provider, usage.model].filter(Boolean).join(' · '),
    tokens ? `${tokens.toLocaleString()} tokens` : undefined,
    formatMicroUsd(usage.costMicroUsd),
    usage.timeToFirstTokenMs != null ? `first token ${usage.timeToFirstTokenMs} ms` : undefined,
  ].filter(Boolean);
  return <span className="msg__usage" data-testid="message-usage">{parts.join(' · ')}</span>;
}

function Sources({ message }: { message: TranscriptMessage }) {
  if (!message.sources.length) return null;
  return (
    <details className="msg__sources">
      <summary>{message.sources.length === 1 ? '1 source' : `${message.sources.length} sources`}</summary>
      <ol>
        {message.sources.map((source) => (
          <li key={source.marker} value={source.marker}>
            <strong>{[source.documentTitle, ...source.sectionPath].join(' › ')}</strong>
            {source.page != null ? <span className="msg__muted"> (page {source.page})</span> : null}
            <p>{source.snippet}</p>
          </li>
        ))}
      </ol>
    </details>
  );
}

/** The conversation as people read it: who said what and when, with citations, sentiment, cues and costs. */
export function Transcript({ messages, streaming, cues, showCosts = false, followLatest = false, notes = [], onDeleteNote, canDeleteNote, label }: TranscriptProps) {
  const end = useRef<HTMLDivElement>(null);
  const count = messages.length + notes.length;
  const streamedLength = streaming?.text.length ?? 0;
  useEffect(() => {
    if (followLatest) end.current?.scrollIntoView({ block: 'end' });
  }, [followLatest, count, streamedLength]);
  return (
    <div className="transcript" role="log" aria-label={label} aria-live={followLatest ? 'polite' : 'off'}>
      {inTimeOrder(messages, notes).map((entry) => {
        if (entry.kind === 'note') {
          const { note } = entry;
          return <Note key={`note-${note.id}`} note={note} onDelete={onDeleteNote && canDeleteNote?.(note) ? onDeleteNote : undefined} />;
        }
        const { message } = entry;
        if (message.role === 'SYSTEM') {
          return (
            <div key={message.id} className="msg msg--system">
              <span>{message.notice ? noticeText(message.notice, message.text) : message.text}</span>
              <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
            </div>
          );
        }
        // Stored on the bot's replies: how the avatar read the exchange (-1..1).
        const sentiment = sentimentLabel(message.sentiment);
        const cue = cues?.get(message.id);
        return (
          <article key={message.id} className={`msg msg--${message.role.toLowerCase()}`} aria-label={`${authorOf(message)} at ${formatTime(message.createdAt)}`}>
            <header className="msg__meta">
              <span className="msg__author">{authorOf(message)}</span>
              <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
              {sentiment ? <Badge tone={sentiment.tone} title={`Sentiment ${message.sentiment?.toFixed(2)}, as the avatar read the exchange`}>{sentiment.label}</Badge> : null}
              {cue ? <Badge tone="info" title={cue.reason}>Avatar: {cue.intent.replace(/_/g, ' ')}</Badge> : null}
            </header>
            <div className="msg__bubble">{message.text}</div>
            {message.role === 'ASSISTANT' ? (
              <div className="msg__extras">
                <Sources message={message} />
                {showCosts ? <Usage message={message} /> : null}
              </div>
            ) : null}
          </article>
        );
      })}
      {streaming && !messages.some((message) => message.id === streaming.messageId) ? (
        <article className="msg msg--assistant msg--streaming" aria-label="Bot, writing">
          <header className="msg__meta"><span className="msg__author">Bot</span><span className="msg__muted">writing…</span></header>
          <div className="msg__bubble">{streaming.text || '…'}</div>
        </article>
      ) : null}
      <div ref={end} />
    </div>
  );
}
