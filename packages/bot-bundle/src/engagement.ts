import { z } from 'zod';
import { MAX_URL_PATTERNS, uniqueList, urlPatternSchema } from './placement.ts';
import { trimmedText } from './text-fields.ts';

export const MAX_TEASER_PAGES = 20;

/** A teaser for some pages only: the first entry whose patterns match the page wins. */
export interface TeaserPage {
  include: string[];
  text: string;
}

/**
 * How the closed widget reaches out: a proactive teaser bubble beside the launcher, and whether a
 * message that arrives while the panel is closed plays a sound. Public: the loader shows both.
 */
export interface Engagement {
  teaser: {
    enabled: boolean;
    /** Seconds after the launcher appears. */
    delaySeconds: number;
    /** The teaser's text; null shows the bot's greeting (the variant's, when it has one). */
    text: string | null;
    pages: TeaserPage[];
  };
  /** A short chime for a message while the panel is closed; off unless the author turns it on. */
  sound: boolean;
}

/** What a bundle without `engagement` means: no teaser, no sound (how bots behaved before the field). */
export const DEFAULT_ENGAGEMENT: Readonly<Engagement> = Object.freeze({
  teaser: Object.freeze({ enabled: false, delaySeconds: 8, text: null, pages: [] as TeaserPage[] }),
  sound: false,
});

const teaserText = trimmedText(1, 200);

const isDefault = (engagement: Engagement): boolean => JSON.stringify(engagement) === JSON.stringify(DEFAULT_ENGAGEMENT);

/**
 * Optional, and canonical when absent (like `privacy`): a section equal to DEFAULT_ENGAGEMENT is
 * dropped, so bundles from before the field compare unchanged and stay format 2.
 */
export const engagementSchema = z
  .strictObject({
    teaser: z.strictObject({
      enabled: z.boolean(),
      delaySeconds: z.int().min(0).max(600),
      text: teaserText.nullable(),
      pages: z
        .array(
          z.strictObject({
            include: uniqueList(urlPatternSchema, MAX_URL_PATTERNS).min(1, 'must list at least one page pattern'),
            text: teaserText,
          }),
        )
        .max(MAX_TEASER_PAGES),
    }),
    sound: z.boolean(),
  })
  .transform((engagement): Engagement | undefined => (isDefault(engagement) ? undefined : engagement))
  .optional();

/** The engagement settings a bundle stands for, defaults filled in (fresh objects). */
export function engagementOf(bundle: { engagement?: Engagement | undefined }): Engagement {
  const { teaser, sound } = bundle.engagement ?? DEFAULT_ENGAGEMENT;
  return { teaser: { ...teaser, pages: teaser.pages.map((page) => ({ include: [...page.include], text: page.text })) }, sound };
}
