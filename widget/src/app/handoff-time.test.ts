import { describe, expect, it } from 'vitest';
import { formatOpening } from './handoff-time.ts';

describe('formatOpening', () => {
  const now = new Date('2026-12-05T12:00:00Z'); // a Saturday

  it('names the weekday and time of an opening within the week, in the given language', () => {
    const en = formatOpening('2026-12-07T08:00:00Z', 'en', now);
    expect(en).toMatch(/Monday/);
    expect(formatOpening('2026-12-07T08:00:00Z', 'de', now)).toMatch(/Montag/);
  });

  it('adds the date to an opening more than six days away, and leaves an unreadable value as it is', () => {
    expect(formatOpening('2026-12-28T08:00:00Z', 'en', now)).toMatch(/December/);
    expect(formatOpening('soon', 'en', now)).toBe('soon');
  });
});
