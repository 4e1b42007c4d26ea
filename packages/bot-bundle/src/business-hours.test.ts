import { describe, expect, it } from 'vitest';
import { diffBotBundles } from './diff-bot-bundles.ts';
import { publicBotView } from './public-bot-view.ts';
import { fullBundle } from './test-bundles.ts';
import { colorSchemeOf } from './theme.ts';
import { validateBotBundle } from './validate-bot-bundle.ts';

const withHours = (businessHours: unknown) => ({ ...fullBundle(), businessHours });
const WEEKDAYS = { timeZone: 'Europe/Berlin', weekly: [{ day: 1, opens: '09:00', closes: '17:00' }], holidays: [] };

describe('business hours in the bundle', () => {
  it('is optional: a bundle without it leaves the tenant hours in charge and is unchanged', () => {
    const result = validateBotBundle(fullBundle());
    expect(result.ok && 'businessHours' in result.bundle && result.bundle.businessHours !== undefined).toBe(false);
  });

  it("keeps a schedule as authored, the time zone trimmed, and diffs show it", () => {
    const weekly = [{ day: 3, opens: '13:00', closes: '17:00' }, { day: 3, opens: '08:00', closes: '12:00' }, { day: 1, opens: '22:00', closes: '24:00' }];
    const result = validateBotBundle(withHours({ timeZone: ' America/New_York ', weekly, holidays: ['2026-12-25', '2026-01-01'] }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.bundle.businessHours).toEqual({ timeZone: 'America/New_York', weekly, holidays: ['2026-12-25', '2026-01-01'] });
    expect(diffBotBundles(fullBundle(), result.bundle).map((change) => change.path)).toContain('businessHours');
  });

  it("reports the server's field errors at their paths", () => {
    const result = validateBotBundle(withHours({
      timeZone: 'Mars/Olympus',
      weekly: [{ day: 8, opens: '09:00', closes: '17:00' }, { day: 2, opens: '18:00', closes: '09:00' }],
      holidays: ['2026-02-30'],
    }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(expect.arrayContaining([
      { path: 'businessHours.timeZone', message: 'must be an IANA time zone such as Europe/Berlin or America/New_York' },
      { path: 'businessHours.weekly.0.day', message: 'must be 1 (Monday) to 7 (Sunday)' },
      { path: 'businessHours.weekly.1.closes', message: 'must close after it opens (split a shift across midnight in two)' },
      { path: 'businessHours.holidays.0', message: 'must be real dates' },
    ]));
  });

  it('refuses overlapping openings on one day', () => {
    const result = validateBotBundle(withHours({ ...WEEKDAYS, weekly: [{ day: 1, opens: '09:00', closes: '13:00' }, { day: 1, opens: '12:00', closes: '17:00' }] }));
    expect(!result.ok && result.errors).toEqual([{ path: 'businessHours.weekly', message: 'must not overlap on the same day' }]);
  });

  it('stays server-only: the public view never carries it', () => {
    const result = validateBotBundle(withHours(WEEKDAYS));
    expect(result.ok && JSON.stringify(publicBotView(result.bundle))).not.toMatch(/Europe\/Berlin|businessHours/);
  });
});

describe('the widget colour scheme in the theme', () => {
  const withScheme = (colorScheme: unknown) => ({ ...fullBundle(), theme: { ...fullBundle().theme, colorScheme } });

  it('means auto when absent, and auto is the absent spelling', () => {
    expect(colorSchemeOf(fullBundle().theme)).toBe('auto');
    const result = validateBotBundle(withScheme('auto'));
    expect(result.ok && JSON.stringify(result.bundle)).toBe(JSON.stringify(fullBundle()));
    expect(result.ok && diffBotBundles(fullBundle(), result.bundle)).toEqual([]);
  });

  it('keeps light or dark, and the public view carries it to the widget', () => {
    const result = validateBotBundle(withScheme('dark'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(colorSchemeOf(result.bundle.theme)).toBe('dark');
    expect(publicBotView(result.bundle).theme.colorScheme).toBe('dark');
  });

  it('refuses another value at its path', () => {
    const result = validateBotBundle(withScheme('sepia'));
    expect(!result.ok && result.errors.map((error) => error.path)).toEqual(['theme.colorScheme']);
  });
});
