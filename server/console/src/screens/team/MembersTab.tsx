import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ALL_ROLES, roleLabel, type MemberRole } from '../../app/roles.ts';
import { useViewer } from '../../app/viewer.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Field, Input, Select } from '../../ui/Field.tsx';
import { Table } from '../../ui/Table.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { errorText, when } from './errors.ts';
import { INVITATIONS, INVITE, MEMBERS, REMOVE, REVOKE_INVITATION, UPDATE_ROLE } from './operations.ts';


interface Member {
  userId: string;
  email: string;
  role: MemberRole;
  createdAt: string;
}
interface Invitation {
  id: string;
  email: string;
  role: MemberRole;
  expiresAt: string;
}

/**
 * Members with their roles, and pending invitations. An invitation's link exists only in inviteMember's answer
 * (the server keeps a hash): the links of invitations sent from this tab are shown until the page is left.
 */
export function MembersTab() {
  const viewer = useViewer();
  const notify = useToast();
  const context = useMemo(() => ({ additionalTypenames: ['Member'] }), []);
  const [{ data, error }] = useQuery<{ members: { totalCount: number; edges: { node: Member }[] } }>({ query: MEMBERS, context, requestPolicy: 'cache-and-network' });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('AGENT');
  const invitationsContext = useMemo(() => ({ additionalTypenames: ['Invitation'] }), []);
  const [invitations] = useQuery<{ invitations: { totalCount: number; edges: { node: Invitation }[] } }>({
    query: INVITATIONS, context: invitationsContext, requestPolicy: 'cache-and-network',
  });
  const [links, setLinks] = useState<Record<string, string>>({});
  const [, revokeInvitation] = useMutation(REVOKE_INVITATION);
  const [inviting, invite] = useMutation(INVITE);
  const [, updateRole] = useMutation(UPDATE_ROLE);
  const [, remove] = useMutation(REMOVE);

  const submit = async () => {
    const result = await invite({ input: { email: email.trim(), role } }, invitationsContext);
    if (result.error) return notify(errorText(result.error), 'danger');
    const { invitation, inviteUrl } = result.data.inviteMember;
    setLinks({ ...links, [invitation.id]: inviteUrl });
    setEmail('');
    notify(`Invitation sent to ${invitation.email}.`, 'success');
  };
  const changeRole = async (member: Member, next: MemberRole) => {
    const result = await updateRole({ userId: member.userId, role: next }, context);
    if (result.error) notify(errorText(result.error), 'danger');
    else notify(`${member.email} is now ${roleLabel(next).toLowerCase()}.`, 'success');
  };
  const withdraw = async (invitation: Invitation) => {
    if (!window.confirm(`Withdraw the invitation of ${invitation.email}? Its link stops working.`)) return;
    const result = await revokeInvitation({ id: invitation.id }, invitationsContext);
    if (result.error) notify(errorText(result.error), 'danger');
    else notify(`The invitation of ${invitation.email} was withdrawn.`, 'success');
  };
  const removeMember = async (member: Member) => {
    if (!window.confirm(`Remove ${member.email} from the team? They lose access at once.`)) return;
    const result = await remove({ userId: member.userId }, context);
    if (result.error) notify(errorText(result.error), 'danger');
    else notify(`${member.email} was removed.`, 'success');
  };

  return (
    <div className="ui-stack">
      <form className="team__form" onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-label="Invite a member">
        <Field label="E-mail"><Input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} placeholder="name@company.com" /></Field>
        <Field label="Role">
          <Select value={role} onChange={(e) => setRole(e.target.value as MemberRole)}>
            {ALL_ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
          </Select>
        </Field>
        <Button type="submit" variant="primary" disabled={inviting.fetching || !email.trim()}>Invite</Button>
      </form>
      {invitations.data?.invitations.edges.length ? (
        <Table
          caption={`Pending invitations (${invitations.data.invitations.totalCount})`}
          columns={[
            { header: 'E-mail', cell: (i) => i.email },
            { header: 'Role', cell: (i) => <Badge>{roleLabel(i.role)}</Badge> },
            { header: 'Expires', cell: (i) => when(i.expiresAt) },
            {
              header: 'Link to pass on',
              cell: (i) => (links[i.id] ? <span className="ui-secret" data-testid="invite-url">{links[i.id]}</span> : <span className="ui-muted">Shown only when sent</span>),
            },
            { header: 'Actions', hiddenHeader: true, cell: (i) => <Button size="small" variant="danger" onClick={() => void withdraw(i)} aria-label={`Withdraw the invitation of ${i.email}`}>Withdraw</Button> },
          ]}
          rows={invitations.data.invitations.edges.map((e) => e.node)}
          rowKey={(i) => i.id}
        />
      ) : null}
      {error ? <p className="ui-error" role="alert">{errorText(error)}</p> : null}
      {data ? (
        <Table
          caption={`Members (${data.members.totalCount})`}
          columns={[
            { header: 'E-mail', cell: (m) => <>{m.email}{m.userId === viewer.user.id ? <> <Badge tone="info">You</Badge></> : null}</> },
            {
              header: 'Role',
              cell: (m) => (m.userId === viewer.user.id ? roleLabel(m.role) : (
                <Select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => void changeRole(m, e.target.value as MemberRole)}>
                  {ALL_ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
                </Select>
              )),
            },
            { header: 'Joined', cell: (m) => when(m.createdAt) },
            {
              header: 'Actions', hiddenHeader: true,
              cell: (m) => (m.userId === viewer.user.id ? null : <Button size="small" variant="danger" onClick={() => void removeMember(m)} aria-label={`Remove ${m.email}`}>Remove</Button>),
            },
          ]}
          rows={data.members.edges.map((e) => e.node)}
          rowKey={(m) => m.userId}
        />
      ) : null}
    </div>
  );
}
