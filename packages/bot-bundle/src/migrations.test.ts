import { describe, expect, it } from 'vitest';
import { ANIMATION_SLOTS } from './animation-slots.ts';
import { CURRENT_FORMAT_VERSION } from './bot-bundle.ts';
import { BotBundleError } from './bot-bundle-error.ts';
import { botBundleV1Schema, type BotBundleV1 } from './format-v1.ts';
import { OLDEST_FORMAT_VERSION, detectFormatVersion } from './format-version.ts';
import { FORMAT_MIGRATIONS, downgradeBotBundle, upgradeBotBundle } from './migrations.ts';
import { fullBundle } from './test-bundles.ts';

/** The document the server's defaultBotConfig('Milo') writes today. */
const serverDefaultV1: BotBundleV1 = {
  personality: {
    systemPrompt: 'You are Milo, a helpful assistant. Answer from the provided knowledge and cite it.',
    tone: 'friendly',
    greeting: "Hi! I'm Milo. How can I help you today?",
    unknownAnswer: null,
    offerHuman: true,
  },
  allowedOrigins: [],
};

function v1(change: Partial<BotBundleV1['personality']> = {}, allowedOrigins: string[] = []): BotBundleV1 {
  return { personality: { ...serverDefaultV1.personality, ...change }, allowedOrigins };
}

function thrownBy(run: () => unknown): BotBundleError {
  try {
    run();
  } catch (error) {
    if (error instanceof BotBundleError) return error;
    throw error;
  }
  throw new Error('expected a BotBundleError');
}

describe('detectFormatVersion', () => {
  it('reads the declared formatVersion, even one this build does not know', () => {
    expect(detectFormatVersion(fullBundle())).toBe(2);
    expect(detectFormatVersion({ formatVersion: 7 })).toBe(7);
  });

  it('takes a document without formatVersion for format 1, which predates the field', () => {
    expect(detectFormatVersion(serverDefaultV1)).toBe(1);
  });

  it('returns null for non-objects and for a formatVersion that is not a whole number', () => {
    for (const doc of [null, undefined, 'v2', 2, [serverDefaultV1], { formatVersion: '2' }, { formatVersion: 2.5 }]) {
      expect(detectFormatVersion(doc)).toBeNull();
    }
  });
});

describe('upgradeBotBundle', () => {
  it('turns the server config into a valid current bundle with the documented defaults', () => {
    const bundle = upgradeBotBundle(serverDefaultV1, { name: 'Milo' });
    expect(bundle).toEqual({
      formatVersion: CURRENT_FORMAT_VERSION,
      name: 'Milo',
      personality: {
        ...serverDefaultV1.personality,
        language: 'en',
        answerLength: 'medium',
        offerHuman: 'when-unsure',
      },
      providers: [{ provider: 'offline', model: 'mascot-extractive-v1' }],
      avatar: { kind: 'none', animationMap: Object.fromEntries(ANIMATION_SLOTS.map((slot) => [slot, null])) },
      placement: {
        include: [],
        exclude: [],
        delaySeconds: 0,
        position: 'bottom-right',
        devices: ['desktop', 'tablet', 'mobile'],
      },
      theme: {
        primaryColor: '#4f46e5',
        backgroundColor: '#ffffff',
        textColor: '#111827',
        fontFamily: 'system',
        launcher: 'bubble',
        whiteLabel: false,
      },
      allowedOrigins: [],
      variants: [],
    });
  });

  it("calls a format 1 bot 'Untitled bot' when the context gives no usable name", () => {
    expect(upgradeBotBundle(serverDefaultV1).name).toBe('Untitled bot');
    expect(upgradeBotBundle(serverDefaultV1, { name: '   ' }).name).toBe('Untitled bot');
  });

  it("maps offerHuman true to 'when-unsure' and false to 'never'", () => {
    expect(upgradeBotBundle(v1({ offerHuman: true })).personality.offerHuman).toBe('when-unsure');
    expect(upgradeBotBundle(v1({ offerHuman: false })).personality.offerHuman).toBe('never');
  });

  it('reduces format 1 URLs to their origins and drops the repeats that leaves', () => {
    const doc = v1({}, ['https://Shop.Example.com/cart', 'https://shop.example.com/', 'http://localhost:3000/dev']);
    expect(upgradeBotBundle(doc).allowedOrigins).toEqual(['https://shop.example.com', 'http://localhost:3000']);
  });

  it('reports a format 1 URL without an http(s) origin instead of dropping it (an empty list means any site)', () => {
    const error = thrownBy(() => upgradeBotBundle(v1({}, ['ftp://files.example.com'])));
    expect(error.code).toBe('INVALID_BUNDLE');
    expect(error.errors.map((e) => e.path)).toEqual(['allowedOrigins.0']);
  });

  it('stores an empty format 1 unknownAnswer as null, the one spelling of "use the default"', () => {
    expect(upgradeBotBundle(v1({ unknownAnswer: '' })).personality.unknownAnswer).toBeNull();
    expect(upgradeBotBundle(v1({ unknownAnswer: 'Ask Sam.' })).personality.unknownAnswer).toBe('Ask Sam.');
  });

  it("judges a format 1 document by format 1's rules and reports its own paths", () => {
    const error = thrownBy(() => upgradeBotBundle(v1({ greeting: '' })));
    expect(error.code).toBe('INVALID_BUNDLE');
    expect(error.errors).toEqual([{ path: 'personality.greeting', message: 'must not be empty' }]);
  });

  it('returns a current bundle as it is, validated', () => {
    expect(upgradeBotBundle(fullBundle())).toEqual(fullBundle());
    expect(thrownBy(() => upgradeBotBundle({ ...fullBundle(), name: '' })).errors).toEqual([
      { path: 'name', message: 'must not be empty' },
    ]);
  });

  it('rejects a newer format version as unsupported, naming the versions it reads', () => {
    const error = thrownBy(() => upgradeBotBundle({ ...fullBundle(), formatVersion: 3 }));
    expect(error.code).toBe('UNSUPPORTED_FORMAT_VERSION');
    expect(error.message).toBe(
      'Unsupported bot bundle format: formatVersion: is 3, newer than this build of Mascot reads (1 to 2); ' +
        'update Mascot to open this bundle',
    );
  });

  it('rejects format versions that never existed', () => {
    for (const formatVersion of [0, -1, '2', 1.5]) {
      const error = thrownBy(() => upgradeBotBundle({ ...fullBundle(), formatVersion }));
      expect(error.code).toBe('UNSUPPORTED_FORMAT_VERSION');
      expect(error.errors[0]?.path).toBe('formatVersion');
    }
  });

  it('rejects a document that is not an object as an invalid bundle', () => {
    const error = thrownBy(() => upgradeBotBundle('{"formatVersion":2}'));
    expect(error.code).toBe('INVALID_BUNDLE');
    expect(error.errors).toEqual([{ path: '(input)', message: 'must be an object (a bot bundle)' }]);
  });
});

