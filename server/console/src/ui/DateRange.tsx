import { Field, Input, Select } from './Field.tsx';

/** UTC days, YYYY-MM-DD, inclusive: what the analytics API takes. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
export const utcDay = (at: number | Date) => new Date(at).toISOString().slice(0, 10);

/** The last `days` UTC days, today included. */
export function lastDays(days: number, now = Date.now()): DayRange {
  return { from: utcDay(now - (days - 1) * DAY_MS), to: utcDay(now) };
}

const PRESETS = [7, 14, 30, 90] as const;

/** A preset (last 7/14/30/90 days) or two dates; the API refuses ranges over 366 days with a clear message. */
export function DateRangePicker({ value, onChange }: { value: DayRange; onChange: (range: DayRange) => void }) {
  const preset = PRESETS.find((days) => {
    const candidate = lastDays(days);
    return candidate.from === value.from && candidate.to === value.to;
  });
  return (
    <div className="ui-daterange">
      <Field label="Period">
        <Select value={preset ? String(preset) : 'custom'} onChange={(event) => {
          if (event.target.value !== 'custom') onChange(lastDays(Number(event.target.value)));
        }}>
          {PRESETS.map((days) => <option key={days} value={days}>Last {days} days</option>)}
          <option value="custom">Custom</option>
        </Select>
      </Field>
      <Field label="From">
        <Input type="date" value={value.from} max={value.to} onChange={(event) => event.target.value && onChange({ ...value, from: event.target.value })} />
      </Field>
      <Field label="To">
        <Input type="date" value={value.to} min={value.from} onChange={(event) => event.target.value && onChange({ ...value, to: event.target.value })} />
      </Field>
    </div>
  );
}
