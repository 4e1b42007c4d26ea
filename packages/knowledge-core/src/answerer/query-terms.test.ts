import { describe, expect, it } from 'vitest';
import { languageKitFor } from './language.ts';
import { expandQuestion, matchCredit, matchable, SYNONYM_CREDIT, TYPO_CREDIT } from './query-terms.ts';

const en = languageKitFor('en-GB');
const credit = (question: string, text: string, kit = en) => {
  const vocabulary = new Set(text.toLowerCase().match(/[\p{L}\p{N}-]+/gu) ?? []);
  const terms = expandQuestion(question, kit, vocabulary);
  const target = matchable(text, kit);
  return Object.fromEntries(terms.map((term) => [term.word, matchCredit(term, target)]));
};

describe('expandQuestion', () => {
  it('meets morphological variants through the Snowball stemmer', () => {
    expect(credit('Can I renew online?', 'Renewals are done in the app.')).toMatchObject({ renew: 1 });
    expect(credit('instalments', 'Pay by instalment.')).toMatchObject({ instalments: 1 });
  });

  it('bridges everyday vocabulary gaps with the synonyms of the language', () => {
    expect(credit('What is the yearly fee?', 'The annual charge is $48.')).toEqual({ yearly: SYNONYM_CREDIT, fee: SYNONYM_CREDIT });
    expect(credit('How much is it a year?', 'It costs $60 for 12 months.')).toMatchObject({ 'a year': SYNONYM_CREDIT });
    expect(credit('my bike got nicked', 'Report a stolen bike to the police.')).toMatchObject({ bike: 1, nicked: SYNONYM_CREDIT });
  });

  it('treats a synonym phrase in the question as one term', () => {
    const terms = expandQuestion('My dad passed away, what now?', en, new Set());
    expect(terms.map((t) => t.word)).toEqual(['passed away', 'dad']);
    expect(credit('My dad passed away', 'Register a death within 5 days.')).toMatchObject({ 'passed away': SYNONYM_CREDIT });
  });

  it('matches a misspelt word to a word of the passages within its typo budget, not short words', () => {
    expect(credit('recyling centre hours', 'The recycling centre opens at 8.')).toMatchObject({ recyling: TYPO_CREDIT, centre: 1 });
    expect(credit('cat', 'The car park.')).toEqual({ cat: 0 });
  });

  it('keeps a capital letter that names something ("band D") and weakens everyday verbs', () => {
    const terms = expandQuestion('Where do I put a band D bin?', en, new Set());
    expect(terms.map((t) => [t.word, t.strength])).toEqual([['put', 0.3], ['band', 1], ['d', 1], ['bin', 1]]);
  });

  it('uses the stemmer and synonyms of German, French and Spanish bots', () => {
    expect(credit('Was kostet es jährlich?', 'Die Gebühr beträgt 40 Euro pro Jahr.', languageKitFor('de'))).toMatchObject({ jährlich: SYNONYM_CREDIT });
    expect(credit('Quel est le tarif annuel ?', 'Le prix est de 40 euros par an.', languageKitFor('fr'))).toMatchObject({ tarif: SYNONYM_CREDIT, annuel: SYNONYM_CREDIT });
    expect(credit('¿Cuál es la tarifa anual?', 'El precio es 40 euros al año.', languageKitFor('es'))).toMatchObject({ tarifa: SYNONYM_CREDIT, anual: SYNONYM_CREDIT });
  });
});
