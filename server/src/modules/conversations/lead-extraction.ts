import { classifyIntent } from '@mascot/avatar-core';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import validator from 'validator';

/** Contact details found in one visitor message; absent fields were not given in it. */
export interface ContactDetails {
  name?: string;
  email?: string;
  phone?: string;
  /** The visitor asked to be contacted ("please call me back"), with or without details. */
  wantsContact: boolean;
}

// "Please call me back", "can someone e-mail me", "ruf mich zurück", "llámame": the visitor wants
// to be reached, which makes a lead even before the details arrive. English, German and Spanish,
// like the intent classifier.
const WANTS_CONTACT = new RegExp(
  [
    String.raw`\b(?:call|ring|phone|text|e-?mail|mail|contact|reach)\s+me\b`,
    String.raw`\bget\s+(?:back\s+)?in\s+touch\b`,
    String.raw`\bget\s+back\s+to\s+me\b`,
    String.raw`\breach\s+out\s+to\s+me\b`,
    String.raw`\bcall\s*back\b`,
    String.raw`\b(?:ruf(?:en\s+sie)?|kontaktier(?:en\s+sie)?|schreib(?:en\s+sie)?)\s+mich\b`,
    String.raw`\bmelde(?:n\s+sie)?\s+(?:sich|dich)\s+bei\s+mir\b`,
    String.raw`\bll[aá]m(?:ame|eme)\b`,
    String.raw`\bcont[aá]ct(?:ame|eme)\b`,
    String.raw`\bescr[ií]b(?:eme|ame)\b`,
  ].join('|'),
  'iu',
);

// "My name is Ada Lovelace", "I'm Ada", "ich heiße Ada", "me llamo Ada": one to three capitalised
// words after an introduction. Capitalisation is what tells "I'm Ada" from "I'm interested".
const NAME_INTRO = /(?:\bmy name is|\bname's|\bi am|\bi['’]m|\bthis is|\bich hei(?:ß|ss)e|\bich bin|\bme llamo|\bmi nombre es|\bsoy)\s+/giu;
const CAPITALISED_WORDS = /\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2}/uy;
// Capitalised words that follow "I'm" without being a name.
const NOT_NAMES = new Set(['Interested', 'Looking', 'Not', 'So', 'Just', 'Still', 'Here', 'Happy', 'Sorry', 'From', 'The', 'A', 'An', 'In']);

// A fallback for phone numbers written nationally when the bot's country is unknown: a run of digits
// with the usual separators. Only used when the intent classifier (which excludes dates and order
// numbers) also read the message as giving contact details.
const LOOSE_PHONE = /\+?\(?\d[\d\s()./-]{5,}\d/gu;
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15; // E.164

/** The country a bot's language tag names (pt-BR → BR); national phone numbers are read in it. */
export function countryOfLanguage(language: string | undefined): CountryCode | undefined {
  const region = language?.split('-').find((part, index) => index > 0 && /^[A-Z]{2}$/.test(part));
  return region as CountryCode | undefined;
}

function findEmail(text: string): string | undefined {
  for (const word of text.split(/[\s,;<>()[\]"']+/u)) {
    const candidate = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (candidate.includes('@') && validator.isEmail(candidate)) return candidate.toLowerCase();
  }
  return undefined;
}

function findPhone(text: string, country: CountryCode | undefined, email: string | undefined): string | undefined {
  const found = findPhoneNumbersInText(text, country ? { defaultCountry: country } : undefined).find((m) => m.number.isValid());
  if (found) return found.number.number;
  // Digits inside an e-mail address are no phone number.
  const rest = email ? text.replace(new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu'), ' ') : text;
  if (classifyIntent(rest).scores.gives_contact <= 0) return undefined;
  for (const match of rest.matchAll(LOOSE_PHONE)) {
    const digits = match[0].replace(/\D/g, '').length;
    if (digits >= MIN_PHONE_DIGITS && digits <= MAX_PHONE_DIGITS) return match[0].trim().replace(/\s+/g, ' ');
  }
  return undefined;
}

function findName(text: string): string | undefined {
  for (const intro of text.matchAll(NAME_INTRO)) {
    CAPITALISED_WORDS.lastIndex = intro.index + intro[0].length;
    const words: string[] = [];
    // Only the words before the first non-name ("I'm Ada From Berlin" → "Ada").
    for (const word of CAPITALISED_WORDS.exec(text)?.[0].split(/\s+/u) ?? []) {
      if (NOT_NAMES.has(word)) break;
      words.push(word);
    }
    const name = words.join(' ');
    if (name.length > 0 && name.length <= 120) return name;
  }
  return undefined;
}

/**
 * The contact details a visitor gave in one message: an e-mail address (validator), a phone number
 * (libphonenumber, in the bot's country when its language names one; E.164 when it parses, as
 * written otherwise), a name after an introduction, and whether they asked to be contacted.
 */
export function extractContactDetails(text: string, options: { language?: string } = {}): ContactDetails {
  const email = findEmail(text);
  const phone = findPhone(text, countryOfLanguage(options.language), email);
  const name = findName(text);
  return {
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    wantsContact: WANTS_CONTACT.test(text),
  };
}

/** Whether a message gives anything a lead is made of. */
export function hasLeadDetails(details: ContactDetails): boolean {
  return details.wantsContact || details.email !== undefined || details.phone !== undefined;
}
