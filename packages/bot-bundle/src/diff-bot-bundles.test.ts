import { describe, expect, it } from 'vitest';
import type { BotBundle } from './bot-bundle.ts';
import { diffBotBundles } from './diff-bot-bundles.ts';
import { clipsFor, fullBundle } from './test-bundles.ts';

function edited(change: (bundle: BotBundle) => void): BotBundle {
  const bundle = fullBundle();
  change(bundle);
  return bundle;
}

describe('diffBotBundles', () => {
  it('finds no changes between equal bundles', () => {
    expect(diffBotBundles(fullBundle(), fullBundle())).toEqual([]);
  });

  it('reports a changed field at its dotted path with both values', () => {
    const after = edited((b) => {
      b.personality.tone = 'professional';
      b.theme.primaryColor = '#000000';
    });
    expect(diffBotBundles(fullBundle(), after)).toEqual([
      { path: 'personality.tone', kind: 'changed', before: 'playful', after: 'professional' },
      { path: 'theme.primaryColor', kind: 'changed', before: '#ff8800', after: '#000000' },
    ]);
  });

  it('reports a null becoming a value as a change, not an addition', () => {
    const after = edited((b) => (b.avatar.animationMap.celebrate = 'Pip_Dance'));
    expect(diffBotBundles(fullBundle(), after)).toEqual([
      { path: 'avatar.animationMap.celebrate', kind: 'changed', before: null, after: 'Pip_Dance' },
    ]);
  });

  it('reports a switch of avatar kind as the fields that changed, appeared and disappeared', () => {
    const after = edited(
      (b) => (b.avatar = { kind: 'uploaded', assetHash: 'b'.repeat(64), animationMap: clipsFor('Pip') }),
    );
    expect(diffBotBundles(fullBundle(), after)).toEqual([
      { path: 'avatar.assetHash', kind: 'added', after: 'b'.repeat(64) },
      { path: 'avatar.id', kind: 'removed', before: 'pip-parrot' },
      { path: 'avatar.kind', kind: 'changed', before: 'builtin', after: 'uploaded' },
    ]);
  });

  it('reports optional fields that were set or cleared', () => {
    const after = edited((b) => {
      delete b.providers[0]!.temperature;
      b.providers[2]!.maxOutputTokens = 300;
    });
    expect(diffBotBundles(fullBundle(), after)).toEqual([
      { path: 'providers.0.temperature', kind: 'removed', before: 0.3 },
      { path: 'providers.2.maxOutputTokens', kind: 'added', after: 300 },
    ]);
  });

  describe('providers, compared by position because order is the fallback order', () => {
    it('reports an appended provider as one addition carrying the whole entry', () => {
      const entry = { provider: 'anthropic', model: 'claude-sonnet-4' } as const;
      expect(
        diffBotBundles(
          fullBundle(),
          edited((b) => b.providers.push(entry)),
        ),
      ).toEqual([{ path: 'providers.3', kind: 'added', after: entry }]);
    });

    it('reports a dropped last provider as one removal', () => {
      expect(
        diffBotBundles(
          fullBundle(),
          edited((b) => b.providers.pop()),
        ),
      ).toEqual([{ path: 'providers.2', kind: 'removed', before: fullBundle().providers[2] }]);
    });

    it('reports a reordered chain as changes at the positions that differ', () => {
      const after = edited((b) => (b.providers = [b.providers[2]!, b.providers[1]!, b.providers[0]!]));
      const paths = diffBotBundles(fullBundle(), after).map((change) => change.path);
      expect(paths).toEqual([
        'providers.0.model',
        'providers.0.provider',
        'providers.0.temperature',
        'providers.2.model',
        'providers.2.provider',
        'providers.2.temperature',
      ]);
    });
  });

  describe('lists of plain values, compared as sets', () => {
    it('reports each origin that appeared or disappeared, by value', () => {
      const after = edited((b) => (b.allowedOrigins = ['http://localhost:3000', 'https://shop.example.com']));
      expect(diffBotBundles(fullBundle(), after)).toEqual([
        { path: 'allowedOrigins[https://example.com]', kind: 'removed', before: 'https://example.com' },
        { path: 'allowedOrigins[https://shop.example.com]', kind: 'added', after: 'https://shop.example.com' },
      ]);
    });

    it('ignores a new order of the same entries', () => {
      const after = edited((b) => {
        b.allowedOrigins.reverse();
        b.placement.devices.reverse();
        b.placement.include.reverse();
      });
      expect(diffBotBundles(fullBundle(), after)).toEqual([]);
    });

    it('reports placement patterns and devices the same way', () => {
      const after = edited((b) => {
        b.placement.exclude = [];
        b.placement.devices.push('tablet');
      });
      expect(diffBotBundles(fullBundle(), after)).toEqual([
        { path: 'placement.devices[tablet]', kind: 'added', after: 'tablet' },
        {
          path: 'placement.exclude[example.com/shop/checkout*]',
          kind: 'removed',
          before: 'example.com/shop/checkout*',
        },
      ]);
    });
  });

  describe('variants, compared by id because their order means nothing', () => {
    it('reports a changed variant setting under the variant id', () => {
      const after = edited((b) => {
        b.variants[0]!.weight = 40;
        b.variants[1]!.avatar!.animationMap.talk = 'Captain_Shout';
      });
      expect(diffBotBundles(fullBundle(), after)).toEqual([
        { path: 'variants[control].weight', kind: 'changed', before: 50, after: 40 },
        {
          path: 'variants[pirate].avatar.animationMap.talk',
          kind: 'changed',
          before: 'Captain_Talk',
          after: 'Captain_Shout',
        },
      ]);
    });

    it('reports added and removed variants whole, and a new override as one addition', () => {
      const added = { id: 'short', weight: 10, greeting: 'Hi.' };
      const after = edited((b) => {
        b.variants = b.variants.filter((variant) => variant.id !== 'quiet');
        b.variants.push(added);
        b.variants[0]!.personality = { tone: 'concise' };
      });
      expect(diffBotBundles(fullBundle(), after)).toEqual([
        { path: 'variants[control].personality', kind: 'added', after: { tone: 'concise' } },
        { path: 'variants[quiet]', kind: 'removed', before: fullBundle().variants[2] },
        { path: 'variants[short]', kind: 'added', after: added },
      ]);
    });

    it('ignores a new order of the same variants', () => {
      expect(
        diffBotBundles(
          fullBundle(),
          edited((b) => b.variants.reverse()),
        ),
      ).toEqual([]);
    });
  });

  it('sorts changes by path whatever the order of fields in the documents', () => {
    const reordered = Object.fromEntries(Object.entries(fullBundle()).reverse()) as BotBundle;
    reordered.name = 'Pippa';
    reordered.variants = [...reordered.variants].reverse();
    const after = edited((b) => (b.name = 'Pippa'));
    const changes = diffBotBundles(fullBundle(), after);
    expect(diffBotBundles(fullBundle(), reordered)).toEqual(changes);
    const many = diffBotBundles(
      fullBundle(),
      edited((b) => {
        b.variants[2]!.weight = 1;
        b.allowedOrigins = [];
        b.name = 'Pippa';
        b.avatar.animationMap.idle = null;
      }),
    );
    expect(many.map((change) => change.path)).toEqual([
      'allowedOrigins[http://localhost:3000]',
      'allowedOrigins[https://example.com]',
      'avatar.animationMap.idle',
      'name',
      'variants[quiet].weight',
    ]);
  });

  it('gives the mirror image when the bundles are swapped', () => {
    const a = fullBundle();
    const b = edited((bundle) => {
      bundle.allowedOrigins.push('https://new.example.com');
      bundle.providers.pop();
      bundle.personality.tone = 'concise';
    });
    const mirrored = diffBotBundles(a, b).map(({ path, kind, before, after }) => ({
      path,
      kind: kind === 'added' ? 'removed' : kind === 'removed' ? 'added' : kind,
      ...(after !== undefined ? { before: after } : {}),
      ...(before !== undefined ? { after: before } : {}),
    }));
    expect(diffBotBundles(b, a)).toEqual(mirrored);
  });
});
