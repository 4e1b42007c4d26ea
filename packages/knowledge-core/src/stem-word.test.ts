import { describe, expect, it } from 'vitest';
import { stemWord } from './stem-word.ts';

const stems = (words: string): string[] => [...new Set(words.split(' ').map(stemWord))];

describe('stemWord', () => {
  it('brings inflected and derived forms to one stem', () => {
    expect(stems('price prices pricing priced')).toEqual(['pric']);
    expect(stems('ship ships shipping shipped shipment')).toEqual(['ship']);
    expect(stems('plan plans planning planned')).toEqual(['plan']);
    expect(stems('cancel cancels cancelled canceled cancelling cancellation')).toEqual(['cancel']);
    expect(stems('include includes included including')).toEqual(['includ']);
    expect(stems('policy policies')).toEqual(['polici']);
    expect(stems('month monthly months')).toEqual(['month']);
    expect(stems('pay pays paying payment payments')).toEqual(['pay']);
  });

  it('leaves words whose ending is part of the stem alone', () => {
    expect(stemWord('status')).toBe('status');
    expect(stemWord('analysis')).toBe('analysis');
    expect(stemWord('need')).toBe('need');
    expect(stemWord('string')).toBe('string');
  });

  it('passes short words, numbers and other scripts through', () => {
    expect(stemWord('pro')).toBe('pro');
    expect(stemWord('2024')).toBe('2024');
    expect(stemWord('цены')).toBe('цены');
  });
});
