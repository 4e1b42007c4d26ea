import { describe, expect, it } from 'vitest';
import { defaultBotBundle } from './default-bot-bundle.ts';
import { diffBotBundles } from './diff-bot-bundles.ts';
import { DEFAULT_ENGAGEMENT, engagementOf, type Engagement } from './engagement.ts';
import { downgradeBotBundle } from './migrations.ts';
import { publicBotView } from './public-bot-view.ts';
import { fullBundle } from './test-bundles.ts';
import { validateBotBundle } from './validate-bot-bundle.ts';

const teasing: Engagement = {
  teaser: { enabled: true, delaySeconds: 3, text: null, pages: [{ include: ['/pricing/*'], text: 'Questions about plans?' }] },
  sound: true,
};
const withTeaser = () => ({ ...fullBundle(), engagement: teasing });

describe('engagement', () => {
  it('means no teaser and no sound for bundles that do not mention it, as before the field', () => {
    expect(DEFAULT_ENGAGEMENT).toEqual({ teaser: { enabled: false, delaySeconds: 8, text: null, pages: [] }, sound: false });
    expect(engagementOf(defaultBotBundle('Pip'))).toEqual(DEFAULT_ENGAGEMENT);
    expect(defaultBotBundle('Pip')).not.toHaveProperty('engagement');
  });

  it('keeps a teaser with per-page messages and reads it back', () => {
    const result = validateBotBundle(withTeaser());
    expect(result).toEqual({ ok: true, bundle: withTeaser() });
    if (result.ok) expect(engagementOf(result.bundle)).toEqual(teasing);
  });

  it('has one canonical form of the default: a section equal to it is dropped', () => {
    const result = validateBotBundle({ ...fullBundle(), engagement: structuredClone(DEFAULT_ENGAGEMENT) });
    expect(result.ok && JSON.stringify(result.bundle)).toBe(JSON.stringify(fullBundle()));
    expect(result.ok && diffBotBundles(fullBundle(), result.bundle)).toEqual([]);
  });

  it('reports bad values at their paths', () => {
    const result = validateBotBundle({
      ...fullBundle(),
      engagement: { teaser: { enabled: true, delaySeconds: 601, text: '', pages: [{ include: [], text: 'Hi' }] }, sound: 'yes' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((error) => error.path).sort()).toEqual([
        'engagement.sound',
        'engagement.teaser.delaySeconds',
        'engagement.teaser.pages.0.include',
        'engagement.teaser.text',
      ]);
    }
  });

  it('is public (the loader shows the teaser) and is dropped when written down to format 1', () => {
    expect(publicBotView(withTeaser()).engagement).toEqual(teasing);
    expect(downgradeBotBundle(withTeaser(), 1)).not.toHaveProperty('engagement');
  });
});
