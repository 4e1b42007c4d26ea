import { describe, expect, it } from 'vitest';
import {
  distinctEvidence,
  evidenceRecallAt,
  factsPresent,
  hitAt,
  judgeReply,
  matchedEvidence,
  mean,
  ndcg,
  normalizeWhitespace,
  reciprocalRank,
  requiredFacts,
  scoreRanking,
  thresholdSweep,
  type Evidence,
} from './metrics.ts';

const price: Evidence = { document: 'prices.md', text: 'The Pro plan costs\n29 dollars.' };
const row: Evidence = { document: 'prices.md', text: 'Pro | $29 | monthly' };
const chunk = (document: string, text: string) => ({ document, text });

describe('relevance', () => {
  it('normalizes whitespace on both sides', () => {
    expect(normalizeWhitespace('  a \n\t b  ')).toBe('a b');
    expect(matchedEvidence(chunk('prices.md', '## Pricing\nThe  Pro plan costs 29   dollars. More.'), [price])).toEqual([0]);
  });

  it('keeps table pipes and demands the evidence document', () => {
    expect(matchedEvidence(chunk('prices.md', '| Plan | Price | Billing |\n| Pro | $29 | monthly |'), [price, row])).toEqual([1]);
    expect(matchedEvidence(chunk('other.md', 'The Pro plan costs 29 dollars.'), [price])).toEqual([]);
  });

  it('does not count a chunk that cuts the evidence or says it in other words', () => {
    expect(matchedEvidence(chunk('prices.md', 'The Pro plan costs'), [price])).toEqual([]);
    expect(matchedEvidence(chunk('prices.md', 'Pro is 29 dollars.'), [price])).toEqual([]);
  });

  it('drops repeated evidence entries', () => {
    expect(distinctEvidence([price, { ...price, text: 'The Pro plan costs 29 dollars.' }, row])).toEqual([price, row]);
  });
});

describe('scoreRanking', () => {
  const miss = chunk('prices.md', 'Something else entirely.');
  const hitPrice = chunk('prices.md', 'The Pro plan costs 29 dollars.');
  const hitRow = chunk('prices.md', 'Pro | $29 | monthly');

  it('finds the first relevant rank, hit@k and reciprocal rank', () => {
    const score = scoreRanking([miss, miss, hitPrice, miss], [price]);
    expect(score.firstRelevantRank).toBe(3);
    expect(hitAt(score, 1)).toBe(false);
    expect(hitAt(score, 3)).toBe(true);
    expect(reciprocalRank(score)).toBeCloseTo(1 / 3);
    expect(score.relevant).toEqual([false, false, true, false]);
  });

  it('computes nDCG with one ideal chunk per distinct evidence entry', () => {
    const perfect = scoreRanking([hitPrice, hitRow, miss], [price, row]);
    expect(ndcg(perfect)).toBeCloseTo(1);
    const second = scoreRanking([miss, hitPrice], [price]);
    expect(ndcg(second)).toBeCloseTo(1 / Math.log2(3));
    const oneOfTwo = scoreRanking([hitPrice], [price, row]);
    expect(ndcg(oneOfTwo)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)));
  });

  it('credits each evidence entry once, so duplicates cannot push nDCG above 1', () => {
    const score = scoreRanking([hitPrice, hitPrice, hitPrice], [price]);
    expect(ndcg(score)).toBeCloseTo(1);
    expect(score.relevant).toEqual([true, true, true]);
    expect(evidenceRecallAt(score, 10)).toBe(1);
  });

  it('measures evidence recall at k', () => {
    const score = scoreRanking([hitPrice, miss, hitRow], [price, row]);
    expect(evidenceRecallAt(score, 1)).toBe(0.5);
    expect(evidenceRecallAt(score, 2)).toBe(0.5);
    expect(evidenceRecallAt(score, 3)).toBe(1);
    expect(evidenceRecallAt(score, 10)).toBe(1);
  });

  it('only looks at the top `cutoff` chunks', () => {
    const score = scoreRanking([miss, miss, hitPrice], [price], 2);
    expect(score.firstRelevantRank).toBeNull();
    expect(ndcg(score)).toBe(0);
    expect(reciprocalRank(score)).toBe(0);
  });

  it('handles unanswerable questions and empty rankings', () => {
    const unanswerable = scoreRanking([hitPrice], []);
    expect(unanswerable.firstRelevantRank).toBeNull();
    expect(ndcg(unanswerable)).toBe(0);
    expect(evidenceRecallAt(unanswerable, 5)).toBe(0);
    const empty = scoreRanking([], [price]);
    expect(hitAt(empty, 5)).toBe(false);
    expect(evidenceRecallAt(empty, 5)).toBe(0);
  });
});

describe('aggregates', () => {
  it('averages and sweeps thresholds', () => {
    expect(mean([1, 2, 3])).toBe(2);
    expect(mean([])).toBeNaN();
    expect(thresholdSweep([0.1, 0.3], [0.2, 0.5, null], [0.25])).toEqual([{ threshold: 0.25, refused: 0.5, kept: 1 / 3 }]);
  });
});

describe('judgeReply', () => {
  const larkfield = { facts: ['$35', '5 days'], evidence: [{ document: 'waste.md', text: 'The fee is $35 for up to three items' }] };

  it('counts a reply correct when it cites an expected document and holds every fact', () => {
    const reply = { text: 'Sure! The fee is $35 for up to three items, booked 5 days ahead [1].', citedDocuments: ['waste.md'] };
    expect(judgeReply(larkfield, reply)).toEqual({ declined: false, factsFound: true, citesExpected: true, wrongCitation: false, correct: true });
  });

  it('wants whole numbers: "$35" is not found in "$350", nor "5 days" in "15 days"', () => {
    expect(judgeReply(larkfield, { text: 'It is $350, within 15 days [1].', citedDocuments: ['waste.md'] }).factsFound).toBe(false);
  });

  it('flags a wrong citation and a decline', () => {
    expect(judgeReply(larkfield, { text: 'The fee is $35 within 5 days [1].', citedDocuments: ['parking.md'] })).toMatchObject({ wrongCitation: true, correct: false });
    expect(judgeReply(larkfield, { text: "I don't know that.", citedDocuments: [] })).toMatchObject({ declined: true, wrongCitation: false, correct: false });
  });

  it('counts an unanswerable question correct only when declined', () => {
    const unanswerable = { evidence: [] };
    expect(judgeReply(unanswerable, { text: "I don't know that.", citedDocuments: [] }).correct).toBe(true);
    expect(judgeReply(unanswerable, { text: 'Bins go out at 7 a.m. [1].', citedDocuments: ['waste.md'] }).correct).toBe(false);
  });
});

describe('requiredFacts and factsPresent', () => {
  it('judges evidence-only questions on the numbers of an evidence entry, or two thirds of its words', () => {
    const numbers = requiredFacts({ evidence: [{ document: 'w.md', text: 'Batteries | 2 years or 500 full charge cycles' }] });
    expect(numbers).toEqual([{ all: ['2', '500'], some: [] }]);
    expect(factsPresent('Batteries are covered for 2 years or 500 cycles [1].', numbers)).toBe(true);
    expect(factsPresent('Batteries are covered for 2 years [1].', numbers)).toBe(false);
    const words = requiredFacts({ evidence: [{ document: 'w.md', text: 'Millbrook does not offer rentals at all' }] });
    expect(factsPresent('Millbrook does not offer rentals [1].', words)).toBe(true);
    expect(factsPresent('Riverside has no bikes to hire [1].', words)).toBe(false);
  });
});
