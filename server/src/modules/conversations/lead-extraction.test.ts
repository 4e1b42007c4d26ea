import { describe, expect, it } from 'vitest';
import { countryOfLanguage, extractContactDetails, hasLeadDetails } from './lead-extraction.ts';

describe('extractContactDetails', () => {
  it('finds an e-mail address inside a sentence, without the punctuation around it', () => {
    expect(extractContactDetails('You can write to <Jane.Doe@Example.com>, thanks!')).toEqual({
      email: 'jane.doe@example.com',
      wantsContact: false,
    });
  });

  it('ignores things that only look like addresses', () => {
    expect(extractContactDetails('the file is at a@b and @mention').email).toBeUndefined();
  });

  it('normalises an international phone number to E.164', () => {
    expect(extractContactDetails('Call me at +49 30 1234567 please').phone).toBe('+49301234567');
  });

  it("reads a national number in the bot's country when its language names one", () => {
    expect(extractContactDetails('my number is (415) 555-2671', { language: 'en-US' }).phone).toBe('+14155552671');
  });

  it('keeps a national number as written when the country is unknown', () => {
    expect(extractContactDetails('my number is 030 1234 567').phone).toBe('030 1234 567');
  });

  it('takes neither order numbers nor dates nor the digits of an e-mail address for a phone number', () => {
    expect(extractContactDetails('my order number is 55512345').phone).toBeUndefined();
    expect(extractContactDetails('it arrived on 2026-11-02').phone).toBeUndefined();
    expect(extractContactDetails('mail me at jane1234567@example.com').phone).toBeUndefined();
  });

  it('takes the name after an introduction, but not an adjective', () => {
    expect(extractContactDetails("Hi, I'm Ada Lovelace, mail me at ada@example.com").name).toBe('Ada Lovelace');
    expect(extractContactDetails('me llamo José').name).toBe('José');
    expect(extractContactDetails("I'm Interested in the Pro plan").name).toBeUndefined();
    expect(extractContactDetails("I'm Ada From Berlin").name).toBe('Ada');
  });

  it('notices a wish to be contacted in English, German and Spanish', () => {
    for (const text of ['Could someone call me back?', 'please get in touch', 'Rufen Sie mich zurück', 'llámame mañana']) {
      expect(extractContactDetails(text).wantsContact, text).toBe(true);
    }
    expect(extractContactDetails('How much is the Pro plan?').wantsContact).toBe(false);
  });
});

describe('hasLeadDetails', () => {
  it('needs a way to reach the visitor or their wish to be reached; a name alone is not a lead', () => {
    expect(hasLeadDetails({ name: 'Ada', wantsContact: false })).toBe(false);
    expect(hasLeadDetails({ email: 'a@example.com', wantsContact: false })).toBe(true);
    expect(hasLeadDetails({ wantsContact: true })).toBe(true);
  });
});

describe('countryOfLanguage', () => {
  it('takes the region of a language tag, if any', () => {
    expect(countryOfLanguage('pt-BR')).toBe('BR');
    expect(countryOfLanguage('zh-Hant-TW')).toBe('TW');
    expect(countryOfLanguage('en')).toBeUndefined();
    expect(countryOfLanguage('es-419')).toBeUndefined();
  });
});
