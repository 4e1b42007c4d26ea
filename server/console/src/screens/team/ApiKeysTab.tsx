import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field, Input } from '../../ui/Field.tsx';
import { Table } from '../../ui/Table.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { errorText, when } from './errors.ts';
import { CREATE_API_KEY, API_KEYS, REVOKE_API_KEY } from './operations.ts';


/** The API's scopes (ApiKeyScope) with what each lets a key do. */
const SCOPES = [
  { scope: 'READ', label: 'Read', hint: 'bots, conversations, usage' },
  { scope: 'WRITE', label: 'Write', hint: 'bots, knowledge, webhooks' },
  { scope: 'PUBLISH', label: 'Publish', hint: 'publish bots' },
  { scope: 'ANALYTICS', label: 'Analytics', hint: 'reports and exports' },
  { scope: 'LEADS_READ', label: 'Leads', hint: "visitors' contact details" },
  { scope: 'CONVERSATIONS_HANDLE', label: 'Handle conversations', hint: 'take over as an integration' },
] as const;

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** API keys: created with scopes, the secret shown once, revoked (effective within a second), last use. */
export function ApiKeysTab() {
  const notify = useToast();
  const context = useMemo(() => ({ additionalTypenames: ['ApiKey'] }), []);
  const [{ data, error }] = useQuery<{ apiKeys: { edges: { node: ApiKey }[] } }>({ query: API_KEYS, context, requestPolicy: 'cache-and-network' });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['READ']);
  const [secret, setSecret] = useState<{ name: string; value: string }>();
  const [creating, create] = useMutation(CREATE_API_KEY);
  const [, revoke] = useMutation(REVOKE_API_KEY);

  const submit = async () => {
    const result = await create({ input: { name: name.trim(), scopes } }, context);
    if (result.error) return notify(errorText(result.error), 'danger');
    setSecret({ name: result.data.createApiKey.apiKey.name, value: result.data.createApiKey.secret });
    setName('');
  };
  const revokeKey = async (key: ApiKey) => {
    if (!window.confirm(`Revoke "${key.name}"? Integrations using it stop working within a second.`)) return;
    const result = await revoke({ id: key.id }, context);
    if (result.error) notify(errorText(result.error), 'danger');
    else notify(`"${key.name}" was revoked.`, 'success');
  };

  return (
    <div className="ui-stack">
      <form className="team__form" onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-label="Create an API key">
        <Field label="Name"><Input required value={name} onChange={(e) => setName(e.target.value)} placeholder="CRM sync" /></Field>
        <fieldset className="team__scopes">
          <legend>Scopes</legend>
          {SCOPES.map(({ scope, label, hint }) => (
            <label key={scope} title={hint}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <Button type="submit" variant="primary" disabled={creating.fetching || !name.trim() || scopes.length === 0}>Create key</Button>
      </form>
      {error ? <p className="ui-error" role="alert">{errorText(error)}</p> : null}
      {data ? (
        <Table
          caption="API keys"
          columns={[
            { header: 'Name', cell: (k) => k.name },
            { header: 'Key', cell: (k) => <span className="ui-mono">{k.prefix}…</span> },
            { header: 'Scopes', cell: (k) => <span className="ui-row">{k.scopes.map((s) => <Badge key={s}>{s.toLowerCase().replace('_', ' ')}</Badge>)}</span> },
            { header: 'Created', cell: (k) => when(k.createdAt) },
            { header: 'Last used', cell: (k) => <span data-testid="key-last-used">{k.lastUsedAt ? when(k.lastUsedAt) : 'Never'}</span> },
            {
              header: 'Status',
              cell: (k) => (k.revokedAt
                ? <Badge tone="danger">Revoked {when(k.revokedAt)}</Badge>
                : <Button size="small" variant="danger" onClick={() => void revokeKey(k)} aria-label={`Revoke ${k.name}`}>Revoke</Button>),
            },
          ]}
          rows={data.apiKeys.edges.map((e) => e.node)}
          rowKey={(k) => k.id}
        />
      ) : null}
      <Dialog
        open={secret !== undefined}
        title="Copy the key now"
        onClose={() => setSecret(undefined)}
        footer={<Button variant="primary" onClick={() => setSecret(undefined)}>I have copied it</Button>}
      >
        <p>This is the only time the secret of &quot;{secret?.name}&quot; is shown. Store it in your integration&apos;s secret store.</p>
        <code className="ui-secret" data-testid="api-key-secret">{secret?.value}</code>
      </Dialog>
    </div>
  );
}
