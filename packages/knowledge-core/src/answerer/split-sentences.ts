// Sentence splitting for quoting: Intl.Segmenter (Unicode UAX #29, in Node, Electron and browsers)
// with the repairs a quote needs. ICU breaks after every full stop that a space and a capital follow,
// so "approx. 2 days", "Mon.–Fri.", "No. 5", "e.g. Nappies" or "Dr. Lee" would be quoted in
// halves, and a URL or an e-mail address is only safe from it as long as nothing unusual follows.
// URLs and e-mail addresses are set aside before segmenting and put back after, and a break right
// after an abbreviation of the bot's language (or an initial) is undone.

const PROTECTED = /\bhttps?:\/\/[^\s<>()]*[^\s<>().,;:!?'"]|\bwww\.[^\s<>()]*[^\s<>().,;:!?'"]|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// Private-use characters cannot occur in the text's words, so placeholders never collide.
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/** Abbreviations that end in a full stop without ending the sentence, per language (folded, without the stop). */
const ABBREVIATIONS: Record<string, readonly string[]> = {
  en: ['mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'rd', 'ave', 'vs', 'approx', 'incl', 'excl', 'nos', 'nr',
    'fig', 'ca', 'inc', 'ltd', 'corp', 'co', 'dept', 'e.g', 'i.e', 'cf', 'min', 'max', 'tel', 'ext', 'mon',
    'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep',
    'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'p', 'pp', 'vol', 'hr', 'hrs', 'mins', 'sec', 'wk', 'wks', 'mo', 'yr', 'yrs'],
  de: ['z.b', 'bzw', 'usw', 'ggf', 'evtl', 'ca', 'nr', 'str', 'tel', 'inkl', 'exkl', 'zzgl', 'u.a', 'd.h', 'vgl', 'dr', 'prof',
    'hr', 'fr', 'mo', 'di', 'mi', 'do', 'fr', 'sa', 'so', 'jan', 'feb', 'mär', 'apr', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov',
    'dez', 'min', 'max', 'std', 'mind', 'bspw', 's', 'abs', 'u.u', 'o.ä'],
  fr: ['m', 'mme', 'mlle', 'dr', 'pr', 'env', 'p.ex', 'ex', 'cf', 'n°', 'no', 'tél', 'tel', 'av', 'bd', 'min', 'max',
    'lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim', 'janv', 'févr', 'avr', 'juil', 'sept', 'oct', 'nov', 'déc', 'c.-à-d', 'ht', 'ttc'],
  es: ['sr', 'sra', 'srta', 'dr', 'dra', 'ud', 'uds', 'aprox', 'p.ej', 'ej', 'núm', 'no', 'tel', 'av', 'avda', 'c', 'min',
    'máx', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom', 'ene', 'feb', 'abr', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic', 'ud'],
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function abbreviationEnd(language: string): RegExp {
  const own = ABBREVIATIONS[language] ?? [];
  // English ones are common in every language's web pages (e.g., approx., Dr.).
  const all = [...new Set([...own, ...(language === 'en' ? [] : ABBREVIATIONS['en'] ?? [])])].sort((a, b) => b.length - a.length);
  // The abbreviation as a whole word (after a space, an opening bracket, a dash or the start), its stop,
  // and optional closing brackets or a dash ("Mon.–Fri."), at the end of the text so far.
  return new RegExp(`(?:^|[\\s(\\[–—-])(?:${all.map(escape).join('|')}|\\p{Lu})\\.[)\\]]*\\s*$`, 'iu');
}

const segmenters = new Map<string, { segmenter: Intl.Segmenter; abbreviation: RegExp }>();

function toolsFor(language: string) {
  let tools = segmenters.get(language);
  if (!tools) {
    // A fixed locale per language keeps the result identical on every machine.
    tools = { segmenter: new Intl.Segmenter(language, { granularity: 'sentence' }), abbreviation: abbreviationEnd(language) };
    segmenters.set(language, tools);
  }
  return tools;
}

/**
 * The sentences of `text` (one line: callers split lines first), trimmed, none empty. Never breaks
 * inside a URL, an e-mail address, a decimal number or after an abbreviation of `language` (a
 * BCP-47 primary tag; English abbreviations are known in every language).
 */
export function splitSentences(text: string, language = 'en'): string[] {
  const kept: string[] = [];
  const masked = text.replace(PROTECTED, (match) => `\uE000${kept.push(match) - 1}\uE001`);
  const { segmenter, abbreviation } = toolsFor(language);
  const sentences: string[] = [];
  let pending = '';
  for (const { segment } of segmenter.segment(masked)) {
    // A sentence never starts in lower case or with a digit's continuation: "… approx. 2 days",
    // "… 7 a.m. on Monday", so such a segment continues the one before.
    const continues = pending !== '' && (abbreviation.test(pending) || /^\s*[\p{Ll}\d,;:)]/u.test(segment));
    if (pending !== '' && !continues) {
      sentences.push(pending.trim());
      pending = '';
    }
    pending += segment;
  }
  if (pending.trim()) sentences.push(pending.trim());
  return sentences.filter((s) => s !== '').map((s) => s.replace(PLACEHOLDER, (_, i: string) => kept[Number(i)] ?? ''));
}
