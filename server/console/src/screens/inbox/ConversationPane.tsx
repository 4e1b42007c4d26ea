import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { hostOf } from '../../app/format.ts';
import { useLiveSubscription } from '../../app/live.ts';
import { ROLES_WITH } from '../../app/roles.ts';
import { useViewer } from '../../app/viewer.tsx';
import { ConversationFacts } from '../../conversation/ConversationFacts.tsx';
import { CONVERSATION_EVENTS, CONVERSATION_QUERY, statusLabel, statusTone, type ConversationDetail, type ConversationEvent } from '../../conversation/operations.ts';
import { Transcript, type StreamingReply } from '../../conversation/Transcript.tsx';
import { Badge, Button, EmptyState, useToast } from '../../ui/index.ts';
import { Composer } from './Composer.tsx';
import { NoteForm } from './NoteForm.tsx';
import { CLOSE_CONVERSATION, DELETE_NOTE, HAND_BACK, REOPEN_CONVERSATION, TAKE_OVER, TYPING_SUBSCRIPTION, type TypingEvent } from './operations.ts';

/** A typing signal not repeated for this long means the visitor stopped (or their connection dropped). */
const TYPING_SHOWN_MS = 5000;

const codeOf = (error: CombinedError | undefined) => error?.graphQLErrors[0]?.extensions['code'] as string | undefined;
const messageOf = (error: CombinedError) => error.graphQLErrors[0]?.message ?? error.message;

/**
 * One conversation in the Inbox: its transcript live (the bot's replies stream in, visitor and agent
 * messages appear as posted), take over, reply, hand back, close or reopen, the team's internal notes, and
 * the facts beside it. `queueEpoch` changes
 * with every queue event, so a take-over by another agent shows here at once.
 */
