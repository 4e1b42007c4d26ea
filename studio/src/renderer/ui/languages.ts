// The language picker's choices: the tags bots are most often written in, named in English by the
// browser's own Intl data (no hand-kept list of names). A bundle whose language is not listed keeps it:
// the picker adds it as an extra option rather than silently changing it.
const COMMON_LANGUAGE_TAGS = [
  'ar', 'bg', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'en-US', 'es', 'es-419', 'et', 'fi', 'fr', 'fr-CA', 'he', 'hi',
  'hr', 'hu', 'id', 'it', 'ja', 'ko', 'lt', 'lv', 'ms', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sl', 'sr',
  'sv', 'th', 'tr', 'uk', 'vi', 'zh-Hans', 'zh-Hant',
] as const;

const names = new Intl.DisplayNames(['en'], { type: 'language' });

export function languageName(tag: string): string {
  try {
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Options sorted by name, the current value included even when it is not a common tag. */
export function languageOptions(current: string): { tag: string; name: string }[] {
  const tags = new Set<string>(COMMON_LANGUAGE_TAGS);
  if (current) tags.add(current);
  return [...tags].map((tag) => ({ tag, name: languageName(tag) })).sort((a, b) => a.name.localeCompare(b.name));
}
