import { parsePhoneNumberFromString } from 'libphonenumber-js';
import validator from 'validator';
import { z } from 'zod';
import { countryOfLanguage } from './lead-extraction.ts';

/** What the widget's contact form sends. */
export interface ContactFormInput {
  name: string;
  email: string;
  phone?: string | null | undefined;
  consent: boolean;
}

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
// Digits with the separators people type: "+44 20 7946 0958", "(030) 123-456", "0171/1234567".
const PHONE_CHARACTERS = /^\+?[\d\s()./-]+$/u;
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15; // E.164

/**
 * E.164 when libphonenumber reads it as a valid number (nationally in the bot's region), otherwise
 * as written if it looks like a phone number at all; null when it does not.
 */
function normalisePhone(phone: string, language: string): string | null {
  const parsed = parsePhoneNumberFromString(phone, countryOfLanguage(language));
  if (parsed?.isValid()) return parsed.number;
  const digits = phone.replace(/\D/g, '').length;
  if (!PHONE_CHARACTERS.test(phone) || digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS) return null;
  return phone.replace(/\s+/g, ' ');
}

/**
 * The contact form's rules, with the limits the lead table enforces: a name, an e-mail address, an
 * optional phone number (an empty field counts as none) and the visitor's explicit consent.
 */
export function contactFormSchema(language: string) {
  return z.object({
    name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters')
      .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters'),
    email: z.string().trim().max(254, 'must be at most 254 characters')
      .refine((email) => validator.isEmail(email), 'must be an e-mail address')
      .transform((email) => email.toLowerCase()),
    phone: z.string().trim().max(40, 'must be at most 40 characters').nullish()
      .transform((phone, ctx) => {
        if (!phone) return null;
        const normalised = normalisePhone(phone, language);
        if (normalised === null) ctx.addIssue({ code: 'custom', message: 'must be a phone number' });
        return normalised;
      }),
    consent: z.literal(true, 'must be given to be contacted'),
  });
}