export function ConversationPane({ conversationId, queueEpoch, displayName, onClose }: { conversationId: string; queueEpoch: number; displayName: string; onClose: () => void }) {
  const viewer = useViewer();
  const notify = useToast();
  const withLead = (ROLES_WITH.readLeads as readonly string[]).includes(viewer.role);
  const [{ data, error }, reload] = useQuery<{ conversation: ConversationDetail }>({
    query: CONVERSATION_QUERY,
    variables: { id: conversationId, withLead },
    requestPolicy: 'cache-and-network',
  });
  const refresh = () => reload({ requestPolicy: 'network-only' });
  const [streaming, setStreaming] = useState<StreamingReply>();
  const [lostTo, setLostTo] = useState<string>();
  const [takeOverState, takeOver] = useMutation(TAKE_OVER);
  const [handBackState, handBack] = useMutation(HAND_BACK);
  const [closeState, close] = useMutation(CLOSE_CONVERSATION);
  const [reopenState, reopen] = useMutation(REOPEN_CONVERSATION);
  const [, deleteNote] = useMutation(DELETE_NOTE);

  // The visitor's typing: the latest signal, shown until it says stopped, a message arrives, or it goes stale.
  const [visitorTyping, setVisitorTyping] = useState<{ typing: boolean; at: string }>({ typing: false, at: '' });
  useLiveSubscription<TypingEvent>(TYPING_SUBSCRIPTION, { conversationId }, ({ typingIndicators: signal }) => setVisitorTyping(signal), { key: conversationId });
  useEffect(() => {
    if (!visitorTyping.typing) return;
    const stale = setTimeout(() => setVisitorTyping({ typing: false, at: '' }), TYPING_SHOWN_MS);
    return () => clearTimeout(stale);
  }, [visitorTyping]);

  const firstEpoch = useRef(queueEpoch);
  useEffect(() => {
    if (queueEpoch !== firstEpoch.current) refresh();
  }, [queueEpoch]);

  useLiveSubscription<{ conversationEvents: ConversationEvent }>(CONVERSATION_EVENTS, { conversationId }, ({ conversationEvents: event }) => {
    switch (event.__typename) {
      case 'ReplyStarted':
        setStreaming({ messageId: event.messageId, text: '' });
        break;
      case 'ReplyDelta':
        setStreaming((current) => ({ messageId: event.messageId, text: (current?.messageId === event.messageId ? current.text : '') + event.delta }));
        break;
      case 'ReplyCompleted':
      case 'ReplyFailed':
        setStreaming(undefined);
        refresh();
        break;
      case 'MessagePosted':
        setVisitorTyping({ typing: false, at: '' });
        refresh();
        break;
      case 'HandoffStatusChanged':
        refresh();
        break;
      default:
        break;
    }
  }, { key: conversationId });

  if (error && !data) {
    return (
      <section className="inbox__pane" aria-label="Conversation">
        <EmptyState title="This conversation could not load" action={<Button onClick={onClose}>Back to the queue</Button>}>{error.message}</EmptyState>
      </section>
    );
  }
  if (!data) return <section className="inbox__pane" aria-label="Conversation"><p className="inbox__muted" role="status">Loading…</p></section>;

  const conversation = data.conversation;
  const messages = conversation.messages.edges.map((edge) => edge.node);
  const mine = conversation.status === 'WITH_AGENT' && conversation.agent?.userId === viewer.user.id;
  const someoneElse = conversation.status === 'WITH_AGENT' && !mine;

  const onTakeOver = async () => {
    setLostTo(undefined);
    const result = await takeOver({ conversationId, displayName: displayName.trim() || null });
    if (codeOf(result.error) === 'CONFLICT') {
      setLostTo('Another agent took this conversation first.');
      notify('Another agent took this conversation first.', 'warning');
    } else if (result.error) {
      notify(messageOf(result.error), 'danger');
    }
    refresh();
  };
  const onHandBack = async () => {
    const result = await handBack({ conversationId });
    if (result.error) notify(messageOf(result.error), 'danger');
    else notify(conversation.status === 'WAITING_FOR_AGENT' ? 'Request dismissed: the bot answers on.' : 'Handed back: the bot answers the next message.', 'success');
    refresh();
  };
  const onCloseConversation = async () => {
    const result = await close({ conversationId });
    if (result.error) notify(messageOf(result.error), 'danger');
    else notify('Closed: it left the Inbox. A new message from the visitor opens it again.', 'success');
    refresh();
  };
  const onReopen = async () => {
    const result = await reopen({ conversationId });
    if (result.error) notify(messageOf(result.error), 'danger');
    refresh();
  };
  const onDeleteNote = async (note: { id: string }) => {
    const result = await deleteNote({ id: note.id });
    if (result.error) notify(messageOf(result.error), 'danger');
    refresh();
  };
  const closed = conversation.closedAt != null;

  return (
    <>
      <section className="inbox__pane" aria-labelledby="pane-title">
        <header className="inbox__pane-head">
          <Button size="small" variant="ghost" className="inbox__back" onClick={onClose} aria-label="Back to the queue">←</Button>
          <div className="inbox__pane-title">
            <h2 id="pane-title">{hostOf(conversation.hostOrigin) ?? 'Visitor'} <span className="inbox__muted">· {conversation.bot.name}</span></h2>
            <span data-testid="conversation-status">
              <Badge tone={statusTone[conversation.status]}>{statusLabel[conversation.status]}</Badge>
              {conversation.agent ? <span className="inbox__muted"> {mine ? 'You' : conversation.agent.name}</span> : null}
              {closed ? <> <Badge tone="neutral">Closed</Badge></> : null}
            </span>
          </div>
          <div className="inbox__actions">
            {conversation.status !== 'WITH_AGENT' ? (
              <Button variant="primary" onClick={onTakeOver} disabled={takeOverState.fetching}>Take over</Button>
            ) : null}
            {mine || conversation.status === 'WAITING_FOR_AGENT' ? (
              <Button onClick={onHandBack} disabled={handBackState.fetching}>{mine ? 'Hand back to bot' : 'Dismiss request'}</Button>
            ) : null}
            {closed ? (
              <Button onClick={onReopen} disabled={reopenState.fetching}>Reopen</Button>
            ) : !someoneElse ? (
              <Button onClick={onCloseConversation} disabled={closeState.fetching} title="Done with it: it leaves the Inbox (a hand-back first if you hold it)">Close</Button>
            ) : null}
          </div>
        </header>
        {someoneElse ? (
          <p className="inbox__banner" role="alert" data-testid="taken-by-other">
            {lostTo ?? 'Someone else handles this conversation.'} {conversation.agent?.name} is talking to the visitor.
          </p>
        ) : lostTo ? <p className="inbox__banner" role="alert">{lostTo}</p> : null}
        <div className="inbox__transcript" tabIndex={0} aria-label="Transcript, scrollable" role="region">
          <Transcript
            messages={messages}
            notes={conversation.notes}
            streaming={streaming}
            followLatest
            label="Conversation with the visitor"
            canDeleteNote={(note) => note.authorUserId === viewer.user.id}
            onDeleteNote={(note) => void onDeleteNote(note)}
          />
        </div>
        <p className="inbox__typing" role="status" data-testid="visitor-typing">{visitorTyping.typing ? 'The visitor is typing…' : ''}</p>
        <NoteForm conversationId={conversationId} onAdded={refresh} />
        {mine ? (
          <Composer conversationId={conversationId} onSent={refresh} />
        ) : (
          <p className="inbox__composer-note inbox__muted">
            {conversation.status === 'WITH_AGENT' ? 'Only the agent holding the conversation writes to the visitor.' : 'Take the conversation over to write to the visitor; the bot falls silent meanwhile.'}
          </p>
        )}
      </section>
      <aside className="inbox__facts" aria-label="About this conversation" tabIndex={0}>
        <ConversationFacts conversation={conversation} showLead={withLead} />
      </aside>
    </>
  );
}
