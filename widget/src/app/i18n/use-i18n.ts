import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { DEFAULT_LOCALE, DEFAULT_MESSAGES, formatMessage, loadCatalogue, type Locale, type MessageKey, type Messages } from './catalogue.ts';

export interface I18n {
  locale: Locale;
  messages: Messages;
  /** The message `key` with its placeholders filled. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
}

export function createI18n(locale: Locale, messages: Messages): I18n {
  return { locale, messages, t: (key, values) => formatMessage(messages[key], values) };
}

export const I18nContext = createContext<I18n>(createI18n(DEFAULT_LOCALE, DEFAULT_MESSAGES));

/**
 * The I18n of `locale` once its catalogue is in (a chunk of its own); English until then, and if the chunk
 * cannot be fetched. `locale` is always the language the messages are in.
 */
export function useLocaleI18n(locale: Locale): I18n {
  const [loaded, setLoaded] = useState<{ locale: Locale; messages: Messages }>({ locale: DEFAULT_LOCALE, messages: DEFAULT_MESSAGES });
  useEffect(() => {
    let current = true;
    loadCatalogue(locale).then(
      (messages) => current && setLoaded({ locale, messages }),
      () => current && setLoaded({ locale: DEFAULT_LOCALE, messages: DEFAULT_MESSAGES }),
    );
    return () => {
      current = false;
    };
  }, [locale]);
  return useMemo(() => createI18n(loaded.locale, loaded.messages), [loaded]);
}

/** The UI strings of the chosen locale (ChatApp provides it). */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
