import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Badge, type BadgeTone } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Field, Input } from '../../ui/Field.tsx';
import { Table } from '../../ui/Table.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { errorText, when } from './errors.ts';
import { WEBHOOK_ATTEMPTS, CREATE_WEBHOOK, DELETE_WEBHOOK, WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINTS, REPLAY_DELIVERY, ROTATE_WEBHOOK_SECRET, TEST_WEBHOOK, UPDATE_WEBHOOK } from './operations.ts';


/** WebhookEventType, as the API names them, without the test event (the "Send test event" button sends it). */
const EVENT_TYPES = ['CONVERSATION_STARTED', 'MESSAGE_CREATED', 'REPLY_COMPLETED', 'HANDOFF_REQUESTED', 'LEAD_CAPTURED', 'FEEDBACK_SUBMITTED', 'BOT_PUBLISHED', 'KNOWLEDGE_INGESTED'];
const eventLabel = (type: string) => type.toLowerCase().replace(/_/g, '.');
/** Deliveries are retried in the background; while one is pending the list is read again this often. */
const PENDING_REFRESH_MS = 2000;

interface Endpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  activeSecrets: number;
  createdAt: string;
}
interface Delivery {
  id: string;
  eventType: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
const STATUS_TONE: Record<Delivery['status'], BadgeTone> = { PENDING: 'info', DELIVERED: 'success', FAILED: 'danger' };

/** Webhook endpoints (Standard Webhooks): create, test, rotate the secret, and follow each delivery's attempts. */
export function WebhooksTab() {
  const notify = useToast();
  const context = useMemo(() => ({ additionalTypenames: ['WebhookEndpoint'] }), []);
  const [{ data, error }] = useQuery<{ webhookEndpoints: { edges: { node: Endpoint }[] } }>({ query: WEBHOOK_ENDPOINTS, context, requestPolicy: 'cache-and-network' });
  const endpoints = data?.webhookEndpoints.edges.map((e) => e.node) ?? [];
  const [selectedId, setSelectedId] = useState<string>();
  const selected = endpoints.find((e) => e.id === selectedId) ?? endpoints[0];
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['LEAD_CAPTURED', 'HANDOFF_REQUESTED']);
  const [secret, setSecret] = useState<{ title: string; value: string }>();
  const [creating, create] = useMutation(CREATE_WEBHOOK);

  const submit = async () => {
    const result = await create({ input: { url: url.trim(), eventTypes: events } }, context);
    if (result.error) return notify(errorText(result.error), 'danger');
    setSecret({ title: 'Endpoint created', value: result.data.createWebhookEndpoint.secret });
    setSelectedId(result.data.createWebhookEndpoint.endpoint.id);
    setUrl('');
  };

  return (
    <div className="ui-stack">
      <form className="team__form" onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-label="Add a webhook endpoint">
        <Field label="Endpoint URL" hint="https://; private addresses are refused unless the operator allows them.">
          <Input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/mascot" />
        </Field>
        <fieldset className="team__scopes">
          <legend>Events</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type}>
              <input type="checkbox" checked={events.includes(type)} onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((t) => t !== type))} />
              {eventLabel(type)}
            </label>
          ))}
        </fieldset>
        <Button type="submit" variant="primary" disabled={creating.fetching || !url.trim() || events.length === 0}>Add endpoint</Button>
      </form>
      {error ? <p className="ui-error" role="alert">{errorText(error)}</p> : null}
      {data && endpoints.length === 0 ? <EmptyState title="No webhook endpoints">Add one to hear about leads, handoffs and replies as they happen.</EmptyState> : null}
      {selected ? (
        <div className="team__split">
          <div>
            <h3>Endpoints</h3>
            <Table
              caption="Webhook endpoints"
              captionHidden
              columns={[
                { header: 'URL', cell: (e) => <span className="ui-mono">{e.url}</span> },
                { header: 'Events', cell: (e) => e.eventTypes.length },
                { header: 'State', cell: (e) => (e.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="danger" title={e.disabledReason ?? undefined}>Disabled</Badge>) },
              ]}
              rows={endpoints}
              rowKey={(e) => e.id}
              rowLabel={(e) => `Webhook endpoint ${e.url}`}
              onRowActivate={(e) => setSelectedId(e.id)}
              selectedKey={selected.id}
            />
          </div>
          <EndpointDetail key={selected.id} endpoint={selected} onSecret={(value) => setSecret({ title: 'New signing secret', value })} />
        </div>
      ) : null}
      <Dialog
        open={secret !== undefined}
        title={secret?.title ?? ''}
        onClose={() => setSecret(undefined)}
        footer={<Button variant="primary" onClick={() => setSecret(undefined)}>I have copied it</Button>}
      >
        <p>Verify deliveries with this secret (any Standard Webhooks library). It is shown only now.</p>
        <code className="ui-secret" data-testid="webhook-secret">{secret?.value}</code>
      </Dialog>
    </div>
  );
}

