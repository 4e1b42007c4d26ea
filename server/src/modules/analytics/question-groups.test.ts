import { describe, expect, it } from 'vitest';
import { groupSimilarQuestions } from './question-groups.ts';
import { analyticsQuestion } from './question-text.ts';

describe('top questions', () => {
  it('groups rewordings of one question and keeps other topics apart, most asked first', async () => {
    const groups = await groupSimilarQuestions([
      { text: 'When is support open?', asked: 2, unanswered: 0 },
      { text: 'How much is the Pro plan?', asked: 3, unanswered: 0 },
      { text: 'Pro plan price?', asked: 2, unanswered: 1 },
      { text: 'What is the capital of Peru?', asked: 1, unanswered: 1 },
      { text: 'how much does the pro plan cost', asked: 1, unanswered: 0 },
    ], 10);
    expect(groups).toEqual([
      { representative: 'How much is the Pro plan?', asked: 6, unanswered: 1, variants: ['Pro plan price?', 'how much does the pro plan cost'] },
      { representative: 'When is support open?', asked: 2, unanswered: 0, variants: [] },
      { representative: 'What is the capital of Peru?', asked: 1, unanswered: 1, variants: [] },
    ]);
    expect(await groupSimilarQuestions([{ text: 'a', asked: 1, unanswered: 0 }, { text: 'Pro plan price?', asked: 2, unanswered: 0 }], 1)).toHaveLength(1);
  });

  it('keys questions by their words, not case, spacing or closing punctuation, and hides personal data', () => {
    expect(analyticsQuestion('How much is  the Pro plan?').hash).toBe(analyticsQuestion('how much is the pro plan').hash);
    expect(analyticsQuestion('How much is the Pro plan?').hash).not.toBe(analyticsQuestion('How much is the Starter plan?').hash);
    const withEmail = analyticsQuestion('Please write to ada@example.com about pricing');
    expect(withEmail.text).not.toContain('ada@example.com');
    expect(withEmail.hash).toBe(analyticsQuestion('Please write to bob@example.org about pricing').hash);
  });
});
