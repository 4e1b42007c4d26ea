import { useMemo, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { saveBlob, toCsv } from '../../ui/csv.ts';
import { DateRangePicker, lastDays, type DayRange } from '../../ui/DateRange.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Field, Select } from '../../ui/Field.tsx';
import { Table, type Column } from '../../ui/Table.tsx';
import { useToast } from '../../ui/Toast.tsx';
import '../../ui/screens.css';
import './leads.css';
import { CONTEXT_QUERY, LEADS_QUERY, MARK_HANDLED } from './operations.ts';



interface Lead {
  id: string;
  botId: string;
  conversationId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  wantsContact: boolean;
  consentedAt: string | null;
  createdAt: string;
  handledAt: string | null;
  handledByUserId: string | null;
  handledByApiKeyId: string | null;
}
interface LeadPage {
  leads: { totalCount: number; edges: { node: Lead }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

type Status = 'open' | 'handled' | 'all';
const PAGE = 50;
/** The most leads one export gathers page by page (a busier tenant narrows the period). */
const EXPORT_LIMIT = 5000;

const when = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

/** Owners, admins and agents: the visitors who left contact details, to follow up and mark handled. */
export default function LeadsScreen() {
  const [range, setRange] = useState<DayRange>(() => lastDays(30));
  const [botId, setBotId] = useState('');
  const [status, setStatus] = useState<Status>('open');
  const [wantsContact, setWantsContact] = useState<'' | 'yes' | 'no'>('');
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const client = useClient();
  const notify = useToast();

  const filter = useMemo(() => ({
    from: `${range.from}T00:00:00.000Z`,
    to: nextDay(range.to),
    ...(status === 'all' ? {} : { handled: status === 'handled' }),
    ...(wantsContact ? { wantsContact: wantsContact === 'yes' } : {}),
  }), [range, status, wantsContact]);
  const variables = { botId: botId || null, filter };

  const [context] = useQuery<{ bots: { edges: { node: { id: string; name: string } }[] }; members: { edges: { node: { userId: string; email: string } }[] } }>({ query: CONTEXT_QUERY });
  const botName = (id: string) => context.data?.bots.edges.find((e) => e.node.id === id)?.node.name ?? '—';
  const memberEmail = (id: string | null) => (id ? context.data?.members.edges.find((e) => e.node.userId === id)?.node.email : undefined);
  const [, markHandled] = useMutation(MARK_HANDLED);

  const resetPaging = () => setPages([null]);
  const toggle = async (lead: Lead) => {
    const result = await markHandled({ id: lead.id, handled: !lead.handledAt }, { additionalTypenames: ['Lead'] });
    if (result.error) notify(result.error.graphQLErrors[0]?.message ?? result.error.message, 'danger');
    else notify(lead.handledAt ? 'Lead reopened.' : 'Lead marked handled.', 'success');
  };

  const exportCsv = async () => {
    const rows: Lead[] = [];
    let after: string | null = null;
    do {
      const result = await client.query<LeadPage>(LEADS_QUERY, { ...variables, first: 100, after }, { requestPolicy: 'network-only' }).toPromise();
      if (result.error || !result.data) {
        notify(result.error?.message ?? 'The export failed.', 'danger');
        return;
      }
      rows.push(...result.data.leads.edges.map((e) => e.node));
      after = result.data.leads.pageInfo.hasNextPage ? result.data.leads.pageInfo.endCursor : null;
    } while (after && rows.length < EXPORT_LIMIT);
    const csv = toCsv(
      ['created_at', 'bot', 'name', 'email', 'phone', 'wants_contact', 'consented_at', 'handled_at', 'conversation_id'],
      rows.map((l) => [l.createdAt, botName(l.botId), l.name, l.email, l.phone, l.wantsContact ? 'yes' : 'no', l.consentedAt, l.handledAt, l.conversationId]),
    );
    saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `mascot-leads-${range.from}-${range.to}.csv`);
  };

  return (
    <div>
      <div className="page-header">
        <div>
          <h1>Leads</h1>
          <p>Visitors who left contact details or asked to be contacted.</p>
        </div>
      </div>
      <div className="ui-toolbar" role="search" aria-label="Filter leads">
        <Field label="Bot">
          <Select value={botId} onChange={(e) => { setBotId(e.target.value); resetPaging(); }}>
            <option value="">All bots</option>
            {context.data?.bots.edges.map(({ node }) => <option key={node.id} value={node.id}>{node.name}</option>)}
          </Select>
        </Field>
        <Field label="Status">
          <Select value={status} onChange={(e) => { setStatus(e.target.value as Status); resetPaging(); }}>
            <option value="open">Open</option>
            <option value="handled">Handled</option>
            <option value="all">All</option>
          </Select>
        </Field>
        <Field label="Asked to be contacted">
          <Select value={wantsContact} onChange={(e) => { setWantsContact(e.target.value as '' | 'yes' | 'no'); resetPaging(); }}>
            <option value="">Either</option>
            <option value="yes">Yes</option>
            <option value="no">No</option>
          </Select>
        </Field>
        <DateRangePicker value={range} onChange={(r) => { setRange(r); resetPaging(); }} />
        <div className="ui-toolbar__end">
          <Button onClick={() => void exportCsv()}>Export CSV</Button>
        </div>
      </div>
      {pages.map((after, index) => (
        <LeadsPage
          key={after ?? 'first'}
          variables={{ ...variables, first: PAGE, after }}
          first={index === 0}
          last={index === pages.length - 1}
          onMore={(cursor) => setPages([...pages, cursor])}
          columns={columns(botName, memberEmail, toggle)}
        />
      ))}
    </div>
  );
}

function columns(botName: (id: string) => string, memberEmail: (id: string | null) => string | undefined, toggle: (lead: Lead) => Promise<void>): Column<Lead>[] {
  return [
    { header: 'Captured', cell: (l) => <span className="leads__when">{when(l.createdAt)}</span> },
    { header: 'Name', cell: (l) => (l.name ? <span className="leads__name">{l.name}</span> : <span className="ui-muted">—</span>) },
    {
      header: 'Contact details',
      cell: (l) => (
        <div className="leads__contact">
          {l.email ? <a href={`mailto:${l.email}`}>{l.email}</a> : null}
          {l.phone ? <span>{l.phone}</span> : null}
          {!l.email && !l.phone ? <span className="ui-muted">—</span> : null}
        </div>
      ),
    },
    { header: 'Bot', cell: (l) => botName(l.botId) },
    { header: 'Wants contact', cell: (l) => (l.wantsContact ? <Badge tone="accent">Yes</Badge> : <span className="ui-muted">No</span>) },
    {
      header: 'Status',
      cell: (l) => (l.handledAt
        ? <span className="leads__handled" title={`Handled ${when(l.handledAt)}`}><Badge tone="success">Handled</Badge><span className="ui-muted">{memberEmail(l.handledByUserId) ?? (l.handledByApiKeyId ? 'by an API key' : '')}</span></span>
        : <Badge tone="warning">Open</Badge>),
    },
    {
      header: 'Actions', hiddenHeader: true,
      cell: (l) => (
        <div className="leads__actions">
          <Link href={`~/console/conversations/${l.conversationId}`} aria-label={`Open the conversation of ${l.name ?? l.email ?? 'the lead'}`}>Open</Link>
          <Button size="small" onClick={() => void toggle(l)} aria-label={`${l.handledAt ? 'Reopen' : 'Mark handled'}: ${l.name ?? l.email ?? 'lead'}`}>
            {l.handledAt ? 'Reopen' : 'Mark handled'}
          </Button>
        </div>
      ),
    },
  ];
}

function LeadsPage({ variables, first, last, onMore, columns: cols }: {
  variables: Record<string, unknown>;
  first: boolean;
  last: boolean;
  onMore: (cursor: string) => void;
  columns: Column<Lead>[];
}) {
  const [{ data, error, fetching }] = useQuery<LeadPage>({ query: LEADS_QUERY, variables, context: useMemo(() => ({ additionalTypenames: ['Lead'] }), []) });
  if (error) return <p className="ui-error" role="alert">{error.graphQLErrors[0]?.message ?? error.message}</p>;
  if (!data) return fetching ? <p className="ui-muted" role="status">Loading leads…</p> : null;
  const leads = data.leads.edges.map((e) => e.node);
  if (first && leads.length === 0) return <EmptyState title="No leads match">Change the filters or the period.</EmptyState>;
  return (
    <>
      {first ? <p className="ui-muted" data-testid="leads-count">{data.leads.totalCount} leads</p> : null}
      <Table caption="Leads" captionHidden columns={cols} rows={leads} rowKey={(l) => l.id} />
      {last && data.leads.pageInfo.hasNextPage && data.leads.pageInfo.endCursor ? (
        <div className="ui-row leads__more">
          <Button onClick={() => onMore(data.leads.pageInfo.endCursor!)}>Load more</Button>
        </div>
      ) : null}
    </>
  );
}
