// The widget's UI languages and how one is chosen. The bot's own language wins when we have a
// catalogue for it, so the buttons speak the language the bot answers in; otherwise the visitor's
// browser languages decide, in their order of preference; English is the last resort.

import { de } from './de.ts';
import { en, type Messages } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';

export type { MessageKey, Messages } from './en.ts';

export const CATALOGUE = { en, de, fr, es } as const satisfies Record<string, Messages>;
export type Locale = keyof typeof CATALOGUE;
export const LOCALES = Object.keys(CATALOGUE) as Locale[];
export const DEFAULT_LOCALE: Locale = 'en';

/** The supported locale of a BCP-47 tag by its primary language ('de-CH' → 'de'), or null. */
export function supportedLocale(tag: string | null | undefined): Locale | null {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary && Object.hasOwn(CATALOGUE, primary) ? (primary as Locale) : null;
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
