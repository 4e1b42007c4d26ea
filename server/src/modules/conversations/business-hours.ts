/**
 * A tenant's business hours: when people may be asked to join a conversation. Pure functions over an
 * IANA time zone, a weekly schedule and holiday dates, so they are tested without a database.
 *
 * - No weekly schedule means no business hours were set: always open (agent presence alone decides).
 * - An opening is one span within one local day, `opens` < `closes`, `closes` may be `24:00`; a shift
 *   across midnight is two openings (22:00–24:00 on one day, 00:00–02:00 on the next).
 * - A holiday is a local date (YYYY-MM-DD) on which the tenant is closed all day.
 * - Around DST changes local times are read like Temporal's 'compatible' disambiguation: a time the
 *   change skips (02:30 the night clocks go forward) moves forward by the gap (03:30), a time occurring
 *   twice (clocks going back) is its first occurrence.
 */

import { isKnownTimeZone, minutesOf, type BotBundle, type IsoWeekday, type WeeklyOpening } from '@mascot/bot-bundle';

// The schedule's types, its validation and these two helpers live in @mascot/bot-bundle, where a
// bot's own business hours are authored; a tenant's hours are the same shape.
export { isKnownTimeZone, minutesOf };
export type { IsoWeekday, WeeklyOpening };

export interface BusinessHours {
  timeZone: string;
  weekly: readonly WeeklyOpening[];
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays: readonly string[];
}

/** Open around the clock: what a tenant without business hours has. */
export const ALWAYS_OPEN: BusinessHours = { timeZone: 'UTC', weekly: [], holidays: [] };

/**
 * The hours that apply to a conversation: its bot's own (`businessHours` of the bundle version the
 * conversation is pinned to, authored in Studio) when it sets them, else the tenant's.
 */
export function businessHoursFor(bundle: Pick<BotBundle, 'businessHours'>, tenantHours: BusinessHours): BusinessHours {
  return bundle.businessHours ?? tenantHours;
}

const DAY_MS = 86_400_000;
/** How far ahead the next opening is looked for; a schedule with only holidays in a year has none. */
const SEARCH_DAYS = 400;

const WEEKDAYS: Record<string, IsoWeekday> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  weekday: IsoWeekday;
  /** Minutes since local midnight. */
  minutes: number;
  /** The local wall time as if it were UTC, in ms (for offsets). */
  wallMs: number;
}

function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((k) => Number(parts[k]));
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    weekday: WEEKDAYS[parts['weekday']!]!,
    minutes: hour! * 60 + minute!,
    wallMs: Date.UTC(year!, month! - 1, day!, hour!, minute!, second!),
  };
}

/** The zone's offset from UTC at `instantMs`, in ms (Berlin in summer: +7,200,000). */
function offsetAt(instantMs: number, timeZone: string): number {
  return localTime(new Date(instantMs), timeZone).wallMs - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant a local wall time (given as if it were UTC) happens in `timeZone`, disambiguated like
 * Temporal's 'compatible': a time occurring twice is its earlier occurrence, a skipped time is moved
 * forward by the length of the gap.
 */
function instantOf(wallMs: number, timeZone: string): number {
  const before = wallMs - offsetAt(wallMs - DAY_MS, timeZone);
  const after = wallMs - offsetAt(wallMs + DAY_MS, timeZone);
  const valid = [before, after].filter((instant) => offsetAt(instant, timeZone) === wallMs - instant);
  return valid.length > 0 ? Math.min(...valid) : before;
}

function openingsOn(hours: BusinessHours, weekday: IsoWeekday): WeeklyOpening[] {
  return hours.weekly.filter((o) => o.day === weekday).sort((a, b) => minutesOf(a.opens) - minutesOf(b.opens));
}

/** Whether people work at `at`. */
export function isOpen(hours: BusinessHours, at: Date): boolean {
  if (hours.weekly.length === 0) return true;
  const local = localTime(at, hours.timeZone);
  if (hours.holidays.includes(local.date)) return false;
  return openingsOn(hours, local.weekday).some((o) => minutesOf(o.opens) <= local.minutes && local.minutes < minutesOf(o.closes));
}

/**
 * When people work next: `at` itself while open, else the start of the next opening that is not on a
 * holiday. Null when no hours are set (always open) or no opening comes within about a year.
 */
export function nextOpening(hours: BusinessHours, at: Date): Date | null {
  if (hours.weekly.length === 0) return null;
  if (isOpen(hours, at)) return at;
  const today = localTime(at, hours.timeZone);
  const midnightWall = today.wallMs - today.minutes * 60_000 - (today.wallMs % 60_000);
  for (let days = 0; days < SEARCH_DAYS; days++) {
    const dayWall = midnightWall + days * DAY_MS;
    const day = new Date(dayWall);
    const date = day.toISOString().slice(0, 10);
    if (hours.holidays.includes(date)) continue;
    const weekday = (((day.getUTCDay() + 6) % 7) + 1) as IsoWeekday;
    for (const opening of openingsOn(hours, weekday)) {
      const instant = instantOf(dayWall + minutesOf(opening.opens) * 60_000, hours.timeZone);
      if (instant > at.getTime()) return new Date(instant);
    }
  }
  return null;
}
