import { describe, expect, it } from 'vitest';
import { colorSchemeFor, contrastRatio, DARK_BACKGROUND, DEFAULT_THEME, FONT_STACKS, MIN_TEXT_CONTRAST, MIN_UI_CONTRAST, parseHexColor, readableOn, themeVariables } from './theme.ts';

describe('contrastRatio', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 on white is the classic "just passes AA" grey.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('parses only #rgb and #rrggbb', () => {
    expect(parseHexColor('#fff')).toEqual([255, 255, 255]);
    expect(parseHexColor('#4F46E5')).toEqual([79, 70, 229]);
    expect(parseHexColor('red')).toBeNull();
    expect(parseHexColor('#12345g')).toBeNull();
    expect(parseHexColor('url(x)')).toBeNull();
  });
});

describe('readableOn', () => {
  it('puts white on dark and near-black on light primaries, always readable', () => {
    for (const [primary, expected] of [['#4f46e5', '#ffffff'], ['#000000', '#ffffff'], ['#facc15', '#111111'], ['#ffffff', '#111111'], ['#22c55e', '#111111']]) {
      expect(readableOn(primary!)).toBe(expected);
      expect(contrastRatio(readableOn(primary!), primary!)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
  });

  it('picks the better of the two even for mid-tones where neither is ideal', () => {
    const mid = '#777777';
    expect(contrastRatio(readableOn(mid), mid)).toBeGreaterThanOrEqual(Math.max(contrastRatio('#ffffff', mid), contrastRatio('#111111', mid)) - 1e-9);
  });
});

describe('themeVariables', () => {
  it("maps the bot's colours and font to custom properties", () => {
    const vars = themeVariables({ ...DEFAULT_THEME, primaryColor: '#facc15', fontFamily: 'serif' });
    expect(vars['--accent']).toBe('#facc15');
    expect(vars['--accent-contrast']).toBe('#111111');
    expect(vars['--font']).toBe(FONT_STACKS['serif']);
  });

  it('replaces unreadable text and focus colours and ignores malformed ones', () => {
    const vars = themeVariables({ ...DEFAULT_THEME, primaryColor: '#fefefe', backgroundColor: '#ffffff', textColor: '#eeeeee' });
    expect(contrastRatio(vars['--text']!, vars['--bg']!)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    expect(contrastRatio(vars['--focus']!, vars['--bg']!)).toBeGreaterThanOrEqual(MIN_UI_CONTRAST);
    expect(contrastRatio(vars['--accent-on-bg']!, vars['--bg']!)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);

    const broken = themeVariables({ ...DEFAULT_THEME, primaryColor: 'red;background:url(//evil)', fontFamily: 'Comic Sans' });
    expect(broken['--accent']).toBe(DEFAULT_THEME.primaryColor);
    expect(broken['--font']).toBe(FONT_STACKS['system']);
  });

  it('keeps a dark theme dark, down to its scrollbars and form controls', () => {
    const vars = themeVariables({ ...DEFAULT_THEME, backgroundColor: '#0b1020', textColor: '#e5e7eb' });
    expect(vars['--bg']).toBe('#0b1020');
    expect(vars['--text']).toBe('#e5e7eb');
    expect(colorSchemeFor('#0b1020')).toBe('dark');
    expect(colorSchemeFor('#ffffff')).toBe('light');
  });
});

describe('dark mode', () => {
  it("turns a light theme dark for visitors who prefer dark, keeping the bot's accent and readability", () => {
    const light = themeVariables(DEFAULT_THEME, false);
    expect(light['--bg']).toBe('#ffffff');
    expect(colorSchemeFor(light['--bg']!)).toBe('light');
    const dark = themeVariables(DEFAULT_THEME, true);
    expect(colorSchemeFor(dark['--bg']!)).toBe('dark');
    expect(dark['--accent']).toBe(DEFAULT_THEME.primaryColor);
    for (const key of ['--text', '--accent-on-bg', '--danger']) {
      expect(contrastRatio(dark[key]!, dark['--bg']!)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
    expect(contrastRatio(dark['--focus']!, dark['--bg']!)).toBeGreaterThanOrEqual(MIN_UI_CONTRAST);
  });

  it("keeps a bot's own dark theme as authored, whatever the visitor prefers", () => {
    const night = { ...DEFAULT_THEME, backgroundColor: '#0b1020', textColor: '#f1f5f9' };
    expect(themeVariables(night, false)['--bg']).toBe('#0b1020');
    expect(themeVariables(night, true)['--bg']).toBe('#0b1020');
    expect(themeVariables(night, false)['--text']).toBe('#f1f5f9');
  });

  it("follows the author's colour scheme: light never darkens, dark always does, auto asks the visitor", () => {
    const bg = (colorScheme: string, prefersDark: boolean) => themeVariables({ ...DEFAULT_THEME, colorScheme }, prefersDark)['--bg'];
    expect(bg('light', true)).toBe('#ffffff');
    expect(bg('dark', false)).toBe(DARK_BACKGROUND);
    expect(bg('auto', false)).toBe('#ffffff');
    expect(bg('auto', true)).toBe(DARK_BACKGROUND);
    // A value from a newer server is read as auto rather than breaking the chat.
    expect(bg('sepia', true)).toBe(DARK_BACKGROUND);
  });
});
