import { useState } from 'react';
import { useQuery } from 'urql';
import { DateRangePicker, lastDays, type DayRange } from '../../ui/DateRange.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Table } from '../../ui/Table.tsx';
import '../../ui/screens.css';
import { PLATFORM } from './operations.ts';


interface TenantRow {
  tenantId: string;
  tenantName: string;
  plan: string;
  bots: number;
  conversations: number;
  messages: number;
  uniqueVisitors: number;
  handedOffConversations: number;
  leads: number;
  costUsd: number;
}

const count = (n: number) => new Intl.NumberFormat('en-GB').format(n);

/**
 * Platform admins (operators of this installation): every tenant with activity or AI spend in the period, its
 * plan and totals. Checked on the server on every call (isPlatformAdmin in the database); API keys never qualify.
 */
export default function PlatformScreen() {
  const [range, setRange] = useState<DayRange>(() => lastDays(30));
  const [{ data, error, fetching }] = useQuery<{ platformAnalytics: { tenants: TenantRow[] } }>({ query: PLATFORM, variables: range });
  const tenants = data?.platformAnalytics.tenants ?? [];
  const total = tenants.reduce((sum, t) => sum + t.costUsd, 0);
  return (
    <div>
      <div className="page-header">
        <div>
          <h1>Platform</h1>
          <p>Every tenant of this installation with activity or AI spend in the period.</p>
        </div>
      </div>
      <div className="ui-toolbar"><DateRangePicker value={range} onChange={setRange} /></div>
      {error ? <p className="ui-error" role="alert">{error.graphQLErrors[0]?.message ?? error.message}</p> : null}
      {!data && fetching ? <p className="ui-muted" role="status">Loading…</p> : null}
      {data && tenants.length === 0 ? <EmptyState title="No tenant was active in this period" /> : null}
      {tenants.length ? (
        <>
          <p className="ui-muted" data-testid="platform-summary">{tenants.length} tenants · AI spend ${total.toFixed(2)}</p>
          <Table
            caption="Tenants"
            captionHidden
            columns={[
              { header: 'Tenant', cell: (t) => t.tenantName },
              { header: 'Plan', cell: (t) => <Badge tone={t.plan === 'free' ? 'neutral' : 'accent'}>{t.plan}</Badge> },
              { header: 'Active bots', cell: (t) => count(t.bots) },
              { header: 'Conversations', cell: (t) => count(t.conversations) },
              { header: 'Messages', cell: (t) => count(t.messages) },
              { header: 'Visitors', cell: (t) => count(t.uniqueVisitors) },
              { header: 'Handoffs', cell: (t) => count(t.handedOffConversations) },
              { header: 'Leads', cell: (t) => count(t.leads) },
              { header: 'AI spend', cell: (t) => `$${t.costUsd.toFixed(2)}` },
            ]}
            rows={tenants}
            rowKey={(t) => t.tenantId}
          />
        </>
      ) : null}
    </div>
  );
}
