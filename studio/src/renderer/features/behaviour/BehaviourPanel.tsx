import { MAX_PROVIDERS, OFFER_HUMAN_MODES, PROVIDER_KINDS, privacyOf, type BotBundle, type OfferHumanMode, type ProviderEntry, type ProviderKind } from '@mascot/bot-bundle';
import { Choice, Field, NumberField, Toggle } from '../../ui/Field.tsx';
import { DEFAULT_MODELS, OFFER_HUMAN_LABELS, PROVIDER_LABELS } from '../../ui/labels.ts';
import type { BundleEditor } from '../../ui/use-bundle-draft.ts';
import { BusinessHoursEditor } from './BusinessHoursEditor.tsx';

function ProviderRow({ entry, index, count, errorAt, onChange, onMove, onRemove }: {
  entry: ProviderEntry;
  index: number;
  count: number;
  errorAt: (path: string) => string | undefined;
  onChange: (next: ProviderEntry) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const at = (field: string) => errorAt(`providers.${index}.${field}`);
  const role = index === 0 ? 'Answers first' : `Fallback ${index}`;
  const setOptional = (key: 'temperature' | 'maxOutputTokens', value: number) => {
    const { [key]: _old, ...rest } = entry;
    onChange(Number.isNaN(value) ? rest : { ...rest, [key]: value });
  };
  return (
    <li className="provider card" aria-label={`Provider ${index + 1}`}>
      <div className="provider-head">
        <strong>{index + 1}. {role}</strong>
        <span className="row">
          <button type="button" className="button ghost" aria-label={`Move provider ${index + 1} up`} disabled={index === 0} onClick={() => onMove(-1)}>↑</button>
          <button type="button" className="button ghost" aria-label={`Move provider ${index + 1} down`} disabled={index === count - 1} onClick={() => onMove(1)}>↓</button>
          <button type="button" className="button ghost danger" aria-label={`Remove provider ${index + 1}`} disabled={count === 1} onClick={onRemove}>Remove</button>
        </span>
      </div>
      <div className="grid">
        <Field label={`Service ${index + 1}`} error={at('provider')}>
          {(props) => (
            <select {...props} value={entry.provider} onChange={(e) => {
              const provider = e.target.value as ProviderKind;
              // A new service starts from its usual model; the base URL belongs to compatible endpoints only.
              const { baseUrl: _old, ...rest } = entry;
              onChange({ ...rest, provider, model: DEFAULT_MODELS[provider], ...(provider === 'openai-compatible' ? { baseUrl: '' } : {}) });
            }}>
              {PROVIDER_KINDS.map((kind) => <option key={kind} value={kind}>{PROVIDER_LABELS[kind]}</option>)}
            </select>
          )}
        </Field>
        <Field label={`Model ${index + 1}`} error={at('model')}>
          {(props) => <input {...props} value={entry.model} spellCheck={false} maxLength={100} onChange={(e) => onChange({ ...entry, model: e.target.value })} />}
        </Field>
        {entry.provider === 'openai-compatible' && (
          <Field label={`Endpoint URL ${index + 1}`} error={at('baseUrl')} hint="The API key stays on the server, in the tenant’s settings.">
            {(props) => <input {...props} type="url" value={entry.baseUrl ?? ''} placeholder="https://llm.example.com/v1" onChange={(e) => onChange({ ...entry, baseUrl: e.target.value })} />}
          </Field>
        )}
        {entry.provider !== 'offline' && (
          <>
            <NumberField label={`Temperature ${index + 1}`} min={0} max={2} value={entry.temperature ?? Number.NaN} error={at('temperature')}
              hint="Empty: the provider’s default." onChange={(v) => setOptional('temperature', v)} />
            <NumberField label={`Longest answer ${index + 1}`} unit="tokens" min={1} max={8192} value={entry.maxOutputTokens ?? Number.NaN}
              error={at('maxOutputTokens')} onChange={(v) => setOptional('maxOutputTokens', v)} />
          </>
        )}
      </div>
    </li>
  );
}

export function BehaviourPanel({ editor }: { editor: BundleEditor }) {
  const { draft, edit, errorAt } = editor;
  const providers = draft.providers;
  const setProviders = (change: (list: ProviderEntry[]) => ProviderEntry[]) => edit((b: BotBundle) => ({ ...b, providers: change(b.providers) }));
  const move = (index: number, by: -1 | 1) =>
    setProviders((list) => {
      const next = [...list];
      [next[index], next[index + by]] = [next[index + by]!, next[index]!];
      return next;
    });

  return (
    <form className="editor" aria-label="Behaviour" onSubmit={(e) => e.preventDefault()}>
      <section className="card">
        <h2>Who answers</h2>
        <p className="hint">The first service answers; when it fails, the next one takes over. Offline answers from the knowledge alone, with no AI and no key.</p>
        {errorAt('providers') && <p className="field-error">{errorAt('providers')}</p>}
        <ol className="providers" aria-label="Provider chain">
          {providers.map((entry, index) => (
            <ProviderRow key={index} entry={entry} index={index} count={providers.length} errorAt={errorAt}
              onChange={(next) => setProviders((list) => list.map((e, i) => (i === index ? next : e)))}
              onMove={(by) => move(index, by)}
              onRemove={() => setProviders((list) => list.filter((_, i) => i !== index))} />
          ))}
        </ol>
        <button type="button" className="button" disabled={providers.length >= MAX_PROVIDERS}
          onClick={() => setProviders((list) => [...list, { provider: 'offline', model: DEFAULT_MODELS.offline }])}>
          Add a fallback
        </button>
      </section>
      <section className="card">
        <h2>Privacy</h2>
        <Toggle label="Redact personal data before it reaches an AI service or a log" checked={privacyOf(draft).redactPii}
          hint="E-mail addresses, phone numbers, card numbers and IBANs become placeholders; the stored conversation keeps what was written."
          onChange={(redactPii) => edit((b) => ({ ...b, privacy: { redactPii } }))} />
      </section>
      <section className="card">
        <h2>Handoff to a person</h2>
        <Choice<OfferHumanMode> label="Offer a human" value={draft.personality.offerHuman} options={OFFER_HUMAN_MODES} labels={OFFER_HUMAN_LABELS}
          error={errorAt('personality.offerHuman')} onChange={(offerHuman) => edit((b) => ({ ...b, personality: { ...b.personality, offerHuman } }))} />
      </section>
      <BusinessHoursEditor editor={editor} />
    </form>
  );
}
