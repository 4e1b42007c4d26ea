import { z } from 'zod';
import { trimmedText } from './text-fields.ts';
import { reportDuplicates } from './unique-entries.ts';

export const WIDGET_POSITIONS = ['bottom-right', 'bottom-left'] as const;
export type WidgetPosition = (typeof WIDGET_POSITIONS)[number];

export const DEVICE_KINDS = ['desktop', 'tablet', 'mobile'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const MAX_URL_PATTERNS = 50;

/**
 * A page pattern: `example.com/pricing`, `*.example.com/blog/*`, or `/help/*` (any host).
 * Matching rules live in isPageIncluded. Scheme, query and fragment are not part of a pattern,
 * so they are refused rather than silently never matching.
 */
export const urlPatternSchema = trimmedText(1, 300)
  .refine((value) => !value.includes('://'), 'must leave out the scheme, such as example.com/pricing/*')
  .refine((value) => !/[\s?#]/.test(value), 'must not contain spaces, ? or #; patterns match host and path only');

export function uniqueList<T extends z.ZodType>(entry: T, max: number) {
  return z
    .array(entry)
    .max(max)
    .superRefine((entries, ctx) => reportDuplicates(entries, ctx));
}

export const placementSchema = z.strictObject({
  /** Pages the widget appears on; empty means every page. */
  include: uniqueList(urlPatternSchema, MAX_URL_PATTERNS),
  /** Pages it never appears on, even when included. */
  exclude: uniqueList(urlPatternSchema, MAX_URL_PATTERNS),
  /** Seconds after page load before the launcher appears. */
  delaySeconds: z.int().min(0).max(120),
  position: z.enum(WIDGET_POSITIONS),
  devices: uniqueList(z.enum(DEVICE_KINDS), DEVICE_KINDS.length).min(1, 'must list at least one device'),
});
export type Placement = z.output<typeof placementSchema>;
