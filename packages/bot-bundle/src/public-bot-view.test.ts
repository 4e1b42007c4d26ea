import { describe, expect, it } from 'vitest';
import { BotBundleError } from './bot-bundle-error.ts';
import { publicBotView } from './public-bot-view.ts';
import { SYSTEM_PROMPT_SECRET, clipsFor, fullBundle } from './test-bundles.ts';

/** Every key at any depth of a JSON-like value. */
function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysDeep(inner)]);
}

describe('publicBotView', () => {
  it('shows name, greeting, language, avatar with its animation map, placement, theme and the variant', () => {
    const bundle = fullBundle();
    expect(publicBotView(bundle)).toEqual({
      name: 'Pip',
      greeting: 'Ahoy! Pip here.',
      language: 'pt-BR',
      avatar: bundle.avatar,
      placement: bundle.placement,
      theme: bundle.theme,
      engagement: { teaser: { enabled: false, delaySeconds: 8, text: null, pages: [] }, sound: false },
      variantId: null,
    });
  });

  it('never contains the system prompt, providers or allowed origins, for the bundle or any variant', () => {
    const bundle = fullBundle();
    for (const variantId of [undefined, ...bundle.variants.map((variant) => variant.id)]) {
      const view = publicBotView(bundle, variantId);
      const json = JSON.stringify(view);
      expect(keysDeep(view)).not.toContain('systemPrompt');
      expect(keysDeep(view)).not.toContain('providers');
      expect(keysDeep(view)).not.toContain('allowedOrigins');
      expect(keysDeep(view)).not.toContain('personality');
      expect(json).not.toContain(SYSTEM_PROMPT_SECRET);
      expect(json).not.toContain('gpt-4o-mini');
      expect(json).not.toContain('localhost:11434');
    }
  });

  it("applies a variant's greeting, language and avatar", () => {
    expect(publicBotView(fullBundle(), 'pirate')).toMatchObject({
      greeting: 'Arr, welcome aboard!',
      language: 'en-GB',
      avatar: { kind: 'uploaded', assetHash: 'a'.repeat(64), animationMap: clipsFor('Captain') },
      variantId: 'pirate',
    });
  });

  it('shows the bundle settings for a variant that does not override them', () => {
    const base = publicBotView(fullBundle());
    expect(publicBotView(fullBundle(), 'control')).toEqual({ ...base, variantId: 'control' });
    expect(publicBotView(fullBundle(), 'quiet')).toEqual({ ...base, variantId: 'quiet' });
  });

  it('rejects a variant id the bundle does not define', () => {
    expect(() => publicBotView(fullBundle(), 'gone')).toThrow(BotBundleError);
    expect(() => publicBotView(fullBundle(), 'gone')).toThrow(
      "Unknown bot variant: variants: has no variant 'gone' (known: control, pirate, quiet)",
    );
  });

  it('returns copies: changing the view leaves the bundle as it was', () => {
    const bundle = fullBundle();
    const view = publicBotView(bundle);
    view.avatar.animationMap.idle = 'Changed';
    view.placement.devices.push('tablet');
    view.theme.primaryColor = '#000000';
    expect(bundle).toEqual(fullBundle());
  });
});
