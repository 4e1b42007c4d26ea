import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { Link, useLocation, useRoute } from 'wouter';
import { formatAgo, formatDateTime, hostOf } from '../../app/format.ts';
import { useLiveSubscription } from '../../app/live.ts';
import { useViewer } from '../../app/viewer.tsx';
import { reasonLabel, statusLabel, statusTone, type ConversationSummary } from '../../conversation/operations.ts';
import { Badge, Button, EmptyState, Field, Input, Tabs } from '../../ui/index.ts';
import { ConversationPane } from './ConversationPane.tsx';
import { alertNewRequest, allowDesktopNotifications, loadAlertPreferences, saveAlertPreferences, type AlertPreferences } from './notify.ts';
import { AVAILABILITY_QUERY, INBOX_QUERY, QUEUE_SUBSCRIPTION, type AvailabilityResult, type InboxResult, type QueueEvent } from './operations.ts';
import './inbox.css';

type TabKey = 'mine' | 'unassigned' | 'all';
const PRESENCE_KEY = 'mascot-console:inbox-away';
/** The name visitors see when this agent joins; empty: the server's default (from the e-mail address). */
const NAME_KEY = 'mascot-console:agent-name';

/** What the queue told us since the list was last read: newer than the list until the refetch lands. */
interface LiveState {
  status: ConversationSummary['status'];
  agentName: string | null;
  agentUserId: string | null;
  lastVisitorText?: string;
}

function PresenceBar({ away, onToggle, availability }: { away: boolean; onToggle: () => void; availability: AvailabilityResult['handoffAvailability'] | undefined }) {
  const others = availability?.onlineAgentIds.length ?? 0;
  return (
    <div className="inbox__presence">
      <span className={`inbox__dot inbox__dot--${away ? 'away' : 'online'}`} aria-hidden="true" />
      <span data-testid="presence">{away ? 'Away: new requests do not reach you' : 'Online: visitors can reach you'}</span>
      <Button size="small" onClick={onToggle}>{away ? 'Go online' : 'Go away'}</Button>
      {availability ? (
        <span className="inbox__muted">
          {others === 1 ? '1 agent online' : `${others} agents online`} · {availability.openNow ? 'open now' : availability.nextOpeningAt ? `closed until ${formatDateTime(availability.nextOpeningAt)}` : 'closed'}
        </span>
      ) : null}
    </div>
  );
}

function AlertToggles({ preferences, onChange }: { preferences: AlertPreferences; onChange: (next: AlertPreferences) => void }) {
  return (
    <fieldset className="inbox__alerts">
      <legend className="visually-hidden">Alerts for new requests</legend>
      <label><input type="checkbox" checked={preferences.sound} onChange={(event) => onChange({ ...preferences, sound: event.target.checked })} /> Sound</label>
      <label>
        <input
          type="checkbox"
          checked={preferences.desktop}
          onChange={async (event) => {
            const wanted = event.target.checked;
            onChange({ ...preferences, desktop: wanted && (await allowDesktopNotifications()) });
          }}
        /> Desktop notifications
      </label>
    </fieldset>
  );
}

function QueueItem({ conversation, live, selected }: { conversation: ConversationSummary; live: LiveState | undefined; selected: boolean }) {
  const status = live?.status ?? conversation.status;
  const agentName = live ? live.agentName : conversation.agent?.name ?? null;
  const since = conversation.handoff.requestedAt ?? conversation.lastMessageAt;
  return (
    <li>
      <Link href={`/${conversation.id}`} className="inbox__item" aria-current={selected ? 'true' : undefined} data-conversation-id={conversation.id}>
        <span className="inbox__item-top">
          <span className="inbox__item-title">{hostOf(conversation.hostOrigin) ?? 'Page not known'}</span>
          <time className="inbox__muted" dateTime={since} title={formatDateTime(since)}>{formatAgo(since)}</time>
        </span>
        <span className="inbox__item-middle">
          <Badge tone={statusTone[status]}>{statusLabel[status]}</Badge>
          <span className="inbox__muted">{conversation.bot.name}</span>
          {status === 'WITH_AGENT' && agentName ? <span className="inbox__muted">· {agentName}</span> : null}
          {conversation.hasLead ? <Badge tone="info">Lead</Badge> : null}
        </span>
        <span className="inbox__preview">
          {live?.lastVisitorText ?? (conversation.handoff.reason ? reasonLabel[conversation.handoff.reason] : `${conversation.messageCount} messages`)}
        </span>
      </Link>
    </li>
  );
}

