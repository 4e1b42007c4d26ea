import type { HandoffUnavailableInfo } from './conversation-state.ts';
import type { I18n } from './i18n/use-i18n.ts';

// When people are back, as the visitor reads it: in their own time zone and UI language. Within the
// coming week the weekday and time are enough ("Monday 09:00"); further out the date is added.

const WEEK_MS = 6 * 86_400_000;

export function formatOpening(iso: string, locale: string, now: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const soon = at.getTime() - now.getTime() < WEEK_MS;
  const options: Intl.DateTimeFormatOptions = soon
    ? { weekday: 'long', hour: 'numeric', minute: '2-digit' }
    : { weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' };
  return new Intl.DateTimeFormat(locale, options).format(at);
}

/** "No one is available … back Monday 09:00", in the UI language and the visitor's time zone. */
export function unavailableText(unavailable: HandoffUnavailableInfo, { t, locale }: Pick<I18n, 't' | 'locale'>, now = new Date()): string {
  if (unavailable.reason === 'CLOSED' && unavailable.nextOpeningAt) {
    // Dates read the way the visitor's browser writes them (en-GB: "Monday 09:00") when it speaks the UI language.
    const browser = typeof navigator === 'undefined' ? undefined : navigator.language;
    const tag = browser && browser.split('-')[0]?.toLowerCase() === locale ? browser : locale;
    return t('handoffUnavailableClosed', { when: formatOpening(unavailable.nextOpeningAt, tag, now) });
  }
  if (unavailable.reason === 'NO_AGENT_ONLINE') return t('handoffUnavailableNoAgent');
  if (unavailable.reason === 'TIMED_OUT') return t('handoffUnavailableTimedOut');
  return t('handoffUnavailableUnknown');
}
