import { describe, expect, it } from 'vitest';
import { foundPii, phoneRegionsFor, redactPii } from './pii-redaction.ts';

describe('redactPii', () => {
  it('replaces e-mail addresses, keeping the punctuation around them', () => {
    const result = redactPii('Write to jane.doe+shop@example.co.uk, or (sam@example.com).');
    expect(result.text).toBe('Write to [email], or ([email]).');
    expect(result.found.email).toBe(2);
  });

  it('leaves things that only look like addresses alone', () => {
    expect(redactPii('Use @handle or a@b or user@localhost').text).toBe('Use @handle or a@b or user@localhost');
  });

  it('replaces card numbers that pass the Luhn check, with or without separators', () => {
    const result = redactPii('Card 4111 1111 1111 1111, also 5555-5555-5555-4444 and 378282246310005.');
    expect(result.text).toBe('Card [card], also [card] and [card].');
    expect(result.found.card).toBe(3);
  });

  it('keeps a 16-digit number that fails the Luhn check', () => {
    expect(redactPii('Reference 4111 1111 1111 1112').found.card).toBe(0);
  });

  it('finds the card inside a longer digit run such as card plus CVV', () => {
    expect(redactPii('4111 1111 1111 1111 123').text).toBe('[card] 123');
  });

  it('replaces IBANs whose checksum is right, printed or compact, and stops at the country length', () => {
    const result = redactPii('Pay to DE89 3704 0044 0532 0130 00 is fine, or GB82WEST12345698765432.');
    expect(result.text).toBe('Pay to [iban] is fine, or [iban].');
    expect(result.found.iban).toBe(2);
  });

  it('keeps an IBAN-shaped text with a wrong checksum', () => {
    expect(redactPii('DE00 3704 0044 0532 0130 00').found.iban).toBe(0);
  });

  it('replaces international and national phone numbers', () => {
    const result = redactPii('Call +44 20 7946 0958, (415) 555-2671 or 030 1234567 or 0049 30 1234567.');
    expect(result.text).toBe('Call [phone], [phone] or [phone] or [phone].');
    expect(result.found.phone).toBe(4);
  });

  it('does not take dates, prices, short numbers or labelled references for phone numbers', () => {
    const text = 'On 2024-01-15 and 12.03.2024 it cost 29 dollars; my order number is 1234567890, ticket #5551234567.';
    expect(redactPii(text)).toEqual({ text, found: { email: 0, iban: 0, card: 0, phone: 0 } });
  });

  it('redacts every kind in one message and reports what it found', () => {
    const result = redactPii('Me: ann@example.org, +1 415 555 2671, DE89370400440532013000, 4111111111111111');
    expect(result.text).toBe('Me: [email], [phone], [iban], [card]');
    expect(foundPii(result)).toBe(true);
    expect(foundPii(redactPii('How much is the Pro plan?'))).toBe(false);
  });
});

describe('phoneRegionsFor', () => {
  it('puts the region of the bot language first', () => {
    expect(phoneRegionsFor('pt-BR')[0]).toBe('BR');
    expect(phoneRegionsFor('de-AT')[0]).toBe('AT');
    expect(phoneRegionsFor('en')).toContain('US');
    expect(phoneRegionsFor('zh-Hant-TW')[0]).toBe('TW');
  });
});
