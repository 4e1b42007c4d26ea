import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import validator from 'validator';

export type PiiKind = 'email' | 'iban' | 'card' | 'phone';

export interface Redaction {
  /** The text with every finding replaced by its placeholder (`[email]`, `[iban]`, `[card]`, `[phone]`). */
  text: string;
  /** How many of each kind were replaced. */
  found: Record<PiiKind, number>;
}

interface Span {
  start: number;
  end: number;
}

// Candidates are found generously by shape; the libraries decide what is real (validator's e-mail and
// card rules with the Luhn check, ibantools' country lengths and checksum, libphonenumber's numbering plans).
const EMAIL_CANDIDATE = /[^\s<>()[\]{}"',;:]+@[^\s<>()[\]{}"',;:]+/g;
const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){10,32}/gi;
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,22}\b/g;
const PHONE_CANDIDATE = /(?<![\w+])(?:\+|\b00)?\(?\d[\d \t()./-]{5,22}\d(?!\w)/g;
const DATE = /^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$/;
// A number labelled as an order, invoice or ticket ("order number 1234567890") is a reference, not a phone.
const REFERENCE_LABEL = /(?:order|invoice|ticket|tracking|reference|customer|account|booking|#|nr\.?|no\.?)(?:\s+[\p{L}.]+){0,3}\s*:?\s*$/iu;
const TRAILING_PUNCTUATION = /[.!?…]+$/;

/** National formats are read in these countries' plans, after the bot's own region (from its language tag). */
const COMMON_PHONE_REGIONS: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'IN', 'CA', 'AU'];

function emailSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(EMAIL_CANDIDATE)) {
    const candidate = match[0].replace(TRAILING_PUNCTUATION, '');
    if (validator.isEmail(candidate)) spans.push({ start: match.index, end: match.index + candidate.length });
  }
  return spans;
}

/** The IBAN's length is fixed per country: read exactly that many characters, then check the checksum. */
function ibanSpans(text: string): Span[] {
  const specs = getCountrySpecifications();
  const spans: Span[] = [];
  for (const match of text.matchAll(IBAN_CANDIDATE)) {
    const length = specs[match[0].slice(0, 2).toUpperCase()]?.chars;
    if (!length) continue;
    let compact = '';
    let end = 0;
    for (const [offset, char] of [...match[0]].entries()) {
      if (char === ' ' || char === '-') continue;
      compact += char.toUpperCase();
      end = offset + 1;
      if (compact.length === length) break;
    }
    if (compact.length === length && isValidIBAN(compact)) spans.push({ start: match.index, end: match.index + end });
  }
  return spans;
}

/** A digit run may carry more than the card (a CVV after it); the longest group-aligned prefix that passes wins. */
function cardSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CARD_CANDIDATE)) {
    const candidate = match[0];
    const ends = [candidate.length, ...[...candidate.matchAll(/[ -]/g)].map((m) => m.index)].sort((a, b) => b - a);
    const end = ends.find((at) => {
      const digits = candidate.slice(0, at).replace(/\D/g, '');
      return digits.length >= 13 && digits.length <= 19 && validator.isCreditCard(digits);
    });
    if (end !== undefined) spans.push({ start: match.index, end: match.index + end });
  }
  return spans;
}

function isPhoneNumber(candidate: string, regions: readonly CountryCode[]): boolean {
  const international = candidate.replace(/^00/, '+');
  if (international.startsWith('+')) return parsePhoneNumberFromString(international)?.isValid() ?? false;
  return regions.some((region) => parsePhoneNumberFromString(candidate, region)?.isValid() ?? false);
}

function phoneSpans(text: string, regions: readonly CountryCode[]): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(PHONE_CANDIDATE)) {
    const candidate = match[0].replace(/[ \t()./-]+$/, '');
    const digits = candidate.replace(/\D/g, '').length;
    if (digits < 7 || digits > 15 || DATE.test(candidate)) continue;
    if (REFERENCE_LABEL.test(text.slice(Math.max(0, match.index - 40), match.index))) continue;
    if (isPhoneNumber(candidate, regions)) spans.push({ start: match.index, end: match.index + candidate.length });
  }
  return spans;
}

function replaceSpans(text: string, spans: Span[], placeholder: string): string {
  let result = text;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, span.start) + placeholder + result.slice(span.end);
  }
  return result;
}

/** The countries whose national phone formats a bot speaking `languageTag` (e.g. `pt-BR`) should read. */
export function phoneRegionsFor(languageTag: string): CountryCode[] {
  const region = languageTag.split('-').find((part, index) => index > 0 && /^[A-Z]{2}$/.test(part));
  const own = region && isSupportedCountry(region) ? [region as CountryCode] : [];
  return [...new Set([...own, ...COMMON_PHONE_REGIONS])];
}

/**
 * Replaces e-mail addresses, IBANs, card numbers and phone numbers with placeholders. Kinds are
 * replaced one after the other, so a placeholder never hides part of a later finding (an IBAN's digits
 * are gone before cards and phones are looked for).
 */
export function redactPii(text: string, phoneRegions: readonly CountryCode[] = COMMON_PHONE_REGIONS): Redaction {
  const found: Record<PiiKind, number> = { email: 0, iban: 0, card: 0, phone: 0 };
  const detectors: [PiiKind, (current: string) => Span[]][] = [
    ['email', emailSpans],
    ['iban', ibanSpans],
    ['card', cardSpans],
    ['phone', (current) => phoneSpans(current, phoneRegions)],
  ];
  let current = text;
  for (const [kind, detect] of detectors) {
    const spans = detect(current);
    found[kind] = spans.length;
    if (spans.length > 0) current = replaceSpans(current, spans, `[${kind}]`);
  }
  return { text: current, found };
}

/** Whether a redaction replaced anything. */
export function foundPii(redaction: Redaction): boolean {
  return Object.values(redaction.found).some((count) => count > 0);
}
