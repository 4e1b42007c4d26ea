import { useState } from 'react';
import { useQuery } from 'urql';
import { useDownload } from '../../app/download.ts';
import { formatDateTime, formatMicroUsd, hostOf } from '../../app/format.ts';
import { useLiveSubscription } from '../../app/live.ts';
import { ROLES_WITH } from '../../app/roles.ts';
import { useViewer } from '../../app/viewer.tsx';
import { ConversationFacts } from '../../conversation/ConversationFacts.tsx';
import { CONVERSATION_EVENTS, CONVERSATION_QUERY, statusLabel, statusTone, type AvatarCue, type ConversationDetail, type ConversationEvent } from '../../conversation/operations.ts';
import { Transcript, type StreamingReply } from '../../conversation/Transcript.tsx';
import { Badge, Button, EmptyState } from '../../ui/index.ts';

/**
 * One conversation's full transcript with citations, costs and the avatar's reactions, live while it goes
 * on. The cues come from the conversation's event log (kept 24 hours), replayed from the start.
 */
export function ConversationDetailView({ conversationId, onBack }: { conversationId: string; onBack: () => void }) {
  const viewer = useViewer();
  const withLead = (ROLES_WITH.readLeads as readonly string[]).includes(viewer.role);
  const [{ data, error }, reload] = useQuery<{ conversation: ConversationDetail }>({
    query: CONVERSATION_QUERY,
    variables: { id: conversationId, withLead },
    requestPolicy: 'cache-and-network',
  });
  const [cues, setCues] = useState<ReadonlyMap<string, AvatarCue>>(new Map());
  const [streaming, setStreaming] = useState<StreamingReply>();
  const { download, downloading } = useDownload();

  useLiveSubscription<{ conversationEvents: ConversationEvent }>(CONVERSATION_EVENTS, { conversationId, afterSeq: 0 }, ({ conversationEvents: event }) => {
    switch (event.__typename) {
      case 'AvatarCue':
        if (event.phase === 'finished') setCues((previous) => new Map(previous).set(event.messageId, event));
        break;
      case 'ReplyStarted':
        setStreaming({ messageId: event.messageId, text: '' });
        break;
      case 'ReplyDelta':
        setStreaming((current) => ({ messageId: event.messageId, text: (current?.messageId === event.messageId ? current.text : '') + event.delta }));
        break;
      case 'ReplyCompleted':
      case 'ReplyFailed':
      case 'MessagePosted':
      case 'HandoffStatusChanged':
        setStreaming(undefined);
        reload({ requestPolicy: 'network-only' });
        break;
      default:
        break;
    }
  }, { key: conversationId });

  const back = <Button size="small" onClick={onBack}>← All conversations</Button>;
  if (error && !data) return <>{back}<EmptyState title="This conversation could not load">{error.graphQLErrors[0]?.message ?? error.message}</EmptyState></>;
  if (!data) return <>{back}<p role="status">Loading…</p></>;

  const conversation = data.conversation;
  const messages = conversation.messages.edges.map((edge) => edge.node);
  const cost = messages.reduce((sum, message) => sum + (message.usage?.costMicroUsd ?? 0), 0);
  const transcriptUrl = (format: 'csv' | 'json') => `/conversations/${conversation.id}/transcript.${format}`;

  return (
    <div className="conversation-detail">
      <div className="page-header">
        <div>
          {back}
          <h1>{hostOf(conversation.hostOrigin) ?? 'Conversation'} <span className="conversations__muted">with {conversation.bot.name}</span></h1>
          <p>
            <Badge tone={statusTone[conversation.status]}>{statusLabel[conversation.status]}</Badge>{' '}
            {conversation.closedAt ? <><Badge>Closed {formatDateTime(conversation.closedAt)}</Badge>{' '}</> : null}
            Started {formatDateTime(conversation.startedAt)} · {conversation.messageCount} messages · AI cost <span data-testid="conversation-cost">{formatMicroUsd(cost)}</span>
          </p>
        </div>
        <div className="conversations__export" role="group" aria-label="Download this transcript">
          <Button disabled={downloading} onClick={() => void download(transcriptUrl('csv'), `${conversation.id}.csv`)}>Transcript CSV</Button>
          <Button disabled={downloading} onClick={() => void download(transcriptUrl('json'), `${conversation.id}.json`)}>Transcript JSON</Button>
        </div>
      </div>
      {conversation.messages.pageInfo.hasPreviousPage ? <p className="conversations__muted">Showing the latest {messages.length} messages; the transcript download has them all.</p> : null}
      <div className="conversation-detail__body">
        <section className="conversation-detail__transcript" aria-label="Transcript">
          <Transcript messages={messages} notes={conversation.notes} streaming={streaming} cues={cues} showCosts label="Transcript" />
        </section>
        <aside className="conversation-detail__facts" aria-label="About this conversation">
          <ConversationFacts conversation={conversation} showLead={withLead} />
        </aside>
      </div>
    </div>
  );
}
