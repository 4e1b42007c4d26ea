import { createContext, useContext } from 'react';
import { CATALOGUE, DEFAULT_LOCALE, formatMessage, type Locale, type MessageKey, type Messages } from './catalogue.ts';

export interface I18n {
  locale: Locale;
  messages: Messages;
  /** The message `key` with its placeholders filled. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
}

export function createI18n(locale: Locale): I18n {
  const messages = CATALOGUE[locale];
  return { locale, messages, t: (key, values) => formatMessage(messages[key], values) };
}

export const I18nContext = createContext<I18n>(createI18n(DEFAULT_LOCALE));

/** The UI strings of the chosen locale (ChatApp provides it). */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
