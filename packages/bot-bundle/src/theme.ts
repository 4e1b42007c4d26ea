import { z } from 'zod';

/**
 * Fonts the widget ships or can rely on; a free font name would load arbitrary web fonts into
 * host pages and break the widget's content security policy.
 */
export const FONT_FAMILIES = ['system', 'inter', 'serif', 'rounded'] as const;
export type FontFamily = (typeof FONT_FAMILIES)[number];

/** How the closed widget looks: the avatar itself, a chat bubble, or a small icon. */
export const LAUNCHER_STYLES = ['avatar', 'bubble', 'icon'] as const;
export type LauncherStyle = (typeof LAUNCHER_STYLES)[number];

/**
 * Light or dark chat panel: `auto` follows the visitor's system (prefers-color-scheme), `light` and
 * `dark` force one. A dark authored background stays as authored in every mode.
 */
export const COLOR_SCHEMES = ['auto', 'light', 'dark'] as const;
export type ColorScheme = (typeof COLOR_SCHEMES)[number];
/** What a theme without `colorScheme` means: how the widget behaved before the field. */
export const DEFAULT_COLOR_SCHEME: ColorScheme = 'auto';

// Stored in lowercase so "#FFFFFF" and "#ffffff" never show up as a change in a diff.
const hexColorSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-f]{6}$/i, 'must be a color in the form #rrggbb, such as #4f46e5')
  .toLowerCase();

export const themeSchema = z.strictObject({
  primaryColor: hexColorSchema,
  backgroundColor: hexColorSchema,
  textColor: hexColorSchema,
  fontFamily: z.enum(FONT_FAMILIES),
  launcher: z.enum(LAUNCHER_STYLES),
  /**
   * The author's wish to hide "Powered by Mascot". The format only carries it: the server decides
   * whether the tenant's plan allows it when it serves the widget.
   */
  whiteLabel: z.boolean(),
  /** Optional, canonical when absent (like `privacy`): 'auto' is dropped, so older bundles compare unchanged. */
  colorScheme: z
    .enum(COLOR_SCHEMES)
    .transform((scheme) => (scheme === DEFAULT_COLOR_SCHEME ? undefined : scheme))
    .optional(),
});
export type Theme = z.output<typeof themeSchema>;

/** The colour scheme a theme stands for, the default filled in. */
export function colorSchemeOf(theme: { colorScheme?: ColorScheme | undefined }): ColorScheme {
  return theme.colorScheme ?? DEFAULT_COLOR_SCHEME;
}
