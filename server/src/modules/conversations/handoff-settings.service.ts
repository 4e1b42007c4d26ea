import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { parseInput } from '../../core/errors/index.ts';
import { holidaysSchema, timeZoneSchema, weeklyOpeningsSchema } from '@mascot/bot-bundle';
import { businessHoursFor, isOpen, minutesOf, nextOpening, type BusinessHours, type IsoWeekday } from './business-hours.ts';
import type { Conversation } from './conversation.entity.ts';
import { pinnedVersionOf } from './pinned-version.ts';

/** How long a handoff waits for a person by default before it falls back to the bot and the contact form. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;

/** A tenant's handoff settings (table handoff_settings; no row: always open, 5 minutes). */
export interface HandoffSettings {
  hours: BusinessHours;
  waitTimeoutSeconds: number;
}

const DEFAULT_SETTINGS: HandoffSettings = {
  hours: { timeZone: 'UTC', weekly: [], holidays: [] },
  waitTimeoutSeconds: DEFAULT_WAIT_TIMEOUT_SECONDS,
};

// The schedule's rules are the bot bundle's (a bot may carry its own hours), so both speak alike.
export const handoffSettingsSchema = z.object({
  timeZone: timeZoneSchema,
  weeklyHours: weeklyOpeningsSchema,
  holidays: holidaysSchema,
  waitTimeoutSeconds: z.number().int('must be a whole number').min(30, 'must be at least 30 seconds').max(3600, 'must be at most 3600 seconds (one hour)'),
});
export type HandoffSettingsInput = z.input<typeof handoffSettingsSchema>;

interface SettingsRow {
  time_zone: string;
  weekly_hours: { day: IsoWeekday; opens: string; closes: string }[];
  holidays: string[];
  wait_timeout_seconds: number;
}

/** What members see of the settings, with where the schedule stands now. */
export interface HandoffSettingsView {
  timeZone: string;
  weeklyHours: { day: number; opens: string; closes: string }[];
  holidays: string[];
  waitTimeoutSeconds: number;
  openNow: boolean;
  nextOpeningAt: string | null;
}

/** Reads a tenant's handoff settings inside its transaction (row-level security and the where clause both scope it). */
export async function handoffSettingsOf(tx: EntityManager, tenantId: string): Promise<HandoffSettings> {
  const [row] = await tx.execute<SettingsRow[]>(
    `select time_zone, weekly_hours, to_json(holidays)::jsonb as holidays, wait_timeout_seconds
       from handoff_settings where tenant_id = ?`,
    [tenantId],
  );
  if (!row) return DEFAULT_SETTINGS;
  return {
    hours: { timeZone: row.time_zone, weekly: row.weekly_hours, holidays: row.holidays },
    waitTimeoutSeconds: row.wait_timeout_seconds,
  };
}

/** The hours for a conversation: its pinned bot version's own business hours, else the tenant's (business-hours.ts). */
export async function businessHoursOfConversation(tx: EntityManager, conversation: Pick<Conversation, 'tenantId' | 'botId' | 'botVersionId'>): Promise<BusinessHours> {
  const [{ bundle }, { hours }] = await Promise.all([pinnedVersionOf(tx, conversation), handoffSettingsOf(tx, conversation.tenantId)]);
  return businessHoursFor(bundle, hours);
}

function toView(settings: HandoffSettings, now: Date): HandoffSettingsView {
  const next = nextOpening(settings.hours, now);
  return {
    timeZone: settings.hours.timeZone,
    weeklyHours: [...settings.hours.weekly].sort((a, b) => a.day - b.day || minutesOf(a.opens) - minutesOf(b.opens)),
    holidays: [...settings.hours.holidays].sort(),
    waitTimeoutSeconds: settings.waitTimeoutSeconds,
    openNow: isOpen(settings.hours, now),
    nextOpeningAt: next?.toISOString() ?? null,
  };
}

/** Business hours and the handoff wait, per tenant (read by members, changed by owners and admins). */
export class HandoffSettingsService {
  async get(em: EntityManager, actor: TenantActor): Promise<HandoffSettingsView> {
    return toView(await inTenant(em, actor.tenantId, (tx) => handoffSettingsOf(tx, actor.tenantId)), new Date());
  }

  async update(em: EntityManager, actor: TenantActor, input: HandoffSettingsInput): Promise<HandoffSettingsView> {
    const parsed = parseInput(handoffSettingsSchema, input);
    const holidays = [...new Set(parsed.holidays)];
    await inTenant(em, actor.tenantId, (tx) =>
      tx.execute(
        `insert into handoff_settings (tenant_id, time_zone, weekly_hours, holidays, wait_timeout_seconds, updated_at)
         values (?, ?, ?::jsonb, ?::date[], ?, now())
         on conflict (tenant_id) do update set time_zone = excluded.time_zone, weekly_hours = excluded.weekly_hours,
           holidays = excluded.holidays, wait_timeout_seconds = excluded.wait_timeout_seconds, updated_at = now()`,
        [actor.tenantId, parsed.timeZone, JSON.stringify(parsed.weeklyHours), `{${holidays.join(',')}}`, parsed.waitTimeoutSeconds],
      ),
    );
    return toView({
      hours: { timeZone: parsed.timeZone, weekly: parsed.weeklyHours as BusinessHours['weekly'], holidays },
      waitTimeoutSeconds: parsed.waitTimeoutSeconds,
    }, new Date());
  }
}
