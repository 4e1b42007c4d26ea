import { cloneElement, useId, type ReactElement } from 'react';

export interface FieldProps {
  label: string;
  hint?: string;
  error?: string;
  /** One input, select or textarea; it gets the id and aria attributes that tie it to the label, hint and error. */
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}

/** A label above one control, with an optional hint and error wired for screen readers. */
export function Field({ label, hint, error, children, className }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['ui-field', className ?? ''].join(' ').trim()}>
      <label className="ui-field__label" htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint ? <span id={hintId} className="ui-field__hint">{hint}</span> : null}
      {error ? <span id={errorId} className="ui-field__error" role="alert">{error}</span> : null}
    </div>
  );
}

export const Input = (props: React.InputHTMLAttributes<HTMLInputElement>) => <input className="ui-input" {...props} />;
export const Select = (props: React.SelectHTMLAttributes<HTMLSelectElement>) => <select className="ui-select" {...props} />;
export const TextArea = (props: React.TextareaHTMLAttributes<HTMLTextAreaElement>) => <textarea className="ui-textarea" {...props} />;
