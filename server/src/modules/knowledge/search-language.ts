/**
 * PostgreSQL text-search configurations for a bot's language (BCP-47 primary subtag). Languages
 * without a stemmer in core PostgreSQL use 'simple' (lower-casing, no stemming), which still matches
 * exact words; the vector ranking covers morphology there.
 */
const CONFIGS: Record<string, string> = {
  da: 'danish', de: 'german', en: 'english', es: 'spanish', fi: 'finnish', fr: 'french', hu: 'hungarian',
  it: 'italian', nl: 'dutch', no: 'norwegian', nb: 'norwegian', pt: 'portuguese', ro: 'romanian', ru: 'russian',
  sv: 'swedish', tr: 'turkish',
};

export function searchConfigFor(language: string): string {
  return CONFIGS[language.toLowerCase().split('-')[0] ?? ''] ?? 'simple';
}
