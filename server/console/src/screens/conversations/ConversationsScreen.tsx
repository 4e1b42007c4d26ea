import { useEffect, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { useLocation, useRoute } from 'wouter';
import { formatAgo, formatDateTime, hostOf } from '../../app/format.ts';
import { BOTS_QUERY, CONVERSATIONS_QUERY, statusLabel, statusTone, type BotsResult, type ConversationStatus, type ConversationSummary, type ConversationsResult } from '../../conversation/operations.ts';
import { Badge, Button, EmptyState, Field, Input, Select, Table, type Column } from '../../ui/index.ts';
import { ConversationDetailView } from './ConversationDetailView.tsx';
import { ExportButtons, type ExportRange } from './ExportButtons.tsx';
import './conversations.css';

const PAGE_SIZE = 25;

export interface Filters {
  search: string;
  botId: string;
  status: '' | ConversationStatus;
  from: string;
  to: string;
  handedOff: '' | 'yes' | 'no';
  hasLead: '' | 'yes' | 'no';
  closed: '' | 'yes' | 'no';
  feedback: '' | 'HELPFUL' | 'UNHELPFUL';
}
const NO_FILTERS: Filters = { search: '', botId: '', status: '', from: '', to: '', handedOff: '', hasLead: '', closed: '', feedback: '' };

const DAY_MS = 86_400_000;
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** The API's ConversationFilter: dates are UTC days, `to` inclusive (the API's `to` is exclusive). */
export function toApiFilter(filters: Filters, search: string): Record<string, unknown> {
  const yesNo = (value: '' | 'yes' | 'no') => (value === '' ? undefined : value === 'yes');
  return {
    ...(filters.botId ? { botId: filters.botId } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.from ? { from: `${filters.from}T00:00:00.000Z` } : {}),
    ...(filters.to ? { to: new Date(Date.parse(`${filters.to}T00:00:00.000Z`) + DAY_MS).toISOString() } : {}),
    ...(yesNo(filters.handedOff) !== undefined ? { handedOff: yesNo(filters.handedOff) } : {}),
    ...(yesNo(filters.hasLead) !== undefined ? { hasLead: yesNo(filters.hasLead) } : {}),
    ...(yesNo(filters.closed) !== undefined ? { closed: yesNo(filters.closed) } : {}),
    ...(filters.feedback ? { feedback: filters.feedback } : {}),
    // The API searches 2 to 200 characters.
    ...(search.trim().length >= 2 ? { search: search.trim().slice(0, 200) } : {}),
  };
}

type Page = { first: number; after?: string } | { last: number; before: string };

type ChoiceKey = 'status' | 'handedOff' | 'hasLead' | 'closed' | 'feedback';
/** The filters picked from a short list ("Any" first): their value, then what the list shows. */
const CHOICES: { key: ChoiceKey; label: string; options: [Exclude<Filters[ChoiceKey], ''>, string][] }[] = [
  { key: 'status', label: 'Status', options: [['BOT', 'With the bot'], ['WAITING_FOR_AGENT', 'Waiting'], ['WITH_AGENT', 'With an agent']] },
  { key: 'handedOff', label: 'Handed off', options: [['yes', 'People involved'], ['no', 'Bot only']] },
  { key: 'hasLead', label: 'Lead', options: [['yes', 'With a lead'], ['no', 'Without']] },
  { key: 'closed', label: 'Open or closed', options: [['no', 'Open'], ['yes', 'Closed']] },
  { key: 'feedback', label: 'Feedback', options: [['HELPFUL', '👍 Some answer helpful'], ['UNHELPFUL', '👎 Some answer unhelpful']] },
];

function FilterBar({ filters, onChange, bots }: { filters: Filters; onChange: (next: Filters) => void; bots: { id: string; name: string }[] }) {
  const set = <K extends keyof Filters>(key: K) => (value: Filters[K]) => onChange({ ...filters, [key]: value });
  return (
    <form className="conversations__filters" role="search" aria-label="Filter conversations" onSubmit={(event) => event.preventDefault()}>
      <Field label="Search messages" className="conversations__search">
        <Input type="search" value={filters.search} placeholder="Words a message contains" onChange={(event) => set('search')(event.target.value)} />
      </Field>
      <Field label="Bot">
        <Select value={filters.botId} onChange={(event) => set('botId')(event.target.value)}>
          <option value="">All bots</option>
          {bots.map((bot) => <option key={bot.id} value={bot.id}>{bot.name}</option>)}
        </Select>
      </Field>
      {CHOICES.map(({ key, label, options }) => (
        <Field key={key} label={label}>
          <Select value={filters[key]} onChange={(event) => onChange({ ...filters, [key]: event.target.value })}>
            <option value="">Any</option>
            {options.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
          </Select>
        </Field>
      ))}
      <Field label="Started from">
        <Input type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => set('from')(event.target.value)} />
      </Field>
      <Field label="Started until">
        <Input type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => set('to')(event.target.value)} />
      </Field>
      <Button className="conversations__reset" onClick={() => onChange(NO_FILTERS)} disabled={JSON.stringify(filters) === JSON.stringify(NO_FILTERS)}>Clear</Button>
    </form>
  );
}

