// The widget's UI languages and how one is chosen. The bot's own language wins when we have a
// catalogue for it, so the buttons speak the language the bot answers in; otherwise the visitor's
// browser languages decide, in their order of preference; English is the last resort.

import { en, type Messages } from './en.ts';

export type { MessageKey, Messages } from './en.ts';

/**
 * Every catalogue but English is its own chunk, loaded when its locale is chosen: the widget's initial
 * download has a budget (bench/widget-budgets.ts) and a visitor needs one language, not four.
 */
const CATALOGUE_LOADERS = {
  en: async () => en,
  de: async () => (await import('./de.ts')).de,
  fr: async () => (await import('./fr.ts')).fr,
  es: async () => (await import('./es.ts')).es,
} as const satisfies Record<string, () => Promise<Messages>>;
export type Locale = keyof typeof CATALOGUE_LOADERS;
export const LOCALES = Object.keys(CATALOGUE_LOADERS) as Locale[];
export const DEFAULT_LOCALE: Locale = 'en';
/** English, always at hand: what the widget shows until another locale's catalogue is in. */
export const DEFAULT_MESSAGES: Messages = en;

/** The catalogue of `locale` (English without a request; the others are fetched once, then cached by the browser). */
export function loadCatalogue(locale: Locale): Promise<Messages> {
  return CATALOGUE_LOADERS[locale]();
}

/** The supported locale of a BCP-47 tag by its primary language ('de-CH' → 'de'), or null. */
export function supportedLocale(tag: string | null | undefined): Locale | null {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary && Object.hasOwn(CATALOGUE_LOADERS, primary) ? (primary as Locale) : null;
}

/** The UI locale: the bot's language if supported, else the first supported browser language, else English. */
export function pickLocale(botLanguage: string | null | undefined, browserLanguages: readonly string[]): Locale {
  const fromBot = supportedLocale(botLanguage);
  if (fromBot) return fromBot;
  for (const tag of browserLanguages) {
    const locale = supportedLocale(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/** Fills `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export function formatMessage(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : match,
  );
}

/** The placeholder names of a template, sorted (for the catalogue test). */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}
