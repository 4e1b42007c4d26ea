// Form building blocks of Studio's design system. Every control gets its label, an optional hint and
// the bundle's field error beside it, tied together for screen readers (aria-describedby, aria-invalid).
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { BundleFieldError } from '@mascot/bot-bundle';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

export function Field({ label, error, hint, children, wide }: {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  wide?: boolean;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${wide ? ' wide' : ''}`} data-invalid={error ? 'true' : undefined}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(described ? { 'aria-describedby': described } : {}) })}
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

/** A set of choices shown as segmented buttons (radio semantics): for short lists a designer compares at a glance. */
export function Choice<T extends string>({ label, value, options, labels, onChange, error }: {
  label: string;
  value: T;
  options: readonly T[];
  labels: Record<T, string>;
  onChange: (value: T) => void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <fieldset className="field choice" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      <div className="segmented" role="radiogroup" aria-label={label}>
        {options.map((option) => (
          <button key={option} type="button" role="radio" aria-checked={option === value} onClick={() => onChange(option)}>
            {labels[option]}
          </button>
        ))}
      </div>
      {error && <p className="field-error" id={`${id}-error`}>{error}</p>}
    </fieldset>
  );
}

export function Toggle({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  const id = useId();
  return (
    <div className="field toggle">
      <input id={id} type="checkbox" role="switch" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}

/**
 * A list of short values edited one per line (page patterns, origins). Blank lines are not entries.
 * The bundle reports problems per entry (`placement.include.2`); they are shown as "Line 3: …"
 * counting entries, so the designer finds the line.
 */
export function LinesField({ label, values, onChange, errors, path, hint, placeholder }: {
  label: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  errors: BundleFieldError[];
  /** The list's own path: errors at `${path}.N` are about entry N + 1. */
  path: string;
  hint?: ReactNode;
  placeholder?: string;
}) {
  const [text, setText] = useState(values.join('\n'));
  const entriesOf = (value: string) => value.split('\n').filter((line) => line.trim() !== '');
  // Undo and other outside changes replace the text; our own edits (same entries) leave it as typed.
  useEffect(() => {
    setText((current) => (JSON.stringify(entriesOf(current)) === JSON.stringify(values) ? current : values.join('\n')));
  }, [values]);
  const messages = errors.map((e) => {
    const line = /^\.(\d+)/.exec(e.path.slice(path.length));
    return line ? `Line ${Number(line[1]) + 1}: ${e.message}` : e.message;
  });
  return (
    <Field label={label} hint={hint} error={messages.length > 0 ? messages.join('\n') : undefined} wide>
      {(props) => (
        <textarea
          {...props}
          rows={Math.min(8, Math.max(3, values.length + 1))}
          placeholder={placeholder}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onChange(entriesOf(e.target.value));
          }}
        />
      )}
    </Field>
  );
}

/** A number input whose empty or partial text is kept as NaN, so the bundle's own error says what is wrong. */
export function NumberField({ label, value, onChange, error, min, max, hint, unit }: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  error?: string | undefined;
  min?: number;
  max?: number;
  hint?: ReactNode;
  unit?: string;
}) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(props) => (
        <span className="with-unit">
          <input {...props} type="number" inputMode="numeric" min={min} max={max} value={Number.isNaN(value) ? '' : value}
            onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} />
          {unit && <span className="unit" aria-hidden="true">{unit}</span>}
        </span>
      )}
    </Field>
  );
}
