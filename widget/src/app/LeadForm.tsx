import { useId, useState, type FormEvent } from 'react';
import type { ContactDetails } from './api-types.ts';
import type { ContactFormState } from './conversation-state.ts';
import { friendlyError } from './errors.ts';
import type { MessageKey } from './i18n/catalogue.ts';
import { useI18n } from './i18n/use-i18n.ts';
import type { ContactSubmitResult } from './use-conversation.ts';
import './lead-form.css';

type Field = 'name' | 'email' | 'phone' | 'consent';

interface LeadFormProps {
  state: ContactFormState;
  botName: string;
  onSubmit(details: ContactDetails): Promise<ContactSubmitResult>;
  onDismiss(): void;
  /** Details the host page already knows (identify), to save typing. */
  initial?: { name?: string | null; email?: string | null } | undefined;
}

// The same rules as the server (lead-form.ts) for what can be checked here; the server decides.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const PHONE = /^\+?[\d\s()./-]{7,40}$/u;

const INVALID: Record<Field, MessageKey> = {
  name: 'leadInvalidName',
  email: 'leadInvalidEmail',
  phone: 'leadInvalidPhone',
  consent: 'leadInvalidConsent',
};

function check(details: ContactDetails): Field[] {
  const invalid: Field[] = [];
  if (!details.name.trim() || details.name.trim().length > 120) invalid.push('name');
  if (!EMAIL.test(details.email.trim()) || details.email.trim().length > 254) invalid.push('email');
  if (details.phone && !PHONE.test(details.phone.trim())) invalid.push('phone');
  if (!details.consent) invalid.push('consent');
  return invalid;
}

/**
 * The contact form offered when the bot could not answer or the visitor waits for a person: name,
 * e-mail, optional phone and consent, with labelled fields and messages tied to them
 * (aria-describedby), checked here first and by the server (submitContactDetails) for good.
 */
export function LeadForm({ state, botName, onSubmit, onDismiss, initial }: LeadFormProps) {
  const { t, messages } = useI18n();
  const id = useId();
  const [name, setName] = useState(initial?.name ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [phone, setPhone] = useState('');
  const [consent, setConsent] = useState(false);
  const [invalid, setInvalid] = useState<Field[]>([]);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (state === 'submitted') {
    return (
      <div className="lead-form lead-form--done" role="status">
        {t('leadThanks', { name: botName })}
      </div>
    );
  }
  if (state !== 'offered') return null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const details: ContactDetails = { name: name.trim(), email: email.trim(), phone: phone.trim() || null, consent };
    const problems = check(details);
    setInvalid(problems);
    setError(null);
    if (problems.length > 0) {
      event.currentTarget.querySelector<HTMLElement>(`[name="${problems[0]}"]`)?.focus();
      return;
    }
    setPending(true);
    const result = await onSubmit(details);
    setPending(false);
    if (result.ok) return;
    const refused = result.fields.filter((f): f is Field => f in INVALID);
    if (refused.length > 0) setInvalid(refused);
    else setError(friendlyError(result.code, 'send', messages));
  };

  const field = (key: Field) => ({
    id: `${id}-${key}`,
    name: key,
    'aria-invalid': invalid.includes(key) || undefined,
    'aria-describedby': invalid.includes(key) ? `${id}-${key}-error` : undefined,
  });
  const problem = (key: Field) =>
    invalid.includes(key) && (
      <p className="lead-form__error" id={`${id}-${key}-error`}>
        {t(INVALID[key])}
      </p>
    );

  return (
    <form className="lead-form" aria-labelledby={`${id}-title`} noValidate onSubmit={(e) => void submit(e)}>
      <p className="lead-form__title" id={`${id}-title`}>
        {t('leadTitle')}
      </p>
      <label htmlFor={`${id}-name`}>{t('leadName')}</label>
      <input {...field('name')} type="text" autoComplete="name" maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
      {problem('name')}
      <label htmlFor={`${id}-email`}>{t('leadEmail')}</label>
      <input {...field('email')} type="email" autoComplete="email" maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
      {problem('email')}
      <label htmlFor={`${id}-phone`}>{t('leadPhone')}</label>
      <input {...field('phone')} type="tel" autoComplete="tel" maxLength={40} value={phone} onChange={(e) => setPhone(e.target.value)} />
      {problem('phone')}
      <div className="lead-form__consent">
        <input {...field('consent')} type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
        <label htmlFor={`${id}-consent`}>{t('leadConsent')}</label>
      </div>
      {problem('consent')}
      {error && (
        <p className="lead-form__error" role="alert">
          {error}
        </p>
      )}
      <div className="lead-form__actions">
        <button type="submit" disabled={pending}>
          {pending ? t('sending') : t('leadSubmit')}
        </button>
        <button type="button" className="lead-form__dismiss" onClick={onDismiss}>
          {t('leadDismiss')}
        </button>
      </div>
    </form>
  );
}
