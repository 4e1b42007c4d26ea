import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, isKnownTimeZone, isOpen, nextOpening, type BusinessHours, type WeeklyOpening } from './business-hours.ts';

const weekdays = (opens: string, closes: string): WeeklyOpening[] =>
  ([1, 2, 3, 4, 5] as const).map((day) => ({ day, opens, closes }));

const berlin: BusinessHours = { timeZone: 'Europe/Berlin', weekly: weekdays('09:00', '17:00'), holidays: ['2026-12-24', '2026-12-25'] };
const at = (iso: string) => new Date(iso);

describe('business hours', () => {
  it('is always open, with no next opening, when no schedule is set', () => {
    expect(isOpen(ALWAYS_OPEN, at('2026-12-06T03:00:00Z'))).toBe(true);
    expect(nextOpening(ALWAYS_OPEN, at('2026-12-06T03:00:00Z'))).toBeNull();
  });

  it('reads the schedule in the tenant time zone, not UTC', () => {
    // Monday 7 December 2026: 08:30 UTC is 09:30 in Berlin (CET, +1).
    expect(isOpen(berlin, at('2026-12-07T08:30:00Z'))).toBe(true);
    expect(isOpen(berlin, at('2026-12-07T07:30:00Z'))).toBe(false);
    // Closing time is exclusive: 17:00 Berlin is 16:00 UTC.
    expect(isOpen(berlin, at('2026-12-07T15:59:00Z'))).toBe(true);
    expect(isOpen(berlin, at('2026-12-07T16:00:00Z'))).toBe(false);
    const newYork: BusinessHours = { timeZone: 'America/New_York', weekly: weekdays('09:00', '17:00'), holidays: [] };
    // 15:00 UTC is 10:00 in New York (EST, -5) but 16:00 in Berlin.
    expect(isOpen(newYork, at('2026-12-07T15:00:00Z'))).toBe(true);
    expect(isOpen(newYork, at('2026-12-07T13:30:00Z'))).toBe(false);
  });

  it('returns the moment itself while open, and the next opening after closing time', () => {
    expect(nextOpening(berlin, at('2026-12-07T10:00:00Z'))).toEqual(at('2026-12-07T10:00:00Z'));
    // Monday 18:00 Berlin → Tuesday 09:00 Berlin (08:00 UTC).
    expect(nextOpening(berlin, at('2026-12-07T17:00:00Z'))).toEqual(at('2026-12-08T08:00:00Z'));
    // Early Monday morning → the same day's opening.
    expect(nextOpening(berlin, at('2026-12-07T05:00:00Z'))).toEqual(at('2026-12-07T08:00:00Z'));
  });

  it('skips weekends and holidays, which are local dates', () => {
    // Saturday 5 December → Monday 7 December 09:00 Berlin.
    expect(nextOpening(berlin, at('2026-12-05T12:00:00Z'))).toEqual(at('2026-12-07T08:00:00Z'));
    // Wednesday 23rd after hours → Thursday 24th and Friday 25th are holidays → Monday 28th.
    expect(isOpen(berlin, at('2026-12-24T10:00:00Z'))).toBe(false);
    expect(nextOpening(berlin, at('2026-12-23T17:00:00Z'))).toEqual(at('2026-12-28T08:00:00Z'));
    // 23:30 UTC on the 23rd is already the 24th in Berlin: the holiday is read in local time.
    expect(nextOpening(berlin, at('2026-12-23T23:30:00Z'))).toEqual(at('2026-12-28T08:00:00Z'));
  });

  it('keeps local opening times across daylight saving changes', () => {
    // Berlin moves to CEST (+2) on Sunday 29 March 2026: Friday opens at 08:00 UTC, Monday at 07:00 UTC.
    expect(nextOpening(berlin, at('2026-03-27T17:00:00Z'))).toEqual(at('2026-03-30T07:00:00Z'));
    // New York moves to EDT (-4) on Sunday 8 March 2026: Monday 09:00 is 13:00 UTC.
    const newYork: BusinessHours = { timeZone: 'America/New_York', weekly: weekdays('09:00', '17:00'), holidays: [] };
    expect(nextOpening(newYork, at('2026-03-07T12:00:00Z'))).toEqual(at('2026-03-09T13:00:00Z'));
    // And back to CET (+1) on Sunday 25 October 2026.
    expect(nextOpening(berlin, at('2026-10-23T16:00:00Z'))).toEqual(at('2026-10-26T08:00:00Z'));
  });

  it('moves an opening the clocks skip forward by the gap, and takes a repeated time at its first occurrence', () => {
    const night: BusinessHours = { timeZone: 'Europe/Berlin', weekly: [{ day: 7, opens: '02:30', closes: '05:00' }], holidays: [] };
    // Sunday 29 March 2026, 02:30 does not exist in Berlin: 03:30 CEST = 01:30 UTC.
    expect(nextOpening(night, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-29T01:30:00Z'));
    // Sunday 25 October 2026, 02:30 happens twice: first at CEST (00:30 UTC).
    expect(nextOpening(night, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-25T00:30:00Z'));
  });

  it('supports several openings a day, a closing at 24:00 and shifts split across midnight', () => {
    const split: BusinessHours = {
      timeZone: 'Asia/Tokyo',
      weekly: [
        { day: 1, opens: '09:00', closes: '12:00' },
        { day: 1, opens: '13:00', closes: '24:00' },
        { day: 2, opens: '00:00', closes: '02:00' },
      ],
      holidays: [],
    };
    // Monday 7 December 2026, 12:30 Tokyo (+9) is 03:30 UTC: the lunch break.
    expect(isOpen(split, at('2026-12-07T03:30:00Z'))).toBe(false);
    expect(nextOpening(split, at('2026-12-07T03:30:00Z'))).toEqual(at('2026-12-07T04:00:00Z'));
    // 23:59 Monday and 01:00 Tuesday Tokyo are open; 02:00 Tuesday closes until next Monday.
    expect(isOpen(split, at('2026-12-07T14:59:00Z'))).toBe(true);
    expect(isOpen(split, at('2026-12-07T16:00:00Z'))).toBe(true);
    expect(nextOpening(split, at('2026-12-07T17:00:00Z'))).toEqual(at('2026-12-14T00:00:00Z'));
  });

  it('has no next opening when holidays cover every opening for a year', () => {
    const once: BusinessHours = { timeZone: 'UTC', weekly: [{ day: 1, opens: '09:00', closes: '10:00' }], holidays: [] };
    const mondays = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 11, 7) + i * 7 * 86_400_000).toISOString().slice(0, 10));
    expect(nextOpening({ ...once, holidays: mondays }, at('2026-12-06T00:00:00Z'))).toBeNull();
  });

  it('knows IANA time zones and refuses anything else', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('+02:00')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
