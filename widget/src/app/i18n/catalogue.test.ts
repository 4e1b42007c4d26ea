import { describe, expect, it } from 'vitest';
import { formatMessage, loadCatalogue, LOCALES, pickLocale, placeholdersOf, supportedLocale } from './catalogue.ts';
import { en } from './en.ts';

describe('the UI catalogue', () => {
  it('offers English plus German, French and Spanish', () => {
    expect(LOCALES).toEqual(['en', 'de', 'fr', 'es']);
  });

  it.each(LOCALES)('%s has every key of the English catalogue and no other', async (locale) => {
    expect(Object.keys(await loadCatalogue(locale)).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(LOCALES)('%s fills every key with text and the same placeholders as English', async (locale) => {
    const catalogue = await loadCatalogue(locale);
    for (const [key, english] of Object.entries(en)) {
      const text = catalogue[key as keyof typeof en];
      expect(text.trim(), `${locale}.${key}`).not.toBe('');
      expect(placeholdersOf(text), `${locale}.${key}`).toEqual(placeholdersOf(english));
    }
  });

  it('really is translated: most German, French and Spanish strings differ from English', async () => {
    for (const locale of ['de', 'fr', 'es'] as const) {
      const catalogue = await loadCatalogue(locale);
      const same = Object.entries(en).filter(([key, english]) => catalogue[key as keyof typeof en] === english);
      // Some words are the same in both languages ("Chat", "Sources", "Message", "Image").
      expect(same.length, `${locale}: ${same.map(([key]) => key).join(', ')}`).toBeLessThanOrEqual(Object.keys(en).length / 5);
    }
  });
});

describe('pickLocale', () => {
  it("prefers the bot's language when it is supported", () => {
    expect(pickLocale('fr', ['de-DE', 'en'])).toBe('fr');
    expect(pickLocale('de-CH', ['en-US'])).toBe('de');
  });

  it("falls back to the browser's languages in order, then English", () => {
    expect(pickLocale('nl', ['it-IT', 'es-MX', 'de'])).toBe('es');
    expect(pickLocale(null, ['de-DE', 'en-US'])).toBe('de');
    expect(pickLocale('ja', ['zh-CN'])).toBe('en');
    expect(pickLocale(undefined, [])).toBe('en');
  });

  it('matches only whole primary subtags', () => {
    expect(supportedLocale('EN_gb')).toBe('en');
    expect(supportedLocale('den')).toBeNull();
    expect(supportedLocale('')).toBeNull();
    expect(supportedLocale('constructor')).toBeNull();
  });
});

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(formatMessage('{name} is typing…', { name: 'Milo' })).toBe('Milo is typing…');
    expect(formatMessage('Source {marker}: {title}', { marker: 2 })).toBe('Source 2: {title}');
  });
});
