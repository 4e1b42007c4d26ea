// The bot's branding as CSS custom properties on the chat's root element. Colours come from the
// bot's author, so nothing here trusts them to be readable: text on the primary colour is whichever
// of near-black and white contrasts more, and colours that would make text or focus rings hard to
// see are replaced by readable ones (WCAG 2.x contrast ratios).

import type { PublicTheme } from '../api-types.ts';

/** Fonts by theme name; only fonts the visitor's device has, never a downloaded web font. */
export const FONT_STACKS: Record<string, string> = {
  system: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  inter: "Inter, 'Inter Variable', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  serif: "ui-serif, Georgia, Cambria, 'Times New Roman', Times, serif",
  rounded: "ui-rounded, 'SF Pro Rounded', 'Nunito', 'Varela Round', 'Arial Rounded MT Bold', system-ui, sans-serif",
};

export const DEFAULT_THEME: PublicTheme = {
  primaryColor: '#4f46e5',
  backgroundColor: '#ffffff',
  textColor: '#111827',
  fontFamily: 'system',
  launcher: 'bubble',
  colorScheme: 'auto',
  showBranding: true,
};

const DARK = '#111111';
const LIGHT = '#ffffff';
/** WCAG AA for body text. */
export const MIN_TEXT_CONTRAST = 4.5;
/** WCAG 2.2 non-text contrast (focus indicators, borders that carry meaning). */
export const MIN_UI_CONTRAST = 3;

type Rgb = readonly [number, number, number];

/** '#rrggbb' (or '#rgb') → [r, g, b] in 0..255; null for anything else. */
export function parseHexColor(value: string): Rgb | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim())?.[1];
  if (!hex) return null;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The WCAG contrast ratio of two colours, 1..21. */
export function contrastRatio(a: string, b: string): number {
  const [ca, cb] = [parseHexColor(a), parseHexColor(b)];
  if (!ca || !cb) return 1;
  const [la, lb] = [relativeLuminance(ca), relativeLuminance(cb)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Near-black or white, whichever reads better on `background`. */
export function readableOn(background: string): string {
  return contrastRatio(DARK, background) >= contrastRatio(LIGHT, background) ? DARK : LIGHT;
}

/** 'dark' for a dark background, so scrollbars and form controls match it; else 'light'. */
export function colorSchemeFor(background: string): 'light' | 'dark' {
  return readableOn(background) === LIGHT ? 'dark' : 'light';
}

/** The surfaces a light theme gets when the visitor's system asks for dark (prefers-color-scheme). */
export const DARK_BACKGROUND = '#16181d';
export const DARK_TEXT = '#e8eaed';

/**
 * The theme as the custom properties chat.css reads. Dark mode follows the author's colour scheme
 * and the visitor: `light` never darkens, `dark` always does, `auto` (and anything unknown) when the
 * visitor prefers dark (`prefersDark`). A theme whose background is dark stays as the author made
 * it; a light one turned dark keeps the author's accent. Readability is checked on the colours
 * actually used.
 */
export function themeVariables(theme: PublicTheme, prefersDark = false): Record<string, string> {
  const valid = (color: string, fallback: string): string => (parseHexColor(color) ? color : fallback);
  const accent = valid(theme.primaryColor, DEFAULT_THEME.primaryColor);
  const authored = valid(theme.backgroundColor, DEFAULT_THEME.backgroundColor);
  const wantsDark = theme.colorScheme === 'dark' || (theme.colorScheme !== 'light' && prefersDark);
  const darkened = wantsDark && colorSchemeFor(authored) === 'light';
  const bg = darkened ? DARK_BACKGROUND : authored;
  const wantedText = darkened ? DARK_TEXT : valid(theme.textColor, DEFAULT_THEME.textColor);
  const text = contrastRatio(wantedText, bg) >= MIN_TEXT_CONTRAST ? wantedText : readableOn(bg);
  const dark = colorSchemeFor(bg) === 'dark';
  return {
    // Error text sits on the background: a light red on dark surfaces.
    '--danger': dark ? '#fca5a5' : '#b91c1c',
    '--accent': accent,
    '--accent-contrast': readableOn(accent),
    '--bg': bg,
    '--text': text,
    // Links and the focus ring sit on the background: the accent where it shows, else the text colour.
    '--accent-on-bg': contrastRatio(accent, bg) >= MIN_TEXT_CONTRAST ? accent : text,
    '--focus': contrastRatio(accent, bg) >= MIN_UI_CONTRAST ? accent : text,
    '--font': FONT_STACKS[theme.fontFamily] ?? FONT_STACKS['system']!,
  };
}