describe('downgradeBotBundle', () => {
  it('writes a valid format 1 document holding only what format 1 can', () => {
    const doc = downgradeBotBundle(fullBundle(), 1);
    expect(doc).toEqual({
      personality: {
        systemPrompt: fullBundle().personality.systemPrompt,
        tone: 'playful',
        greeting: 'Ahoy! Pip here.',
        unknownAnswer: 'No idea, sorry!',
        offerHuman: true,
      },
      allowedOrigins: ['https://example.com', 'http://localhost:3000'],
    });
    expect(botBundleV1Schema.parse(doc)).toEqual(doc);
  });

  it("keeps only whether the bot ever offers a person: 'never' is false, every other mode true", () => {
    const offers = (['never', 'when-unsure', 'on-request', 'always'] as const).map((offerHuman) => {
      const bundle = fullBundle();
      return downgradeBotBundle({ ...bundle, personality: { ...bundle.personality, offerHuman } }, 1).personality
        .offerHuman;
    });
    expect(offers).toEqual([false, true, true, true]);
  });

  it('refuses to write down an invalid bundle', () => {
    expect(thrownBy(() => downgradeBotBundle({ ...fullBundle(), providers: [] }, 1)).errors).toEqual([
      { path: 'providers', message: 'must not be empty' },
    ]);
  });
});

describe('round trips', () => {
  it.each<[string, BotBundleV1]>([
    ['the server default', serverDefaultV1],
    ['a bot that never offers a person', v1({ offerHuman: false, tone: 'concise' })],
    [
      'a custom unknown answer and prompt with layout',
      v1({ unknownAnswer: 'Ask Sam.', systemPrompt: '  Line one\n\nLine two  ' }),
    ],
    ['allowed origins', v1({}, ['https://example.com', 'http://localhost:3000'])],
  ])('format 1 → current → format 1 gives back %s unchanged', (_, doc) => {
    expect(downgradeBotBundle(upgradeBotBundle(doc, { name: 'Milo' }), 1)).toEqual(doc);
  });

  it('current → format 1 → current keeps what format 1 holds and resets the rest to the format 1 defaults', () => {
    const original = fullBundle();
    const back = upgradeBotBundle(downgradeBotBundle(original, 1), { name: original.name });
    expect(back.personality).toEqual({
      ...original.personality,
      language: 'en',
      answerLength: 'medium',
      offerHuman: 'when-unsure',
    });
    expect(back.allowedOrigins).toEqual(original.allowedOrigins);
    expect(back.name).toBe(original.name);
    expect(back.variants).toEqual([]);
    expect(back.avatar.kind).toBe('none');
  });
});

describe('FORMAT_MIGRATIONS', () => {
  it('is one unbroken chain of single steps from the oldest format to the current one', () => {
    expect(FORMAT_MIGRATIONS.map(({ from, to }) => [from, to])).toEqual(
      Array.from({ length: CURRENT_FORMAT_VERSION - OLDEST_FORMAT_VERSION }, (_, i) => [
        OLDEST_FORMAT_VERSION + i,
        OLDEST_FORMAT_VERSION + i + 1,
      ]),
    );
  });
});
