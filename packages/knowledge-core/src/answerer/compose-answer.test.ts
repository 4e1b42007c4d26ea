import { describe, expect, it } from 'vitest';
import type { AnswerVoice } from '../answer-voice.ts';
import { chunkText } from '../chunk-text.ts';
import { composeOfflineAnswer, type SourcePassage } from './compose-answer.ts';
import { ANSWER_CONFIDENCE, answerConfidence, shouldDecline, type DeclineSignals } from './decline.ts';

const GUIDE = `# Larkfield Leisure

## Leisure Centre

The Leisure Centre on Riverside Road has a 25 m pool, a gym and a sports hall. It is open Mon.–Fri. 6:30 a.m. to 10 p.m.

A single adult swim costs $5.20 and a child swim costs $3.10. Children under 5 swim free with a paying adult.

## Resident permits

A resident permit lets you park in your zone without time limits. It costs $60 for 12 months or $35 for 6 months.

To apply you need:

1. Proof of address dated within the last three months.
2. The vehicle registration certificate in your name.

Apply at https://permits.larkfield.example/resident. Applications are usually approved within approx. 2 working days. Residents can ask for a charge point with the [request form](ev-request.md).

## Can I pay in cash?

Yes: in cash at any Post Office with the barcode on your bill.

## Recycling Centre

**Address:** Quarry Lane, Larkfield LK4 7RP

**Opening hours:** daily 8:30 a.m. to 5 p.m.
`;

// As retrieval hands them over: chunks, best first (the test gives every passage the same score).
const passages: SourcePassage[] = chunkText(GUIDE).map((chunk, i) => ({
  id: `guide-${i}`, documentTitle: 'Larkfield Leisure', sectionPath: chunk.sectionPath, text: chunk.text, score: 0.4,
}));
const concise: AnswerVoice = { botName: 'Lark', tone: 'concise' };
const ask = (question: string, given: SourcePassage[] = passages) => composeOfflineAnswer({ question, passages: given, voice: concise, language: 'en' });
const sectionOf = (question: string) => {
  const answer = ask(question);
  return passages.find((p) => p.id === answer.citations[0]?.passageId)?.sectionPath?.at(-1);
};

