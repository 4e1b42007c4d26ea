import { describe, expect, it } from 'vitest';
import type { Persona, ProviderPassage, ReplyRequest } from './ai-provider.ts';
import { createOfflineProvider } from './offline-provider.ts';

const persona: Persona = { botName: 'Lark', tone: 'concise', systemPrompt: '', unknownAnswer: null, offerHuman: false, language: 'en' };
const permits: ProviderPassage = {
  id: 'permits-1', documentTitle: 'Parking Permits', sectionPath: ['Parking Permits', 'Resident permits'], page: 3, score: 0.45,
  text: 'Resident permits\n\nA resident permit costs $60 for 12 months. Apply at https://permits.larkfield.example/resident. See the [rules](rules.md).',
};

function request(question: string, overrides: Partial<ReplyRequest> = {}): ReplyRequest {
  return { question, history: [], passages: [permits], persona, chain: [], signal: new AbortController().signal, ...overrides };
}

async function reply(req: ReplyRequest) {
  const stream = await createOfflineProvider({ tokenDelayMs: 0 }).streamReply(req);
  let text = '';
  for await (const token of stream.tokens) text += token;
  return { text, citations: stream.citations(), grounded: stream.grounded?.(), usage: stream.usage() };
}

describe('the offline provider', () => {
  it('streams the quote that answers, cited with the passage\'s section and page', async () => {
    const { text, citations, grounded, usage } = await reply(request('how much is a resident permit per year?'));
    expect(text).toBe('A resident permit costs $60 for 12 months [1].');
    expect(grounded).toBe(true);
    expect(citations).toEqual([{
      marker: 1, passageId: 'permits-1', documentTitle: 'Parking Permits', sectionPath: ['Parking Permits', 'Resident permits'], page: 3,
      snippet: 'A resident permit costs $60 for 12 months.',
    }]);
    expect(usage.outputTokens).toBeGreaterThan(0);
  });

  it('keeps a web address whole and drops a link to a file', async () => {
    const { text } = await reply(request('Where do I apply for a resident permit online?'));
    expect(text).toContain('https://permits.larkfield.example/resident');
    expect(text).not.toContain('rules.md');
  });

  it('declines in the persona\'s words, without citations, when the passages do not answer', async () => {
    const { text, citations, grounded } = await reply(request('Can I get a permit for my boat trailer at the marina?', {
      persona: { ...persona, unknownAnswer: 'Our notes do not cover that.' },
    }));
    expect({ text, citations, grounded }).toEqual({ text: 'Our notes do not cover that.', citations: [], grounded: false });
  });

  it('answers in the bot\'s language, with its stemmer and synonyms', async () => {
    const passage: ProviderPassage = { ...permits, text: 'Anwohnerparken\n\nDer Anwohnerparkausweis kostet 60 Euro pro Jahr.' };
    const { text } = await reply(request('Was kostet der Anwohnerparkausweis jährlich?', { passages: [passage], persona: { ...persona, language: 'de' } }));
    expect(text).toBe('Der Anwohnerparkausweis kostet 60 Euro pro Jahr [1].');
  });
});
