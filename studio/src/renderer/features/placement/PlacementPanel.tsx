import { DEVICE_KINDS, WIDGET_POSITIONS, engagementOf, isPageIncluded, type BotBundle, type DeviceKind, type Engagement, type Placement } from '@mascot/bot-bundle';
import { useState } from 'react';
import { Choice, Field, LinesField, NumberField, Toggle } from '../../ui/Field.tsx';
import { DEVICE_LABELS, POSITION_LABELS } from '../../ui/labels.ts';
import type { BundleEditor } from '../../ui/use-bundle-draft.ts';

const PATTERN_HINT = <>One pattern per line: <code>/help/*</code> (a path on any site), <code>shop.example.com</code> (a whole site), <code>example.com/pricing</code>. <code>*</code> matches anything.</>;

/** Whether the widget would appear on `url` with this placement, in words (the loader's own rule). */
function testVerdict(placement: Placement, url: string): { shown: boolean; text: string } | null {
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
  if (!url.trim() || !URL.canParse(candidate)) return null;
  const shown = isPageIncluded(placement, candidate);
  const excluded = placement.include.length === 0 || isPageIncluded({ include: placement.include, exclude: [] }, candidate);
  if (shown) return { shown, text: 'Shown on this page' };
  return { shown, text: excluded ? 'Hidden: an excluded pattern matches' : 'Hidden: no included pattern matches' };
}

export function PlacementPanel({ editor }: { editor: BundleEditor }) {
  const { draft, edit, errorAt, errorsUnder } = editor;
  const placement = draft.placement;
  const engagement = engagementOf(draft);
  const [testUrl, setTestUrl] = useState('https://shop.example.com/help/returns');
  const set = <K extends keyof Placement>(key: K, value: Placement[K]) => edit((b) => ({ ...b, placement: { ...b.placement, [key]: value } }));
  const setTeaser = (change: Partial<Engagement['teaser']>) =>
    edit((b: BotBundle) => {
      const current = engagementOf(b);
      return { ...b, engagement: { ...current, teaser: { ...current.teaser, ...change } } };
    });
  const toggleDevice = (device: DeviceKind, on: boolean) =>
    set('devices', on ? DEVICE_KINDS.filter((d) => d === device || placement.devices.includes(d)) : placement.devices.filter((d) => d !== device));
  const verdict = testVerdict(placement, testUrl);

  return (
    <form className="editor" aria-label="Placement" onSubmit={(e) => e.preventDefault()}>
      <section className="card">
        <h2>Pages</h2>
        <div className="grid">
          <LinesField label="Show on pages" hint={<>Empty: every page. {PATTERN_HINT}</>} path="placement.include" placeholder="/help/*"
            values={placement.include} errors={errorsUnder('placement.include')} onChange={(v) => set('include', v)} />
          <LinesField label="Never on pages" path="placement.exclude" placeholder="/checkout/*"
            values={placement.exclude} errors={errorsUnder('placement.exclude')} onChange={(v) => set('exclude', v)} />
        </div>
        <div className="url-tester">
          <Field label="Test a page address">
            {(props) => <input {...props} type="url" value={testUrl} onChange={(e) => setTestUrl(e.target.value)} />}
          </Field>
          <p role="status" data-testid="url-verdict" data-shown={verdict?.shown ?? undefined} className={verdict ? (verdict.shown ? 'verdict shown' : 'verdict hidden') : 'hint'}>
            {verdict ? verdict.text : 'Type a page address to see whether the widget appears there.'}
          </p>
        </div>
      </section>
      <section className="card">
        <h2>When and where</h2>
        <div className="grid">
          <NumberField label="Delay before the launcher appears" unit="s" min={0} max={120} value={placement.delaySeconds}
            error={errorAt('placement.delaySeconds')} onChange={(v) => set('delaySeconds', v)} />
          <Choice label="Position" value={placement.position} options={WIDGET_POSITIONS} labels={POSITION_LABELS} onChange={(v) => set('position', v)} error={errorAt('placement.position')} />
        </div>
        <fieldset className="field">
          <legend>Devices</legend>
          <div className="row">
            {DEVICE_KINDS.map((device) => (
              <Toggle key={device} label={DEVICE_LABELS[device]} checked={placement.devices.includes(device)} onChange={(on) => toggleDevice(device, on)} />
            ))}
          </div>
          {errorAt('placement.devices') && <p className="field-error">{errorAt('placement.devices')}</p>}
        </fieldset>
      </section>
      <section className="card">
        <h2>Teaser</h2>
        <Toggle label="Show a teaser bubble beside the launcher" checked={engagement.teaser.enabled} onChange={(enabled) => setTeaser({ enabled })} />
        {engagement.teaser.enabled && (
          <div className="grid">
            <Field label="Teaser text" hint="Empty: the bot’s greeting." error={errorAt('engagement.teaser.text')}>
              {(props) => <input {...props} value={engagement.teaser.text ?? ''} maxLength={200} onChange={(e) => setTeaser({ text: e.target.value === '' ? null : e.target.value })} />}
            </Field>
            <NumberField label="Teaser delay" unit="s" min={0} max={600} value={engagement.teaser.delaySeconds}
              error={errorAt('engagement.teaser.delaySeconds')} onChange={(delaySeconds) => setTeaser({ delaySeconds })} />
          </div>
        )}
        <Toggle label="Chime when a message arrives while the panel is closed" checked={engagement.sound}
          onChange={(sound) => edit((b) => ({ ...b, engagement: { ...engagementOf(b), sound } }))} />
      </section>
    </form>
  );
}
