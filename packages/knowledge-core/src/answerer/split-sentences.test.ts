import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences.ts';

describe('splitSentences', () => {
  it('splits ordinary sentences', () => {
    expect(splitSentences('We open at nine. We close at five! Any questions?')).toEqual(['We open at nine.', 'We close at five!', 'Any questions?']);
  });

  it('never splits inside a URL, even one followed by a capital or with dots and a query', () => {
    expect(splitSentences('Apply at https://permits.example.org/v2.1/apply?x=1. Approval takes 2 days.')).toEqual([
      'Apply at https://permits.example.org/v2.1/apply?x=1.',
      'Approval takes 2 days.',
    ]);
    expect(splitSentences('See www.larkfield.example/Bins. Then Book online.')).toEqual(['See www.larkfield.example/Bins.', 'Then Book online.']);
    // ICU alone breaks after the "?" of a query string that a capital follows.
    expect(splitSentences('Book at https://larkfield.example/book?Day=Mon today. Then pay.')).toEqual([
      'Book at https://larkfield.example/book?Day=Mon today.',
      'Then pay.',
    ]);
  });

  it('keeps e-mail addresses whole', () => {
    expect(splitSentences('Write to foi.team@larkfield.example. We reply in 20 days.')).toEqual([
      'Write to foi.team@larkfield.example.',
      'We reply in 20 days.',
    ]);
  });

  it('keeps decimals and prices whole', () => {
    expect(splitSentences('A swim costs $5.20 for adults. Charging costs 0.45 per kWh.')).toEqual([
      'A swim costs $5.20 for adults.',
      'Charging costs 0.45 per kWh.',
    ]);
  });

  it('does not split after abbreviations such as e.g., approx., Dr. or Mon.', () => {
    expect(splitSentences('Bring ID, e.g. Your passport. It takes approx. 2 days.')).toEqual(['Bring ID, e.g. Your passport.', 'It takes approx. 2 days.']);
    expect(splitSentences('Ask Dr. Lee at the desk. Open Mon.–Fri. 6:30 a.m. to 10 p.m. and Sat. 8 a.m. to 6 p.m. daily.')).toEqual([
      'Ask Dr. Lee at the desk.',
      'Open Mon.–Fri. 6:30 a.m. to 10 p.m. and Sat. 8 a.m. to 6 p.m. daily.',
    ]);
  });

  it('knows the abbreviations of the bot language', () => {
    expect(splitSentences('Bringen Sie z.B. Ihren Ausweis mit. Die Gebühr beträgt ca. 20 Euro.', 'de')).toEqual([
      'Bringen Sie z.B. Ihren Ausweis mit.',
      'Die Gebühr beträgt ca. 20 Euro.',
    ]);
  });

  it('keeps a label with its value', () => {
    expect(splitSentences('Phone: 555-0100 (Mon.–Fri. 8:30 a.m. to 5 p.m.)')).toEqual(['Phone: 555-0100 (Mon.–Fri. 8:30 a.m. to 5 p.m.)']);
  });
});
