import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { hostOf } from '../../app/format.ts';
import { useLiveSubscription } from '../../app/live.ts';
import { ROLES_WITH } from '../../app/roles.ts';
import { useViewer } from '../../app/viewer.tsx';
import { ConversationFacts } from '../../conversation/ConversationFacts.tsx';
import { CONVERSATION_EVENTS, CONVERSATION_QUERY, statusLabel, statusTone, type ConversationDetail, type ConversationEvent } from '../../conversation/operations.ts';
import { Transcript, type StreamingReply } from '../../conversation/Transcript.tsx';
import { Badge, Button, EmptyState, useToast } from '../../ui/index.ts';
import { HAND_BACK, SEND_AGENT_MESSAGE, TAKE_OVER } from './operations.ts';
import { useSavedReplies } from './saved-replies.ts';

const codeOf = (error: CombinedError | undefined) => error?.graphQLErrors[0]?.extensions['code'] as string | undefined;

function Composer({ conversationId, onSent }: { conversationId: string; onSent: () => void }) {
  const viewer = useViewer();
  const saved = useSavedReplies(viewer.user.id);
  const [text, setText] = useState('');
  const [{ fetching }, send] = useMutation(SEND_AGENT_MESSAGE);
  const notify = useToast();
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || fetching) return;
    const result = await send({ conversationId, text: message });
    if (result.error) {
      notify(result.error.graphQLErrors[0]?.message ?? result.error.message, 'danger');
      return;
    }
    setText('');
    onSent();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  };
  return (
    <form className="inbox__composer" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="agent-reply">Reply to the visitor</label>
      <textarea
        id="agent-reply"
        ref={input}
        className="ui-textarea"
        rows={2}
        placeholder="Write to the visitor… (Enter sends, Shift+Enter for a new line)"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="inbox__composer-actions">
        <label className="visually-hidden" htmlFor="saved-replies">Insert a saved reply</label>
        <select
          id="saved-replies"
          className="ui-select"
          value=""
          disabled={saved.replies.length === 0}
          onChange={(event) => {
            setText(event.target.value);
            input.current?.focus();
          }}
        >
          <option value="">{saved.replies.length ? 'Saved replies…' : 'No saved replies'}</option>
          {saved.replies.map((reply) => <option key={reply} value={reply}>{reply.length > 60 ? `${reply.slice(0, 57)}…` : reply}</option>)}
        </select>
        <Button size="small" variant="ghost" disabled={!text.trim()} onClick={() => saved.save(text)}>Save reply</Button>
        <Button type="submit" variant="primary" disabled={!text.trim() || fetching}>Send</Button>
      </div>
    </form>
  );
}

/**
 * One conversation in the Inbox: its transcript live (the bot's replies stream in, visitor and agent
 * messages appear as posted), take over, reply, hand back, and the facts beside it. `queueEpoch` changes
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
      notify(result.error.graphQLErrors[0]?.message ?? result.error.message, 'danger');
    }
    refresh();
  };
  const onHandBack = async () => {
    const result = await handBack({ conversationId });
    if (result.error) notify(result.error.graphQLErrors[0]?.message ?? result.error.message, 'danger');
    else notify(conversation.status === 'WAITING_FOR_AGENT' ? 'Request dismissed: the bot answers on.' : 'Handed back: the bot answers the next message.', 'success');
    refresh();
  };

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
            </span>
          </div>
          <div className="inbox__actions">
            {conversation.status !== 'WITH_AGENT' ? (
              <Button variant="primary" onClick={onTakeOver} disabled={takeOverState.fetching}>Take over</Button>
            ) : null}
            {mine || conversation.status === 'WAITING_FOR_AGENT' ? (
              <Button onClick={onHandBack} disabled={handBackState.fetching}>{mine ? 'Hand back to bot' : 'Dismiss request'}</Button>
            ) : null}
          </div>
        </header>
        {someoneElse ? (
          <p className="inbox__banner" role="alert" data-testid="taken-by-other">
            {lostTo ?? 'Someone else handles this conversation.'} {conversation.agent?.name} is talking to the visitor.
          </p>
        ) : lostTo ? <p className="inbox__banner" role="alert">{lostTo}</p> : null}
        <div className="inbox__transcript" tabIndex={0} aria-label="Transcript, scrollable" role="region">
          <Transcript messages={messages} streaming={streaming} followLatest label="Conversation with the visitor" />
        </div>
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
