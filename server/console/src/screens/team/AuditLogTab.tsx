import { useState } from 'react';
import { useQuery } from 'urql';
import { Button } from '../../ui/Button.tsx';
import { Table } from '../../ui/Table.tsx';
import { errorText, when } from './errors.ts';
import { AUDIT, MEMBER_EMAILS } from './operations.ts';


interface AuditEvent {
  id: string;
  action: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  createdAt: string;
}
interface AuditPage {
  auditLog: { totalCount: number; edges: { node: AuditEvent }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** The tenant's security-relevant actions, newest first, 30 at a time. */
export function AuditLogTab() {
  const [pages, setPages] = useState<(string | null)[]>([null]);
  return (
    <div className="ui-stack">
      {pages.map((after, index) => (
        <AuditPageView key={after ?? 'first'} after={after} last={index === pages.length - 1} onMore={(cursor) => setPages([...pages, cursor])} />
      ))}
    </div>
  );
}

function AuditPageView({ after, last, onMore }: { after: string | null; last: boolean; onMore: (cursor: string) => void }) {
  const [{ data, error }] = useQuery<AuditPage>({ query: AUDIT, variables: { after }, requestPolicy: 'cache-and-network' });
  const [members] = useQuery<{ members: { edges: { node: { userId: string; email: string } }[] } }>({ query: MEMBER_EMAILS });
  if (error) return <p className="ui-error" role="alert">{errorText(error)}</p>;
  if (!data) return <p className="ui-muted" role="status">Loading…</p>;
  const emails = new Map(members.data?.members.edges.map((e) => [e.node.userId, e.node.email]) ?? []);
  const actor = (event: AuditEvent) => (event.actorType === 'user' && event.actorId ? (emails.get(event.actorId) ?? 'a former member') : event.actorType.replace('_', ' '));
  return (
    <>
      <Table
        caption={after ? 'Audit log, older entries' : `Audit log (${data.auditLog.totalCount} entries)`}
        captionHidden={Boolean(after)}
        columns={[
          { header: 'When', cell: (e) => <span className="ui-mono">{when(e.createdAt)}</span>, width: '140px' },
          { header: 'Action', cell: (e) => <span className="ui-mono">{e.action}</span> },
          { header: 'By', cell: actor },
          { header: 'On', cell: (e) => (e.targetType ? <>{e.targetType.replace('_', ' ')} <span className="ui-mono ui-muted">{e.targetId?.slice(0, 8)}</span></> : '—') },
          { header: 'IP', cell: (e) => e.ip ?? '—' },
        ]}
        rows={data.auditLog.edges.map((e) => e.node)}
        rowKey={(e) => e.id}
      />
      {last && data.auditLog.pageInfo.hasNextPage && data.auditLog.pageInfo.endCursor ? (
        <div className="ui-row"><Button onClick={() => onMore(data.auditLog.pageInfo.endCursor!)}>Older entries</Button></div>
      ) : null}
    </>
  );
}
