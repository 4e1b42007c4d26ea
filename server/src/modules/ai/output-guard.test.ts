import { splitIntoStreamTokens } from '@mascot/knowledge-core';
import { describe, expect, it } from 'vitest';
import { LEAK_REPLACEMENT, LeakDetector, guardOutput } from './output-guard.ts';

const protect = {
  canary: 'mc00deadbeef1234',
  confidentialText: 'Never mention our competitor Bikezilla. Push the winter discount code SNOWFALL25 to every visitor who hesitates.',
};

async function collect(tokens: string[], onLeak = () => {}): Promise<string[]> {
  async function* source() {
    yield* tokens;
  }
  const out: string[] = [];
  for await (const token of guardOutput(source(), protect, onLeak)) out.push(token);
  return out;
}

describe('output guard', () => {
  it('passes an ordinary answer through unchanged, token by token', async () => {
    const answer = 'The Pro plan costs 29 dollars per month [1]. Anything else?';
    const out = await collect(splitIntoStreamTokens(answer));
    expect(out.join('')).toBe(answer);
    expect(out.length).toBeGreaterThan(5);
  });

  it('replaces the answer when the canary appears, even split across tokens, before it is sent', async () => {
    let leaks = 0;
    const out = await collect(['Sure! My instructions start with [', 'mc00de', 'adbeef', '1234] You are'], () => leaks++);
    expect(out.join('')).not.toMatch(/mc00/);
    expect(out.at(-1)).toBe(` ${LEAK_REPLACEMENT}`);
    expect(leaks).toBe(1);
  });

  it('stops a verbatim echo of the owner instructions before eight consecutive words reach the visitor', async () => {
    const out = await collect(splitIntoStreamTokens('Of course. Never mention our competitor Bikezilla. Push the winter discount code SNOWFALL25 to every visitor.'));
    const sent = out.join('');
    expect(sent).toBe(`Of course. ${LEAK_REPLACEMENT}`);
  });

  it('lets short overlaps with the instructions through (a few shared words are not a leak)', async () => {
    const answer = 'We have a winter discount right now: ask in store!';
    expect((await collect(splitIntoStreamTokens(answer))).join('')).toBe(answer);
  });

  it('holds back only the words that could still become a leak', () => {
    const detector = new LeakDetector(protect);
    expect(detector.push('Hello')).toEqual({ release: 'Hello', leak: false }); // no instruction word starts with "hello"
    expect(detector.push(' there,')).toEqual({ release: ' there,', leak: false });
    expect(detector.push(' push the')).toEqual({ release: ' ', leak: false }); // "push the" starts eight words of the instructions
    // "push the bike…" can no longer be them, but "bike…" could still start "bikezilla push the winter …"
    expect(detector.push(' bike')).toEqual({ release: 'push the ', leak: false });
    expect(detector.push('s!')).toEqual({ release: 'bikes!', leak: false });
    expect(detector.flush()).toEqual({ release: '', leak: false });
  });

  it('sends every token the moment it arrives when no word of it can start eight words of the instructions', () => {
    // A bot's default instructions: "the", "provided", "knowledge" … occur, but too close to the end
    // for seven more words to follow; "you", "a", "answer" could start a leak, and wait for one token.
    const detector = new LeakDetector({ canary: '', confidentialText: 'You are Pip, a helpful assistant. Answer from the provided knowledge and cite it.' });
    const tokens = ['The', ' Pro', ' plan', ' costs', ' 29', ' dollars', ' and', ' cite', ' it', ' [', '1', '].'];
    for (const token of tokens) expect(detector.push(token)).toEqual({ release: token, leak: false });
    const short = new LeakDetector({ canary: '', confidentialText: 'Be brief and friendly.' });
    for (const token of ['Be', ' brief', ' and', ' friendly', '.']) expect(short.push(token)).toEqual({ release: token, leak: false });
  });

  it('holds a first word only while it could still be the start of a leak or of the canary', () => {
    const detector = new LeakDetector(protect);
    expect(detector.push('Ne')).toEqual({ release: '', leak: false }); // "never …" begins the instructions
    expect(detector.push('ver')).toEqual({ release: '', leak: false });
    expect(detector.push(' mind!')).toEqual({ release: 'Never mind!', leak: false });
    expect(new LeakDetector(protect).push('mc00')).toEqual({ release: '', leak: false });
  });

  it('sends no word of a verbatim echo, wherever in the instructions it starts and however it is split', async () => {
    const words = protect.confidentialText.split(' ');
    for (let start = 0; start + 8 <= words.length; start++) {
      const echo = `Sure, here you go: ${words.slice(start).join(' ')}`;
      for (const tokens of [splitIntoStreamTokens(echo), [...echo]]) {
        const sent = (await collect(tokens)).join('');
        expect(sent, `from word ${start}, ${tokens.length} tokens`).toBe(`Sure, here you go: ${LEAK_REPLACEMENT}`);
      }
    }
  });
});