function EndpointDetail({ endpoint, onSecret }: { endpoint: Endpoint; onSecret: (secret: string) => void }) {
  const notify = useToast();
  const [deliveries, refetch] = useQuery<{ webhookDeliveries: { edges: { node: Delivery }[] } }>({
    query: WEBHOOK_DELIVERIES, variables: { endpointId: endpoint.id }, requestPolicy: 'cache-and-network',
  });
  const rows = deliveries.data?.webhookDeliveries.edges.map((e) => e.node) ?? [];
  const pending = rows.some((d) => d.status === 'PENDING');
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), PENDING_REFRESH_MS);
    return () => clearInterval(timer);
  }, [pending, refetch]);
  const [openAttempts, setOpenAttempts] = useState<string>();
  const [, update] = useMutation(UPDATE_WEBHOOK);
  const [, remove] = useMutation(DELETE_WEBHOOK);
  const [testing, test] = useMutation(TEST_WEBHOOK);
  const [, rotate] = useMutation(ROTATE_WEBHOOK_SECRET);
  const [, replay] = useMutation(REPLAY_DELIVERY);
  const endpointsContext = { additionalTypenames: ['WebhookEndpoint'] };

  const sendTest = async () => {
    const result = await test({ endpointId: endpoint.id });
    if (result.error) return notify(errorText(result.error), 'danger');
    notify('Test event queued.', 'success');
    refetch({ requestPolicy: 'network-only' });
  };
  const rotateSecret = async () => {
    const result = await rotate({ id: endpoint.id }, endpointsContext);
    if (result.error) return notify(errorText(result.error), 'danger');
    onSecret(result.data.rotateWebhookSecret.secret);
  };
  const toggle = async () => {
    const result = await update({ id: endpoint.id, input: { enabled: !endpoint.enabled } }, endpointsContext);
    if (result.error) notify(errorText(result.error), 'danger');
  };
  const deleteEndpoint = async () => {
    if (!window.confirm(`Delete the endpoint ${endpoint.url}? It receives nothing more.`)) return;
    const result = await remove({ id: endpoint.id }, endpointsContext);
    if (result.error) notify(errorText(result.error), 'danger');
  };
  const replayDelivery = async (delivery: Delivery) => {
    const result = await replay({ deliveryId: delivery.id });
    if (result.error) return notify(errorText(result.error), 'danger');
    notify('Delivery queued again.', 'success');
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <section className="ui-card" aria-labelledby="endpoint-title">
      <h3 id="endpoint-title" className="ui-mono">{endpoint.url}</h3>
      <p className="ui-muted">
        {endpoint.eventTypes.map(eventLabel).join(', ')} · {endpoint.activeSecrets === 2 ? 'two secrets sign during the rotation overlap' : 'one signing secret'}
        {endpoint.disabledReason ? ` · disabled: ${endpoint.disabledReason}` : ''}
      </p>
      <div className="ui-row">
        <Button variant="primary" onClick={() => void sendTest()} disabled={testing.fetching || !endpoint.enabled}>Send test event</Button>
        <Button onClick={() => void rotateSecret()}>Rotate secret</Button>
        <Button onClick={() => void toggle()}>{endpoint.enabled ? 'Disable' : 'Enable'}</Button>
        <Button variant="danger" onClick={() => void deleteEndpoint()}>Delete</Button>
      </div>
      <h3 className="team__deliveries-title">Recent deliveries</h3>
      {rows.length === 0 ? <p className="ui-muted">No deliveries yet.</p> : (
        <Table
          caption="Recent deliveries"
          captionHidden
          columns={[
            { header: 'Event', cell: (d) => eventLabel(d.eventType) },
            { header: 'Status', cell: (d) => <span data-testid="delivery-status"><Badge tone={STATUS_TONE[d.status]}>{d.status.toLowerCase()}</Badge></span> },
            { header: 'Attempts', cell: (d) => <Button size="small" variant="ghost" aria-expanded={openAttempts === d.id} onClick={() => setOpenAttempts(openAttempts === d.id ? undefined : d.id)}>{d.attempts}{d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ''}</Button> },
            { header: 'Created', cell: (d) => when(d.createdAt) },
            { header: 'Actions', hiddenHeader: true, cell: (d) => (d.status === 'PENDING' ? null : <Button size="small" onClick={() => void replayDelivery(d)} aria-label={`Replay the ${eventLabel(d.eventType)} delivery`}>Replay</Button>) },
          ]}
          rows={rows}
          rowKey={(d) => d.id}
        />
      )}
      {openAttempts ? <Attempts deliveryId={openAttempts} /> : null}
    </section>
  );
}

function Attempts({ deliveryId }: { deliveryId: string }) {
  const [{ data }] = useQuery<{ webhookAttempts: { attempt: number; createdAt: string; durationMs: number; statusCode: number | null; error: string | null }[] }>({
    query: WEBHOOK_ATTEMPTS, variables: { deliveryId }, requestPolicy: 'network-only',
  });
  if (!data) return <p className="ui-muted" role="status">Loading attempts…</p>;
  return (
    <Table
      caption="Attempts of the delivery"
      columns={[
        { header: '#', cell: (a) => a.attempt },
        { header: 'At', cell: (a) => when(a.createdAt) },
        { header: 'Answer', cell: (a) => (a.statusCode ? `HTTP ${a.statusCode}` : (a.error ?? '—')) },
        { header: 'Took', cell: (a) => `${a.durationMs} ms` },
      ]}
      rows={data.webhookAttempts}
      rowKey={(a) => String(a.attempt)}
    />
  );
}
