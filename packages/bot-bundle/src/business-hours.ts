import { z } from 'zod';

/**
 * When people may be asked to join a bot's conversations: an IANA time zone, weekly openings and
 * holidays. The same rules the server applies to a tenant's business hours (its handoff settings
 * reuse these schemas), so Studio shows the server's field errors before publishing.
 */

/** ISO weekday: 1 Monday … 7 Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface WeeklyOpening {
  day: IsoWeekday;
  /** HH:MM, 00:00–23:59. */
  opens: string;
  /** HH:MM, after `opens`, up to 24:00; a shift across midnight is two openings. */
  closes: string;
}

export interface BusinessHours {
  timeZone: string;
  weekly: WeeklyOpening[];
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays: string[];
}

export const MAX_WEEKLY_OPENINGS = 70;
export const MAX_HOLIDAYS = 366;

/** "09:30" → 570; "24:00" → 1440. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** Whether `timeZone` is an IANA zone this runtime knows (Europe/Berlin, America/New_York, UTC, …). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false; // RangeError: not a time zone
  }
}

const isCalendarDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

function overlaps(openings: readonly { day: number; opens: string; closes: string }[]): boolean {
  const sorted = [...openings].sort((a, b) => a.day - b.day || minutesOf(a.opens) - minutesOf(b.opens));
  return sorted.some((o, i) => i > 0 && sorted[i - 1]!.day === o.day && minutesOf(sorted[i - 1]!.closes) > minutesOf(o.opens));
}

const DAY_MESSAGE = 'must be 1 (Monday) to 7 (Sunday)';

export const timeZoneSchema = z
  .string()
  .trim()
  .refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/Berlin or America/New_York');

export const weeklyOpeningsSchema = z
  .array(
    z
      .strictObject({
        day: z.number().int().min(1, DAY_MESSAGE).max(7, DAY_MESSAGE),
        opens: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 00:00 to 23:59'),
        closes: z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM, up to 24:00'),
      })
      .refine((o) => minutesOf(o.closes) > minutesOf(o.opens), { message: 'must close after it opens (split a shift across midnight in two)', path: ['closes'] }),
  )
  .max(MAX_WEEKLY_OPENINGS, `must hold at most ${MAX_WEEKLY_OPENINGS} openings`)
  .refine((openings) => !overlaps(openings), 'must not overlap on the same day');

export const holidaysSchema = z
  .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be dates as YYYY-MM-DD').refine(isCalendarDate, 'must be real dates'))
  .max(MAX_HOLIDAYS, `must hold at most ${MAX_HOLIDAYS} dates`);

/**
 * Optional: absent means the tenant's business hours (the Console's handoff settings) apply to this
 * bot. Set, they replace them for its conversations. Openings and holidays keep the author's order
 * (Studio edits them as rows; re-sorting while someone types would move the row under the cursor).
 * Server-only: not in the public view.
 */
export const businessHoursSchema = z
  .strictObject({ timeZone: timeZoneSchema, weekly: weeklyOpeningsSchema, holidays: holidaysSchema })
  .transform((hours): BusinessHours => ({
    timeZone: hours.timeZone,
    weekly: hours.weekly.map((o) => ({ day: o.day as IsoWeekday, opens: o.opens, closes: o.closes })),
    holidays: hours.holidays,
  }))
  .optional();
