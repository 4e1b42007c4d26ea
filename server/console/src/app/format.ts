/** Dates, times and money as the Console shows them, in the browser's locale and time zone. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatTime = (iso: string) => time.format(new Date(iso));

/** "3 min ago", "yesterday": for lists; the exact time goes in a title attribute. */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** The API's costs are in millionths of a US dollar. */
export function formatMicroUsd(micro: number | null | undefined): string {
  if (micro == null) return '—';
  const usd = micro / 1_000_000;
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** -1..1 to words, for people. */
export function sentimentLabel(value: number | null | undefined): { label: string; tone: 'success' | 'danger' | 'neutral' } | undefined {
  if (value == null) return undefined;
  if (value >= 0.25) return { label: 'Positive', tone: 'success' };
  if (value <= -0.25) return { label: 'Negative', tone: 'danger' };
  return { label: 'Neutral', tone: 'neutral' };
}

/** "https://shop.example.com" → "shop.example.com". */
export const hostOf = (origin: string | null | undefined) => (origin ? origin.replace(/^https?:\/\//, '') : undefined);
