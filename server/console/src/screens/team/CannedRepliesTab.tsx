import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Button } from '../../ui/Button.tsx';
import { Field, Input, TextArea } from '../../ui/Field.tsx';
import { Table } from '../../ui/Table.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { CANNED_REPLIES, type CannedReply } from '../inbox/operations.ts';
import { errorText } from './errors.ts';
import { CREATE_CANNED_REPLY, DELETE_CANNED_REPLY, UPDATE_CANNED_REPLY } from './operations.ts';

const EMPTY = { shortcut: '', text: '' };

/** The team's canned replies: agents insert them in the Inbox by typing / and the shortcut. Owners and admins keep them. */
export function CannedRepliesTab() {
  const notify = useToast();
  const context = useMemo(() => ({ additionalTypenames: ['CannedReply'] }), []);
  const [{ data, error }] = useQuery<{ cannedReplies: CannedReply[] }>({ query: CANNED_REPLIES, context, requestPolicy: 'cache-and-network' });
  const [draft, setDraft] = useState(EMPTY);
  const [editing, setEditing] = useState<CannedReply>();
  const [creating, create] = useMutation(CREATE_CANNED_REPLY);
  const [updating, update] = useMutation(UPDATE_CANNED_REPLY);
  const [, remove] = useMutation(DELETE_CANNED_REPLY);

  const submit = async () => {
    const input = { shortcut: draft.shortcut.trim().replace(/^\//, ''), text: draft.text.trim() };
    const result = editing ? await update({ id: editing.id, input }, context) : await create({ input }, context);
    if (result.error) return notify(errorText(result.error), 'danger');
    notify(editing ? `/${input.shortcut.toLowerCase()} was saved.` : `/${input.shortcut.toLowerCase()} was added.`, 'success');
    setDraft(EMPTY);
    setEditing(undefined);
  };
  const startEditing = (reply: CannedReply) => {
    setEditing(reply);
    setDraft({ shortcut: reply.shortcut, text: reply.text });
  };
  const deleteReply = async (reply: CannedReply) => {
    if (!window.confirm(`Delete /${reply.shortcut}?`)) return;
    const result = await remove({ id: reply.id }, context);
    if (result.error) notify(errorText(result.error), 'danger');
    else notify(`/${reply.shortcut} was deleted.`, 'success');
  };

  return (
    <div className="ui-stack">
      <form className="team__form" onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-label={editing ? `Edit /${editing.shortcut}` : 'Add a canned reply'}>
        <Field label="Shortcut" hint="Agents type / and this; a-z, 0-9, _ and -.">
          <Input required maxLength={33} value={draft.shortcut} onChange={(e) => setDraft({ ...draft, shortcut: e.target.value })} placeholder="greeting" />
        </Field>
        <Field label="Reply text" className="team__grow">
          <TextArea required rows={2} maxLength={2000} value={draft.text} onChange={(e) => setDraft({ ...draft, text: e.target.value })} placeholder="Hi! Thanks for waiting — how can I help?" />
        </Field>
        <Button type="submit" variant="primary" disabled={creating.fetching || updating.fetching || !draft.shortcut.trim() || !draft.text.trim()}>
          {editing ? 'Save changes' : 'Add reply'}
        </Button>
        {editing ? <Button onClick={() => { setEditing(undefined); setDraft(EMPTY); }}>Cancel</Button> : null}
      </form>
      {error ? <p className="ui-error" role="alert">{errorText(error)}</p> : null}
      {data && data.cannedReplies.length === 0 ? <p className="team__muted">No canned replies yet. Add the answers your team gives most.</p> : null}
      {data && data.cannedReplies.length ? (
        <Table
          caption="Canned replies"
          columns={[
            { header: 'Shortcut', cell: (r) => <span className="ui-mono">/{r.shortcut}</span>, width: '160px' },
            { header: 'Text', cell: (r) => r.text },
            {
              header: 'Actions',
              hiddenHeader: true,
              width: '170px',
              cell: (r) => (
                <span className="ui-row">
                  <Button size="small" onClick={() => startEditing(r)} aria-label={`Edit /${r.shortcut}`}>Edit</Button>
                  <Button size="small" variant="danger" onClick={() => void deleteReply(r)} aria-label={`Delete /${r.shortcut}`}>Delete</Button>
                </span>
              ),
            },
          ]}
          rows={data.cannedReplies}
          rowKey={(r) => r.id}
        />
      ) : null}
    </div>
  );
}
