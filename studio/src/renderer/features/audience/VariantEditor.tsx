import { BOT_TONES, type BotBundle, type BotTone, type BotVariant, type BundleChange } from '@mascot/bot-bundle';
import { Field, NumberField } from '../../ui/Field.tsx';
import { TONE_LABELS } from '../../ui/labels.ts';
import { languageName, languageOptions } from '../../ui/languages.ts';

const shown = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** One A/B arm: id, weight (with the share of visitors it means) and what it changes, with its diff against the bot. */
export function VariantEditor({ index, variant, share, base, changes, errorAt, onChange, onRemove }: {
  index: number;
  variant: BotVariant;
  share: number;
  base: BotBundle;
  changes: BundleChange[];
  errorAt: (path: string) => string | undefined;
  onChange: (next: BotVariant) => void;
  onRemove: () => void;
}) {
  const at = (field: string) => errorAt(`variants.${index}.${field}`);
  const personality = variant.personality ?? {};
  const setOverride = (key: 'tone' | 'language', value: string) => {
    const { [key]: _dropped, ...rest } = personality;
    const next = value === '' ? rest : { ...rest, [key]: value };
    const { personality: _old, ...withoutPersonality } = variant;
    onChange(Object.keys(next).length === 0 ? withoutPersonality : { ...variant, personality: next });
  };
  const label = `Variant ${variant.id || index + 1}`;
  return (
    <fieldset className="variant card" aria-label={label}>
      <legend>{label}</legend>
      <div className="grid">
        <Field label="Variant id" error={at('id')} hint="Analytics group conversations by it; keep it once published.">
          {(props) => <input {...props} value={variant.id} maxLength={40} spellCheck={false} onChange={(e) => onChange({ ...variant, id: e.target.value })} />}
        </Field>
        <NumberField label="Weight" min={1} max={100} value={variant.weight} error={at('weight')}
          hint={<span data-testid={`share-${index}`}>{Math.round(share * 100)}% of visitors</span>}
          onChange={(weight) => onChange({ ...variant, weight })} />
        <Field label="Greeting" hint="Empty: the bot’s greeting." error={at('greeting')}>
          {(props) => (
            <input {...props} value={variant.greeting ?? ''} placeholder={base.personality.greeting} maxLength={500}
              onChange={(e) => {
                const { greeting: _old, ...rest } = variant;
                onChange(e.target.value === '' ? rest : { ...variant, greeting: e.target.value });
              }} />
          )}
        </Field>
        <Field label="Tone" error={at('personality.tone')}>
          {(props) => (
            <select {...props} value={personality.tone ?? ''} onChange={(e) => setOverride('tone', e.target.value as BotTone | '')}>
              <option value="">Same as the bot ({TONE_LABELS[base.personality.tone]})</option>
              {BOT_TONES.map((tone) => <option key={tone} value={tone}>{TONE_LABELS[tone]}</option>)}
            </select>
          )}
        </Field>
        <Field label="Language" error={at('personality.language')}>
          {(props) => (
            <select {...props} value={personality.language ?? ''} onChange={(e) => setOverride('language', e.target.value)}>
              <option value="">Same as the bot ({languageName(base.personality.language)})</option>
              {languageOptions(personality.language ?? '').map((o) => <option key={o.tag} value={o.tag}>{o.name}</option>)}
            </select>
          )}
        </Field>
      </div>
      <table className="table compact" aria-label={`What ${label} changes`}>
        <thead><tr><th scope="col">Setting</th><th scope="col">Bot</th><th scope="col">This variant</th></tr></thead>
        <tbody>
          {changes.length === 0 && <tr><td colSpan={3} className="muted">No changes: a control arm.</td></tr>}
          {changes.map((c) => (
            <tr key={c.path}><td><code>{c.path}</code></td><td>{shown(c.before)}</td><td>{shown(c.after)}</td></tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button danger" onClick={onRemove}>Remove {label}</button>
    </fieldset>
  );
}
