import { describe, expect, it } from 'vitest';
import type { AnalyticsFigures } from './analytics.service.ts';
import { analyticsCsv } from './analytics-routes.ts';

const figures: AnalyticsFigures = {
  conversations: 3, messages: 9, visitorMessages: 4, uniqueVisitors: 2, ttftMedianMs: 420, ttftP95Ms: null,
  handedOffConversations: 1, resolvedWithoutHandoffShare: 0.6667, sentiment: { positive: 1, neutral: 2, negative: 1 },
  leads: 1, unansweredQuestions: 0, costUsd: 0.001234,
  feedback: { helpfulAnswers: 3, unhelpfulAnswers: 1, helpfulShare: 0.75, csatResponses: 2, csatAverage: 4.5, csatSatisfiedShare: 1, csatDistribution: [0, 0, 0, 1, 1] },
};

describe('the analytics CSV', () => {
  it('has a header, one line per day and a total line, empty cells for unknown figures', () => {
    const csv = analyticsCsv({ from: '2026-11-01', to: '2026-11-02', days: [{ day: '2026-11-01', ...figures }, { day: '2026-11-02', ...figures }], totals: figures });
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('2026-11-01,3,9,4,2,420,,1,0.6667,1,2,1,1,0,0.001234,3,1,0.75,2,4.5,1');
    expect(lines[3]).toMatch(/^total,3,9,/);
  });

  it('never hands a spreadsheet a formula', () => {
    const csv = analyticsCsv({ from: 'x', to: 'x', days: [{ day: '=HYPERLINK("http://evil")', ...figures }], totals: figures });
    expect(csv.split('\n')[1]).toMatch(/^"?'=HYPERLINK/);
  });
});
