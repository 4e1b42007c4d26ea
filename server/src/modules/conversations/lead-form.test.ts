import { describe, expect, it } from 'vitest';
import { contactFormSchema } from './lead-form.ts';

const valid = { name: '  Ada Lovelace ', email: 'Ada@Example.com', phone: '+44 20 7946 0958', consent: true };

function issues(input: Record<string, unknown>, language = 'en') {
  const result = contactFormSchema(language).safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('contactFormSchema', () => {
  it('trims the name, lower-cases the e-mail address and writes a phone number as E.164', () => {
    expect(contactFormSchema('en').parse(valid)).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+442079460958', consent: true });
  });

  it("reads a national number in the bot's region, and keeps a plausible unknown one as written", () => {
    expect(contactFormSchema('de-DE').parse({ ...valid, phone: '030 901820' }).phone).toBe('+4930901820');
    expect(contactFormSchema('en').parse({ ...valid, phone: '0171 / 555 1234' }).phone).toBe('0171 / 555 1234');
  });

  it('treats an empty or missing phone as none', () => {
    expect(contactFormSchema('en').parse({ ...valid, phone: '  ' }).phone).toBeNull();
    const { phone: _phone, ...withoutPhone } = valid;
    expect(contactFormSchema('en').parse(withoutPhone).phone).toBeNull();
  });

  it('names each field that is wrong', () => {
    expect(issues({ ...valid, consent: false })).toEqual(['consent']);
    expect(issues({ ...valid, email: 'ada@' })).toEqual(['email']);
    expect(issues({ ...valid, name: '' })).toEqual(['name']);
    expect(issues({ ...valid, name: 'Ada\u0007' })).toEqual(['name']);
    expect(issues({ ...valid, phone: 'ring me' })).toEqual(['phone']);
    expect(issues({ ...valid, phone: '123' })).toEqual(['phone']);
    expect(issues({ ...valid, phone: '1'.repeat(16) })).toEqual(['phone']);
  });
});