/**
 * The agents' live queue: conversations waiting for a person and those with agents, across the tenant's
 * bots. Holding the queue subscription is the agent's presence; "Go away" ends it. Each queue change
 * updates the row at once and reloads the lists, so a take-over by someone else shows immediately.
 */
export default function InboxScreen() {
  const viewer = useViewer();
  const [, params] = useRoute<{ id: string }>('/:id');
  const [, navigate] = useLocation();
  const selectedId = params?.id;
  const [tab, setTab] = useState<TabKey>('unassigned');
  const [away, setAway] = useState(() => window.localStorage.getItem(PRESENCE_KEY) === 'true');
  const [alerts, setAlerts] = useState<AlertPreferences>(loadAlertPreferences);
  const [displayName, setDisplayName] = useState(() => window.localStorage.getItem(`${NAME_KEY}:${viewer.user.id}`) ?? '');
  const [live, setLive] = useState<ReadonlyMap<string, LiveState>>(new Map());
  const [{ data, fetching, error }, reload] = useQuery<InboxResult>({ query: INBOX_QUERY, requestPolicy: 'cache-and-network' });
  const [availability, reloadAvailability] = useQuery<AvailabilityResult>({ query: AVAILABILITY_QUERY, requestPolicy: 'network-only' });
  const [queueEpoch, setQueueEpoch] = useState(0);

  const known = useRef(new Set<string>());
  useEffect(() => {
    for (const edge of data?.waiting.edges ?? []) known.current.add(edge.node.id);
    for (const edge of data?.withAgent.edges ?? []) known.current.add(edge.node.id);
  }, [data]);

  // Many queue events can arrive together (the snapshot when the subscription starts): one reload for all.
  const reloadSoon = useRef<ReturnType<typeof setTimeout>>(undefined);
  const scheduleReload = useCallback(() => {
    clearTimeout(reloadSoon.current);
    reloadSoon.current = setTimeout(() => reload({ requestPolicy: 'network-only' }), 100);
  }, [reload]);
  useEffect(() => () => clearTimeout(reloadSoon.current), []);

  useLiveSubscription<QueueEvent>(QUEUE_SUBSCRIPTION, {}, ({ waitingConversations: event }) => {
    const { conversation } = event;
    setLive((previous) => {
      const next = new Map(previous);
      const before = previous.get(conversation.id);
      next.set(conversation.id, {
        status: conversation.status,
        agentName: conversation.agentName,
        agentUserId: conversation.agentUserId,
        lastVisitorText: event.visitorMessage?.text ?? before?.lastVisitorText,
      });
      return next;
    });
    setQueueEpoch((value) => value + 1);
    if (event.change === 'WAITING' && data && !known.current.has(conversation.id)) {
      known.current.add(conversation.id);
      alertNewRequest(alerts, 'A visitor is waiting', event.visitorMessage?.text ?? 'A visitor asked for a person.');
    }
    scheduleReload();
  }, { pause: away, onError: () => reloadAvailability({ requestPolicy: 'network-only' }) });

  useEffect(() => {
    // Presence changes with the subscription (ours and other agents'), which has no event of its own: ask
    // again shortly after ours started or ended, then now and then.
    const soon = setTimeout(() => reloadAvailability({ requestPolicy: 'network-only' }), 1000);
    const often = setInterval(() => reloadAvailability({ requestPolicy: 'network-only' }), 20_000);
    return () => {
      clearTimeout(soon);
      clearInterval(often);
    };
  }, [away, reloadAvailability]);

  const toggleAway = () => {
    setAway((value) => {
      window.localStorage.setItem(PRESENCE_KEY, String(!value));
      return !value;
    });
  };
  const changeAlerts = (next: AlertPreferences) => {
    setAlerts(next);
    saveAlertPreferences(next);
  };

  const rows = useMemo(() => {
    const all = [...(data?.waiting.edges ?? []), ...(data?.withAgent.edges ?? [])].map((edge) => edge.node);
    const current = (conversation: ConversationSummary) => {
      const state = live.get(conversation.id);
      return {
        status: state?.status ?? conversation.status,
        agentUserId: state ? state.agentUserId : conversation.agent?.userId ?? null,
      };
    };
    const handled = all.filter((conversation) => current(conversation).status !== 'BOT');
    return {
      mine: handled.filter((c) => current(c).status === 'WITH_AGENT' && current(c).agentUserId === viewer.user.id),
      unassigned: handled.filter((c) => current(c).status === 'WAITING_FOR_AGENT'),
      all: handled,
    } satisfies Record<TabKey, ConversationSummary[]>;
  }, [data, live, viewer.user.id]);

  const tabs = [
    { key: 'mine' as const, label: <>Assigned to me <Badge>{rows.mine.length}</Badge></> },
    { key: 'unassigned' as const, label: <>Unassigned <Badge tone={rows.unassigned.length ? 'warning' : 'neutral'}>{rows.unassigned.length}</Badge></> },
    { key: 'all' as const, label: <>All <Badge>{rows.all.length}</Badge></> },
  ];
  const shown = rows[tab];

  return (
    <div className={`inbox${selectedId ? ' inbox--open' : ''}`}>
      <section className="inbox__queue" aria-labelledby="inbox-title" tabIndex={-1}>
        <div className="inbox__head">
          <h1 id="inbox-title">Inbox</h1>
          <PresenceBar away={away} onToggle={toggleAway} availability={availability.data?.handoffAvailability} />
          <AlertToggles preferences={alerts} onChange={changeAlerts} />
          <Field label="Your name for visitors" hint="Shown when you join; empty: from your e-mail address.">
            <Input
              value={displayName}
              maxLength={60}
              placeholder="e.g. Sam from Support"
              onChange={(event) => {
                setDisplayName(event.target.value);
                window.localStorage.setItem(`${NAME_KEY}:${viewer.user.id}`, event.target.value);
              }}
            />
          </Field>
        </div>
        <Tabs label="Conversations" tabs={tabs} selected={tab} onSelect={setTab}>
          {error && !data ? <EmptyState title="The inbox could not load">{error.message}</EmptyState> : null}
          {data && shown.length === 0 ? (
            <EmptyState title={tab === 'mine' ? 'Nothing assigned to you' : tab === 'unassigned' ? 'Nobody is waiting' : 'No conversations with people'}>
              {away ? 'You are away: go online to receive new requests.' : 'New requests appear here as visitors ask for a person.'}
            </EmptyState>
          ) : null}
          {fetching && !data ? <p className="inbox__muted" role="status">Loading…</p> : null}
          <ul className="inbox__list" aria-label="Queue" data-testid="inbox-list">
            {shown.map((conversation) => (
              <QueueItem key={conversation.id} conversation={conversation} live={live.get(conversation.id)} selected={conversation.id === selectedId} />
            ))}
          </ul>
        </Tabs>
      </section>
      {selectedId ? (
        <ConversationPane key={selectedId} conversationId={selectedId} queueEpoch={queueEpoch} displayName={displayName} onClose={() => navigate('/')} />
      ) : (
        <section className="inbox__placeholder" aria-label="Conversation">
          <EmptyState title="Pick a conversation">Choose one from the queue to read it, take it over and reply.</EmptyState>
        </section>
      )}
    </div>
  );
}
