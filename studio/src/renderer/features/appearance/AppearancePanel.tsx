import { COLOR_SCHEMES, FONT_FAMILIES, LAUNCHER_STYLES, colorSchemeOf, type ColorScheme, type Theme } from '@mascot/bot-bundle';
import { Choice, Field, Toggle } from '../../ui/Field.tsx';
import { COLOR_SCHEME_LABELS, FONT_LABELS, LAUNCHER_LABELS } from '../../ui/labels.ts';
import type { BundleEditor } from '../../ui/use-bundle-draft.ts';

const COLORS: { key: 'primaryColor' | 'backgroundColor' | 'textColor'; label: string; hint: string }[] = [
  { key: 'primaryColor', label: 'Accent colour', hint: 'The launcher, the visitor’s bubbles and buttons.' },
  { key: 'backgroundColor', label: 'Panel background', hint: 'Behind the conversation.' },
  { key: 'textColor', label: 'Text colour', hint: 'The bot’s words on the panel background.' },
];

const HEX = /^#[0-9a-f]{6}$/i;

/** WCAG contrast ratio of two #rrggbb colours, to warn before visitors squint. */
function contrast(a: string, b: string): number | null {
  if (!HEX.test(a) || !HEX.test(b)) return null;
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export function AppearancePanel({ editor }: { editor: BundleEditor }) {
  const { draft, edit, errorAt } = editor;
  const theme = draft.theme;
  const set = <K extends keyof Theme>(key: K, value: Theme[K]) => edit((b) => ({ ...b, theme: { ...b.theme, [key]: value } }));
  const ratio = contrast(theme.textColor, theme.backgroundColor);

  return (
    <form className="editor" aria-label="Appearance" onSubmit={(e) => e.preventDefault()}>
      <section className="card">
        <h2>Colours</h2>
        <div className="grid">
          {COLORS.map(({ key, label, hint }) => (
            <Field key={key} label={label} hint={hint} error={errorAt(`theme.${key}`)}>
              {(props) => (
                <span className="color-input">
                  {/* The swatch picks; the text field takes a pasted brand colour. */}
                  <input type="color" aria-label={`${label} picker`} tabIndex={-1} value={HEX.test(theme[key]) ? theme[key].toLowerCase() : '#000000'} onChange={(e) => set(key, e.target.value)} />
                  <input {...props} value={theme[key]} spellCheck={false} maxLength={7} onChange={(e) => set(key, e.target.value)} />
                </span>
              )}
            </Field>
          ))}
        </div>
        {ratio !== null && (
          <p className={ratio < 4.5 ? 'warning' : 'hint'} data-testid="contrast">
            Text contrast {ratio.toFixed(1)}:1{ratio < 4.5 ? ' — below 4.5:1, hard to read for many visitors' : ' — readable'}
          </p>
        )}
      </section>
      <section className="card">
        <h2>Dark mode</h2>
        <Choice<ColorScheme> label="Chat panel" value={colorSchemeOf(theme)} options={COLOR_SCHEMES} labels={COLOR_SCHEME_LABELS}
          onChange={(v) => set('colorScheme', v === 'auto' ? undefined : v)} error={errorAt('theme.colorScheme')} />
        <p className="hint">Dark keeps your accent colour; a dark panel background above stays as you chose it.</p>
      </section>
      <section className="card">
        <h2>Launcher and type</h2>
        <Choice label="Launcher" value={theme.launcher} options={LAUNCHER_STYLES} labels={LAUNCHER_LABELS} onChange={(v) => set('launcher', v)} error={errorAt('theme.launcher')} />
        <Field label="Font" error={errorAt('theme.fontFamily')}>
          {(props) => (
            <select {...props} value={theme.fontFamily} onChange={(e) => set('fontFamily', e.target.value as Theme['fontFamily'])}>
              {FONT_FAMILIES.map((font) => <option key={font} value={font}>{FONT_LABELS[font]}</option>)}
            </select>
          )}
        </Field>
      </section>
      <section className="card">
        <h2>Branding</h2>
        <Toggle label="Hide “Powered by Mascot”" checked={theme.whiteLabel} onChange={(v) => set('whiteLabel', v)}
          hint="Your plan decides whether the server honours this when it serves the widget." />
      </section>
    </form>
  );
}
