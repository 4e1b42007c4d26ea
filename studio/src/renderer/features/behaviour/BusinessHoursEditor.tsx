// The bot's own business hours (bundle `businessHours`): when a visitor asking for a person may get
// one. Off, the tenant's hours (the Console's handoff settings) apply. Each opening is a row (day,
// opens, closes); holidays are dates, one per line. The bundle's own field errors show beside the row.
import { MAX_WEEKLY_OPENINGS, type BotBundle, type BusinessHours, type IsoWeekday, type WeeklyOpening } from '@mascot/bot-bundle';
import { Field, LinesField, Toggle } from '../../ui/Field.tsx';
import { WEEKDAY_LABELS } from '../../ui/labels.ts';
import type { BundleEditor } from '../../ui/use-bundle-draft.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** What a designer starts from: Monday to Friday, nine to five, where Studio runs. */
function officeHours(): BusinessHours {
  return {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    weekly: [1, 2, 3, 4, 5].map((day) => ({ day: day as IsoWeekday, opens: '09:00', closes: '17:00' })),
    holidays: [],
  };
}

function OpeningRow({ opening, index, errorAt, onChange, onRemove }: {
  opening: WeeklyOpening;
  index: number;
  errorAt: (path: string) => string | undefined;
  onChange: (next: WeeklyOpening) => void;
  onRemove: () => void;
}) {
  const at = (field: string) => errorAt(`businessHours.weekly.${index}.${field}`);
  const n = index + 1;
  return (
    <li className="opening row" aria-label={`Opening ${n}`}>
      <Field label={`Day ${n}`} error={at('day')}>
        {(props) => (
          <select {...props} value={opening.day} onChange={(e) => onChange({ ...opening, day: Number(e.target.value) as IsoWeekday })}>
            {WEEKDAYS.map((day) => <option key={day} value={day}>{WEEKDAY_LABELS[day]}</option>)}
          </select>
        )}
      </Field>
      <Field label={`Opens ${n}`} error={at('opens')}>
        {(props) => <input {...props} value={opening.opens} placeholder="09:00" maxLength={5} inputMode="numeric" onChange={(e) => onChange({ ...opening, opens: e.target.value })} />}
      </Field>
      <Field label={`Closes ${n}`} error={at('closes')}>
        {(props) => <input {...props} value={opening.closes} placeholder="17:00" maxLength={5} inputMode="numeric" onChange={(e) => onChange({ ...opening, closes: e.target.value })} />}
      </Field>
      <button type="button" className="button ghost danger" aria-label={`Remove opening ${n}`} onClick={onRemove}>Remove</button>
    </li>
  );
}

export function BusinessHoursEditor({ editor }: { editor: BundleEditor }) {
  const { draft, edit, errorAt, errorsUnder } = editor;
  const hours = draft.businessHours;
  const setHours = (change: (hours: BusinessHours) => BusinessHours) =>
    edit((b: BotBundle) => (b.businessHours ? { ...b, businessHours: change(b.businessHours) } : b));
  const setWeekly = (change: (list: WeeklyOpening[]) => WeeklyOpening[]) => setHours((h) => ({ ...h, weekly: change(h.weekly) }));

  return (
    <section className="card" aria-label="Business hours">
      <h2>Business hours</h2>
      <Toggle label="This bot has its own business hours" checked={hours !== undefined}
        hint="Off: the team’s hours from the Console apply. Outside the hours, a visitor asking for a person is told when people are back."
        onChange={(own) => edit((b) => {
          const { businessHours: _old, ...rest } = b;
          return own ? { ...rest, businessHours: officeHours() } : rest;
        })} />
      {hours && (
        <>
          <Field label="Time zone" error={errorAt('businessHours.timeZone')} hint="An IANA zone, such as Europe/Berlin or America/New_York.">
            {(props) => <input {...props} value={hours.timeZone} spellCheck={false} list="time-zones" onChange={(e) => setHours((h) => ({ ...h, timeZone: e.target.value }))} />}
          </Field>
          <datalist id="time-zones">
            {Intl.supportedValuesOf('timeZone').map((zone) => <option key={zone} value={zone} />)}
          </datalist>
          {errorAt('businessHours.weekly') && <p className="field-error">{errorAt('businessHours.weekly')}</p>}
          <ol className="openings" aria-label="Openings">
            {hours.weekly.map((opening, index) => (
              <OpeningRow key={index} opening={opening} index={index} errorAt={errorAt}
                onChange={(next) => setWeekly((list) => list.map((o, i) => (i === index ? next : o)))}
                onRemove={() => setWeekly((list) => list.filter((_, i) => i !== index))} />
            ))}
          </ol>
          <p className="hint">A shift across midnight is two openings: 22:00–24:00, then 00:00–02:00 the next day.</p>
          <button type="button" className="button" disabled={hours.weekly.length >= MAX_WEEKLY_OPENINGS}
            onClick={() => setWeekly((list) => [...list, { day: 6, opens: '10:00', closes: '14:00' }])}>
            Add an opening
          </button>
          <LinesField label="Closed on (holidays)" path="businessHours.holidays" placeholder="2026-12-25" hint="One date per line, as YYYY-MM-DD."
            values={hours.holidays} errors={errorsUnder('businessHours.holidays')} onChange={(holidays) => setHours((h) => ({ ...h, holidays }))} />
        </>
      )}
    </section>
  );
}
