import { describe, expect, it } from 'vitest';
import { judgeCuratedMatch } from './curated-answer-match.ts';
import { curatedAnswersToCsv, parseCuratedAnswersCsv } from './curated-answers-csv.ts';

describe('judgeCuratedMatch', () => {
  it('counts a word a typo or an ending away as covered', () => {
    // "pasword" is one edit from "password", "internationali" starts with the stem "intern".
    expect(judgeCuratedMatch(0.62, ['reset', 'pasword'], ['reset', 'password', 'forgot'])).toEqual({ matches: true, coverage: 1 });
    expect(judgeCuratedMatch(0.62, ['ship', 'internationali'], ['ship', 'intern'])).toMatchObject({ matches: true });
    expect(judgeCuratedMatch(0.62, ['passwrod', 'forgot'], ['password', 'forgot'])).toMatchObject({ matches: true });
  });

  it('refuses a one-word question however similar, and a question about something the entry never mentions', () => {
    expect(judgeCuratedMatch(0.99, ['password'], ['forgot', 'password'])).toMatchObject({ matches: false });
    expect(judgeCuratedMatch(0.5, ['reset', 'router'], ['reset', 'password'])).toEqual({ matches: false, coverage: 0.5 });
  });

  it('needs a higher similarity when a word of the question is not the entry’s', () => {
    const words = ['forgot', 'password', 'account'];
    const entry = ['forgot', 'password', 'reset'];
    expect(judgeCuratedMatch(0.81, words, entry)).toMatchObject({ matches: true });
    expect(judgeCuratedMatch(0.61, words, entry)).toMatchObject({ matches: false });
  });

  it('ignores informal question words the stop-word lists keep', () => {
    expect(judgeCuratedMatch(0.5, ['what', 'refnud', 'polici'], ['refund', 'polici'])).toEqual({ matches: true, coverage: 1 });
  });

  it('keeps short words exact: a typo in a three-letter word is another word', () => {
    expect(judgeCuratedMatch(0.9, ['pro', 'plan'], ['pre', 'plan'])).toMatchObject({ matches: false });
  });
});

describe('curated answers CSV', () => {
  it('round-trips formula-looking cells, quotes, line breaks and paraphrases', () => {
    const entries = [
      { id: '6f1c0d1e-3b0a-4c36-9a55-3f1d2e4b5c6d', question: '+1 for refunds?', paraphrases: ['@team refunds', 'Refund?'], answer: '=SUM(A1:A2) "quoted"\nsecond line' },
    ];
    const csv = curatedAnswersToCsv(entries);
    expect(csv).toContain(`"'=SUM(A1:A2) ""quoted""\nsecond line"`);
    expect(csv).toContain(`'+1 for refunds?`);
    expect(parseCuratedAnswersCsv(csv)).toEqual([{ row: 1, id: entries[0]!.id, values: { question: '+1 for refunds?', paraphrases: ['@team refunds', 'Refund?'], answer: '=SUM(A1:A2) "quoted"\nsecond line' } }]);
  });

  it('reads columns in any order and case, without id or paraphrases, and skips a byte order mark and blank lines', () => {
    expect(parseCuratedAnswersCsv('\uFEFFAnswer,Question\n\nYes.,Do you ship?\n')).toEqual([{ row: 1, id: null, values: { question: 'Do you ship?', paraphrases: [], answer: 'Yes.' } }]);
  });

  it.each([
    ['an unclosed quote', 'question,answer\n"never closed,x\n', 'csv'],
    ['a ragged row', 'question,answer\na,b,c\n', 'csv'],
    ['no answer column', 'question,reply\na,b\n', 'csv'],
    ['an empty file', '', 'csv'],
    ['an id not from an export', 'id,question,answer\n42,a,b\n', 'csv.row.1.id'],
  ])('refuses %s with a field error', (_name, csv, field) => {
    expect(() => parseCuratedAnswersCsv(csv)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ fieldErrors: [expect.objectContaining({ field })] }) }));
  });
});