/** Search, filter and page through the tenant's conversations; open one for its transcript. */
export default function ConversationsScreen() {
  const [, params] = useRoute<{ id: string }>('/:id');
  const [, navigate] = useLocation();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [search, setSearch] = useState('');
  const [paging, setPaging] = useState<{ filterKey: string; page: Page; offset: number }>({ filterKey: '', page: { first: PAGE_SIZE }, offset: 0 });
  const [bots] = useQuery<BotsResult>({ query: BOTS_QUERY });

  // Typing searches after a pause, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(filters.search), 300);
    return () => clearTimeout(timer);
  }, [filters.search]);

  const apiFilter = useMemo(() => toApiFilter(filters, search), [filters, search]);
  // A page belongs to the filter it was found with: another filter starts from its first page.
  const filterKey = JSON.stringify(apiFilter);
  const { page, offset } = paging.filterKey === filterKey ? paging : { page: { first: PAGE_SIZE } as Page, offset: 0 };

  const [{ data, fetching, error }] = useQuery<ConversationsResult>({
    query: CONVERSATIONS_QUERY,
    variables: { filter: apiFilter, ...page },
    requestPolicy: 'cache-and-network',
    pause: Boolean(params),
  });

  if (params) return <ConversationDetailView key={params.id} conversationId={params.id} onBack={() => navigate('/')} />;

  const connection = data?.conversations;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];
  const exportRange: ExportRange = {
    botId: filters.botId || undefined,
    from: filters.from || isoDate(new Date(Date.now() - 29 * DAY_MS)),
    to: isoDate(new Date(Date.parse(`${filters.to || isoDate(new Date())}T00:00:00Z`) + DAY_MS)),
  };
  const columns: Column<ConversationSummary>[] = [
    { header: 'Last message', cell: (c) => <time dateTime={c.lastMessageAt} title={formatDateTime(c.lastMessageAt)}>{formatAgo(c.lastMessageAt)}</time>, width: '120px' },
    { header: 'Page', cell: (c) => <span className="conversations__page">{hostOf(c.hostOrigin) ?? <span className="conversations__muted">Not known</span>}</span> },
    { header: 'Bot', cell: (c) => c.bot.name },
    {
      header: 'Status',
      cell: (c) => <span className="conversations__signals"><Badge tone={statusTone[c.status]}>{statusLabel[c.status]}</Badge>{c.closedAt ? <Badge>Closed</Badge> : null}</span>,
    },
    {
      header: 'Signals',
      cell: (c) => (
        <span className="conversations__signals">
          {c.handoff.requestedAt || c.agent ? <Badge tone="accent">People</Badge> : null}
          {c.hasLead ? <Badge tone="info">Lead</Badge> : null}
          {c.rating ? <Badge tone={c.rating.rating >= 4 ? 'success' : c.rating.rating <= 2 ? 'danger' : 'neutral'}>{`★ ${c.rating.rating}`}</Badge> : null}
        </span>
      ),
    },
    { header: 'Messages', cell: (c) => c.messageCount, width: '90px' },
    { header: 'Started', cell: (c) => formatDateTime(c.startedAt), width: '170px' },
  ];

  return (
    <div className="conversations">
      <div className="page-header">
        <div>
          <h1>Conversations</h1>
          <p>Everything visitors said to your bots, with what the bot cited and what it cost.</p>
        </div>
        <ExportButtons range={exportRange} />
      </div>
      <FilterBar filters={filters} onChange={setFilters} bots={bots.data?.bots.edges.map((edge) => edge.node) ?? []} />
      {error ? <EmptyState title="The conversations could not load">{error.graphQLErrors[0]?.message ?? error.message}</EmptyState> : null}
      {connection && rows.length === 0 ? <EmptyState title="No conversations match">Try fewer filters or another date range.</EmptyState> : null}
      {rows.length ? (
        <Table
          caption="Conversations"
          captionHidden
          columns={columns}
          rows={rows}
          rowKey={(c) => c.id}
          rowLabel={(c) => `Open the conversation on ${hostOf(c.hostOrigin) ?? 'an unknown page'} with ${c.bot.name}, ${formatAgo(c.lastMessageAt)}`}
          onRowActivate={(c) => navigate(`/${c.id}`)}
        />
      ) : null}
      {fetching && !data ? <p className="conversations__muted" role="status">Loading…</p> : null}
      {connection && rows.length ? (
        <nav className="conversations__pager" aria-label="Pages">
          <span data-testid="page-range" role="status">
            {offset + 1}–{offset + rows.length} of {connection.totalCount}
          </span>
          <Button
            size="small"
            disabled={!connection.pageInfo.hasPreviousPage || offset === 0}
            onClick={() => {
              setPaging({ filterKey, page: { last: PAGE_SIZE, before: connection.pageInfo.startCursor! }, offset: Math.max(0, offset - PAGE_SIZE) });
            }}
          >Previous</Button>
          <Button
            size="small"
            disabled={!connection.pageInfo.hasNextPage}
            onClick={() => {
              setPaging({ filterKey, page: { first: PAGE_SIZE, after: connection.pageInfo.endCursor! }, offset: offset + rows.length });
            }}
          >Next</Button>
        </nav>
      ) : null}
    </div>
  );
}