describe('composeOfflineAnswer', () => {
  it('answers a question for a value from the table row that holds it, not from prose about the same thing', () => {
    const range: SourcePassage[] = [
      { id: 'prose', documentTitle: 'E-bikes', sectionPath: ['E-bikes', 'Trailhead E-MTB'], score: 0.39,
        text: 'Trailhead E-MTB\n\nThe Trailhead is a full-suspension electric mountain bike with a mid-drive motor. It is built for trails.' },
      { id: 'table', documentTitle: 'E-bikes', sectionPath: ['E-bikes', 'The range'], score: 0.27,
        text: 'The range\n\n| Model | Type | Price |\n| --- | --- | --- |\n| Commuter E1 | City | $2,499 |\n| Trailhead E-MTB | Full-suspension mountain | $4,899 |' },
    ];
    const answer = ask('What is the price of the Trailhead electric mountain bike?', range);
    expect(answer.text).toContain('$4,899');
    expect(answer.citations[0]?.passageId).toBe('table');
  });

  it('never quotes a sentence about the page itself', () => {
    const page: SourcePassage[] = [{ id: 'intro', documentTitle: 'Warranty', sectionPath: ['Warranty'], score: 0.4,
      text: 'This page explains what the frame warranty covers and for how long. A second owner gets a 5-year frame warranty from the original purchase date.' }];
    expect(ask('What frame warranty does a second owner get?', page).text).toBe('A second owner gets a 5-year frame warranty from the original purchase date [1].');
  });

  it('quotes the sentence holding the asked-for value, with its citation', () => {
    const answer = ask('How much is a swim for a grown-up?');
    expect(answer.grounded).toBe(true);
    // The next sentence of the paragraph is about the same thing (a paying adult), so it comes along.
    expect(answer.text).toBe('A single adult swim costs $5.20 and a child swim costs $3.10. Children under 5 swim free with a paying adult [1].');
    expect(answer.citations).toEqual([{
      passageId: passages.find((p) => p.sectionPath?.at(-1) === 'Leisure Centre')?.id,
      documentTitle: 'Larkfield Leisure',
      snippet: 'A single adult swim costs $5.20 and a child swim costs $3.10. Children under 5 swim free with a paying adult.',
      marker: 1,
    }]);
  });

  it('brings the sentence a continuing one needs ("It costs …" after what "it" is)', () => {
    const answer = ask('What does a resident parking permit cost per year?');
    expect(answer.text).toBe('A resident permit lets you park in your zone without time limits. It costs $60 for 12 months or $35 for 6 months [1].');
  });

  it('answers from the text under an FAQ question, never with the question itself', () => {
    const answer = ask('can i pay with cash');
    expect(answer.text).toBe('Yes: in cash at any Post Office with the barcode on your bill [1].');
  });

  it('keeps a label with its value and a list item with its lead-in', () => {
    expect(ask('What is the address of the recycling centre?').text).toBe('Address: Quarry Lane, Larkfield LK4 7RP [1]');
    expect(ask('What documents do I need to apply for a resident permit?').text).toContain('To apply you need: Proof of address dated within the last three months');
  });

  it('never splits a URL or an abbreviation, and shows no link targets', () => {
    const answer = ask('Where do I apply for a resident permit online?');
    expect(answer.text).toMatch(/Apply at https:\/\/permits\.larkfield\.example\/resident \[1\]\./);
    expect(ask('How long does a permit application take to be approved?').text).toContain('usually approved within approx. 2 working days');
    expect(ask('How do I ask for a charge point?').text).not.toContain('.md');
  });

  it('matches misspelt and paraphrased questions', () => {
    expect(sectionOf('recyling centre opening times?')).toBe('Recycling Centre');
    expect(sectionOf('how much is a swim for kids')).toBe('Leisure Centre');
  });

  it('declines an on-topic question the passages do not answer, with the voice\'s own words and no citation', () => {
    const answer = ask('Does the leisure centre have a climbing wall?');
    expect(answer).toMatchObject({ grounded: false, citations: [], text: expect.stringMatching(/^I don't know that/) });
    expect(answer.signals.unmatched).toBeGreaterThan(0);
    expect(ask('Can I bring my dog to the recycling centre?').grounded).toBe(false);
    expect(ask('Do you sell electric scooters?').grounded).toBe(false);
  });

  it('declines when nothing was retrieved, or the question has no content words', () => {
    expect(ask('How much is a swim?', []).grounded).toBe(false);
    expect(ask('what is it?').grounded).toBe(false);
  });

  it('answers a German bot from German passages', () => {
    const german: SourcePassage[] = [{
      id: 'de-1', documentTitle: 'Gebühren', sectionPath: ['Gebühren', 'Parkausweis'], score: 0.4,
      text: 'Parkausweis\n\nDer Anwohnerparkausweis kostet 60 Euro pro Jahr. Anträge werden in ca. 2 Werktagen bearbeitet.',
    }];
    const answer = composeOfflineAnswer({ question: 'Was kostet der Anwohnerparkausweis jährlich?', passages: german, voice: concise, language: 'de-AT' });
    expect(answer.text).toBe('Der Anwohnerparkausweis kostet 60 Euro pro Jahr [1].');
  });
});

describe('the decline decision', () => {
  const base: DeclineSignals = { coverage: 0.8, unmatched: 0, sentence: 0.6, agreement: 1, answerType: 1 };

  it('answers when the question is covered by a sentence that holds the asked-for value', () => {
    expect(shouldDecline(base)).toBe(false);
  });

  it('declines as each signal weakens: coverage, sentence score, asked-for value, unmatched words', () => {
    expect(shouldDecline({ ...base, coverage: 0.2, sentence: 0.3 })).toBe(true);
    expect(shouldDecline({ ...base, coverage: 0.5, sentence: 0.4, answerType: 0 })).toBe(true);
    expect(shouldDecline({ ...base, coverage: 0.6, sentence: 0.5, answerType: 0.5, unmatched: 0.6 })).toBe(true);
    expect(shouldDecline({ ...base, coverage: 0.6, sentence: 0.5, answerType: 0.5, unmatched: 0 })).toBe(false);
  });

  it('is monotonic in every signal', () => {
    for (const key of ['coverage', 'sentence', 'answerType'] as const) {
      expect(answerConfidence({ ...base, [key]: 0.9 })).toBeGreaterThanOrEqual(answerConfidence({ ...base, [key]: 0.1 }));
    }
    expect(answerConfidence({ ...base, unmatched: 0.9 })).toBeLessThan(answerConfidence({ ...base, unmatched: 0.1 }));
    expect(ANSWER_CONFIDENCE).toBeGreaterThan(0);
  });
});
