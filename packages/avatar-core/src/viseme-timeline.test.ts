import { describe, expect, it } from 'vitest';
import { DEFAULT_WORDS_PER_MINUTE, type VisemeCue, createVisemeStream, textToVisemes } from './viseme-timeline.ts';

const REPLY = `Good question! The Pro plan costs $29 per month [1] and includes five mascots.
You can cancel at any time from the billing page; we refund the unused days.

If you need more seats, the enterprise plan is priced individually — our sales team would be happy to help. Thanks for asking, and have a wonderful day!`;

const spokenMs = (timeline: readonly VisemeCue[]): number =>
  timeline.filter((cue) => cue.viseme !== 'sil').reduce((sum, cue) => sum + cue.durationMs, 0);
const endOf = (timeline: readonly VisemeCue[]): number => {
  const last = timeline.at(-1);
  return last === undefined ? 0 : last.startMs + last.durationMs;
};

// Deterministic pseudo-random numbers (mulberry32), so a failing chunking can be reproduced.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChunks(text: string, next: () => number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; ) {
    const size = next() < 0.15 ? 0 : 1 + Math.floor(next() * 12); // empty deltas happen too
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

describe('textToVisemes', () => {
  it('starts at startMs and is monotonic and contiguous', () => {
    const timeline = textToVisemes(REPLY, { startMs: 1000 });
    expect(timeline[0]?.startMs).toBe(1000);
    for (let i = 1; i < timeline.length; i++) {
      const previous = timeline[i - 1] as VisemeCue;
      expect(timeline[i]?.startMs).toBe(previous.startMs + previous.durationMs);
      expect(previous.durationMs).toBeGreaterThan(0);
    }
  });

  it('speaks at about the default rate of 165 words per minute, pauses not counted', () => {
    const words = 'the quick brown fox jumps over the lazy dog and then it runs away into the forest near our house '.repeat(4);
    const expectedMs = (words.trim().split(/\s+/).length / DEFAULT_WORDS_PER_MINUTE) * 60_000;
    expect(spokenMs(textToVisemes(words)) / expectedMs).toBeGreaterThan(0.85);
    expect(spokenMs(textToVisemes(words)) / expectedMs).toBeLessThan(1.15);
  });

  it('scales durations with the speaking rate', () => {
    const normal = spokenMs(textToVisemes(REPLY, { wordsPerMinute: 150 }));
    const fast = spokenMs(textToVisemes(REPLY, { wordsPerMinute: 300 }));
    expect(fast / normal).toBeCloseTo(0.5, 1);
  });

  it('rests longer after a full stop than after a comma', () => {
    const [comma, stop] = ['Well, yes', 'Well. Yes'].map((text) => textToVisemes(text).find((cue) => cue.viseme === 'sil'));
    expect(stop?.durationMs).toBeGreaterThan(comma?.durationMs ?? Infinity);
  });

  it('joins consecutive pauses into one rest as long as the longest', () => {
    const timeline = textToVisemes('Yes.\n\n— No');
    expect(timeline.filter((cue) => cue.viseme === 'sil')).toHaveLength(2); // the gap and the closing rest
    expect(timeline.map((cue) => cue.viseme).join(' ')).toMatch(/SS sil nn/);
  });

  it('drops pauses before the first word and closes the mouth after the last', () => {
    const timeline = textToVisemes('\n\n... Hi');
    expect(timeline[0]?.viseme).not.toBe('sil');
    expect(timeline.at(-1)).toMatchObject({ viseme: 'sil', weight: 0 });
  });

  it('returns an empty timeline for text with nothing to say', () => {
    expect(textToVisemes('')).toEqual([]);
    expect(textToVisemes('  \n [1] 🙂 ')).toEqual([]);
  });

  it('rejects a speaking rate that is not a positive number', () => {
    expect(() => textToVisemes('hi', { wordsPerMinute: 0 })).toThrow(RangeError);
    expect(() => textToVisemes('hi', { startMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('createVisemeStream', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('yields the same timeline for random chunking #%i', (seed) => {
    const text = seed % 2 === 0 ? REPLY : `${REPLY}\n\n中文回答。 Ünïcödé 🙂 10:30, 3.5% & more...`;
    const stream = createVisemeStream({ startMs: 250 });
    const streamed = [...randomChunks(text, random(seed)).flatMap((chunk) => stream.push(chunk)), ...stream.end()];
    expect(streamed).toEqual(textToVisemes(text, { startMs: 250 }));
  });

  it('yields the same timeline when fed one character at a time, surrogate halves included', () => {
    const text = 'Hi 🙂 there, 42!';
    const stream = createVisemeStream();
    const streamed = [...text.split('').flatMap((unit) => stream.push(unit)), ...stream.end()];
    expect(streamed).toEqual(textToVisemes(text));
  });

  it('releases a word as soon as the next one begins, before the reply ends', () => {
    const stream = createVisemeStream();
    expect(stream.push('Hello')).toEqual([]);
    const cues = stream.push(' wor');
    expect(cues.map((cue) => cue.viseme)).toEqual(textToVisemes('Hello').slice(0, -1).map((cue) => cue.viseme));
  });

  it('refuses text after end and returns nothing from a second end', () => {
    const stream = createVisemeStream();
    stream.push('Done.');
    expect(stream.end().length).toBeGreaterThan(0);
    expect(stream.end()).toEqual([]);
    expect(() => stream.push('more')).toThrow(/ended/);
  });

  it('continues each push where the previous one left off', () => {
    const stream = createVisemeStream({ startMs: 0 });
    const first = stream.push('One two ');
    const rest = stream.push('three four');
    expect(first.length).toBeGreaterThan(0);
    expect(rest[0]?.startMs).toBe(endOf(first));
  });
});
