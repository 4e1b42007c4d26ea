import { describe, expect, it } from 'vitest';
import { ANIMATION_SLOTS } from './animation-slots.ts';
import { defaultBotBundle } from './default-bot-bundle.ts';
import { fullBundle } from './test-bundles.ts';
import { validateBotBundle } from './validate-bot-bundle.ts';

/** A deep copy of the full bundle, changed by `change`; typed loosely because tests break it on purpose. */
function changed(change: (doc: any) => void): unknown {
  const doc: any = structuredClone(fullBundle());
  change(doc);
  return doc;
}

function errorsOf(input: unknown) {
  const result = validateBotBundle(input);
  if (result.ok) throw new Error('expected the bundle to be invalid');
  return result.errors;
}

const ONE_OF_TONES = "must be one of 'friendly', 'professional', 'playful' or 'concise'";

describe('validateBotBundle', () => {
  it('accepts the default bundle of a new bot', () => {
    const bundle = defaultBotBundle('Milo');
    expect(validateBotBundle(bundle)).toEqual({ ok: true, bundle });
  });

  it('accepts a bundle that uses every part of the format', () => {
    expect(validateBotBundle(fullBundle())).toEqual({ ok: true, bundle: fullBundle() });
  });

  it('returns the canonical form: trimmed text, lowercase colors, hashes and origins, canonical language tags', () => {
    const result = validateBotBundle(
      changed((doc) => {
        doc.name = '  Pip  ';
        doc.personality.language = 'PT-br';
        doc.theme.primaryColor = '#FF8800';
        doc.avatar = { kind: 'uploaded', assetHash: 'AB'.repeat(32), animationMap: doc.avatar.animationMap };
        doc.allowedOrigins = ['HTTPS://Example.COM:443/', 'http://LOCALHOST:3000'];
        doc.variants[1].personality.language = 'zh-hant-tw';
        doc.variants[1].avatar.kind = 'builtin';
        doc.variants[1].avatar.id = 'captain';
        delete doc.variants[1].avatar.assetHash;
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.bundle.name).toBe('Pip');
    expect(result.bundle.personality.language).toBe('pt-BR');
    expect(result.bundle.theme.primaryColor).toBe('#ff8800');
    expect(result.bundle.avatar).toMatchObject({ kind: 'uploaded', assetHash: 'ab'.repeat(32) });
    expect(result.bundle.allowedOrigins).toEqual(['https://example.com', 'http://localhost:3000']);
    expect(result.bundle.variants[1]?.personality?.language).toBe('zh-Hant-TW');
  });

  it('returns a canonical bundle unchanged when validated again', () => {
    const once = validateBotBundle(changed((doc) => (doc.allowedOrigins = ['https://EXAMPLE.com/'])));
    if (!once.ok) throw new Error('expected a valid bundle');
    expect(validateBotBundle(once.bundle)).toEqual(once);
  });

  it('reports every problem at once, each at its own path', () => {
    const errors = errorsOf(
      changed((doc) => {
        doc.name = '';
        doc.personality.tone = 'grumpy';
        doc.providers[0].temperature = 3;
        doc.theme.textColor = 'black';
      }),
    );
    expect(errors.map((error) => error.path)).toEqual([
      'name',
      'personality.tone',
      'providers.0.temperature',
      'theme.textColor',
    ]);
  });

  describe('names the invalid field and says what it must be', () => {
    const long = (length: number) => 'x'.repeat(length);
    it.each<[string, (doc: any) => void, string, string]>([
      ['an empty name', (doc) => (doc.name = '   '), 'name', 'must not be empty'],
      ['a long name', (doc) => (doc.name = long(81)), 'name', 'must be at most 80 characters'],
      ['a name with NUL', (doc) => (doc.name = 'Pi\u0000p'), 'name', 'must not contain NUL characters'],
      ['a missing section', (doc) => delete doc.theme, 'theme', 'is required'],
      ['an unknown top-level field', (doc) => (doc.colour = 'red'), 'colour', 'is not a known field'],
      [
        'an unknown nested field',
        (doc) => (doc.personality.mood = 'sunny'),
        'personality.mood',
        'is not a known field',
      ],
      [
        'a long system prompt',
        (doc) => (doc.personality.systemPrompt = long(8001)),
        'personality.systemPrompt',
        'must be at most 8000 characters',
      ],
      ['an unknown tone', (doc) => (doc.personality.tone = 'grumpy'), 'personality.tone', ONE_OF_TONES],
      ['a blank greeting', (doc) => (doc.personality.greeting = ' '), 'personality.greeting', 'must not be empty'],
      [
        'a long greeting',
        (doc) => (doc.personality.greeting = long(501)),
        'personality.greeting',
        'must be at most 500 characters',
      ],
      [
        'a language name instead of a tag',
        (doc) => (doc.personality.language = 'English'),
        'personality.language',
        "must be a language tag such as 'en', 'de' or 'pt-BR'",
      ],
      [
        'an unknown answer length',
        (doc) => (doc.personality.answerLength = 'epic'),
        'personality.answerLength',
        "must be one of 'short', 'medium' or 'long'",
      ],
      [
        'a long unknown answer',
        (doc) => (doc.personality.unknownAnswer = long(501)),
        'personality.unknownAnswer',
        'must be at most 500 characters',
      ],
      [
        'format 1 offerHuman',
        (doc) => (doc.personality.offerHuman = true),
        'personality.offerHuman',
        "must be one of 'never', 'when-unsure', 'on-request' or 'always'",
      ],
      ['no providers', (doc) => (doc.providers = []), 'providers', 'must not be empty'],
      [
        'six providers',
        (doc) => (doc.providers = Array.from({ length: 6 }, () => ({ provider: 'offline', model: 'm' }))),
        'providers',
        'must have at most 5 entries',
      ],
      [
        'an unknown provider',
        (doc) => (doc.providers[0].provider = 'gemini'),
        'providers.0.provider',
        "must be one of 'offline', 'openai', 'anthropic' or 'openai-compatible'",
      ],
      [
        'a model name with a space',
        (doc) => (doc.providers[0].model = 'gpt 4o'),
        'providers.0.model',
        "must be a model name without spaces, such as 'gpt-4o-mini'",
      ],
      [
        'a temperature above 2',
        (doc) => (doc.providers[0].temperature = 2.5),
        'providers.0.temperature',
        'must be at most 2',
      ],
      [
        'a negative temperature',
        (doc) => (doc.providers[0].temperature = -0.1),
        'providers.0.temperature',
        'must be at least 0',
      ],
      [
        'too many output tokens',
        (doc) => (doc.providers[1].maxOutputTokens = 8193),
        'providers.1.maxOutputTokens',
        'must be at most 8192',
      ],
      [
        'a fractional token limit',
        (doc) => (doc.providers[1].maxOutputTokens = 1.5),
        'providers.1.maxOutputTokens',
        'must be a whole number',
      ],
      [
        'a base URL that is not http',
        (doc) => (doc.providers[1].baseUrl = 'ftp://llm.example.com'),
        'providers.1.baseUrl',
        'must be an http(s) URL without a user name or password, such as https://llm.example.com/v1',
      ],
      [
        'a base URL with credentials',
        (doc) => (doc.providers[1].baseUrl = 'https://me:key@llm.example.com'),
        'providers.1.baseUrl',
        'must be an http(s) URL without a user name or password, such as https://llm.example.com/v1',
      ],
      [
        'an unknown avatar kind',
        (doc) => (doc.avatar.kind = 'robot'),
        'avatar.kind',
        "must be one of 'builtin', 'uploaded' or 'none'",
      ],
      [
        'a builtin avatar id with capitals',
        (doc) => (doc.avatar.id = 'Pip'),
        'avatar.id',
        "must be lowercase letters, digits and single hyphens, such as 'milo'",
      ],
      [
        'an uploaded avatar without a hash',
        (doc) => (doc.avatar = { kind: 'uploaded', animationMap: doc.avatar.animationMap }),
        'avatar.assetHash',
        'is required',
      ],
      [
        'a short asset hash',
        (doc) => (doc.avatar = { kind: 'uploaded', assetHash: 'abc', animationMap: doc.avatar.animationMap }),
        'avatar.assetHash',
        'must be the SHA-256 of the model file: 64 hexadecimal characters',
      ],
      [
        'an empty clip name',
        (doc) => (doc.avatar.animationMap.talk = ''),
        'avatar.animationMap.talk',
        'must not be empty',
      ],
      [
        'a pattern with a scheme',
        (doc) => (doc.placement.include[0] = 'https://example.com/*'),
        'placement.include.0',
        'must leave out the scheme, such as example.com/pricing/*',
      ],
      [
        'a pattern with a query',
        (doc) => (doc.placement.exclude[0] = '/search?q=*'),
        'placement.exclude.0',
        'must not contain spaces, ? or #; patterns match host and path only',
      ],
      [
        'a repeated pattern',
        (doc) => doc.placement.include.push('/help/*'),
        'placement.include.2',
        'is the same as entry 1',
      ],
      [
        '51 patterns',
        (doc) => (doc.placement.exclude = Array.from({ length: 51 }, (_, i) => `/p${i}`)),
        'placement.exclude',
        'must have at most 50 entries',
      ],
      [
        'a delay over two minutes',
        (doc) => (doc.placement.delaySeconds = 121),
        'placement.delaySeconds',
        'must be at most 120',
      ],
      ['a negative delay', (doc) => (doc.placement.delaySeconds = -1), 'placement.delaySeconds', 'must be at least 0'],
      [
        'a fractional delay',
        (doc) => (doc.placement.delaySeconds = 1.5),
        'placement.delaySeconds',
        'must be a whole number',
      ],
      [
        'an unknown position',
        (doc) => (doc.placement.position = 'top-left'),
        'placement.position',
        "must be one of 'bottom-right' or 'bottom-left'",
      ],
      ['no devices', (doc) => (doc.placement.devices = []), 'placement.devices', 'must list at least one device'],
      [
        'an unknown device',
        (doc) => (doc.placement.devices = ['desktop', 'tv']),
        'placement.devices.1',
        "must be one of 'desktop', 'tablet' or 'mobile'",
      ],
      [
        'a repeated device',
        (doc) => (doc.placement.devices = ['mobile', 'desktop', 'mobile']),
        'placement.devices.2',
        'is the same as entry 0',
      ],
      [
        'a color name',
        (doc) => (doc.theme.primaryColor = 'orange'),
        'theme.primaryColor',
        'must be a color in the form #rrggbb, such as #4f46e5',
      ],
      [
        'a three-digit color',
        (doc) => (doc.theme.backgroundColor = '#fff'),
        'theme.backgroundColor',
        'must be a color in the form #rrggbb, such as #4f46e5',
      ],
      [
        'a font outside the safe list',
        (doc) => (doc.theme.fontFamily = 'Comic Sans'),
        'theme.fontFamily',
        "must be one of 'system', 'inter', 'serif' or 'rounded'",
      ],
      [
        'an unknown launcher',
        (doc) => (doc.theme.launcher = 'popup'),
        'theme.launcher',
        "must be one of 'avatar', 'bubble' or 'icon'",
      ],
      ['a white-label string', (doc) => (doc.theme.whiteLabel = 'yes'), 'theme.whiteLabel', 'must be true or false'],
      [
        'an origin with a path',
        (doc) => (doc.allowedOrigins[1] = 'https://example.com/shop'),
        'allowedOrigins.1',
        'must be an origin: scheme, host and optional port without a path, such as https://shop.example.com',
      ],
      [
        'a wildcard origin',
        (doc) => (doc.allowedOrigins[0] = 'https://*.example.com'),
        'allowedOrigins.0',
        'must be an origin: scheme, host and optional port without a path, such as https://shop.example.com',
      ],
      [
        '51 origins',
        (doc) => (doc.allowedOrigins = Array.from({ length: 51 }, (_, i) => `https://s${i}.example.com`)),
        'allowedOrigins',
        'must have at most 50 entries',
      ],
      [
        'six variants',
        (doc) => (doc.variants = Array.from({ length: 6 }, (_, i) => ({ id: `v${i}`, weight: 1 }))),
        'variants',
        'must have at most 5 entries',
      ],
      [
        'a variant id with spaces',
        (doc) => (doc.variants[0].id = 'Control Group'),
        'variants.0.id',
        "must be lowercase letters, digits and single hyphens, such as 'short-greeting'",
      ],
      ['a zero weight', (doc) => (doc.variants[2].weight = 0), 'variants.2.weight', 'must be at least 1'],
      ['a weight over 100', (doc) => (doc.variants[2].weight = 101), 'variants.2.weight', 'must be at most 100'],
      [
        'a blank variant greeting',
        (doc) => (doc.variants[1].greeting = ''),
        'variants.1.greeting',
        'must not be empty',
      ],
      [
        'an invalid personality override',
        (doc) => (doc.variants[2].personality.tone = 'grumpy'),
        'variants.2.personality.tone',
        ONE_OF_TONES,
      ],
      [
        'a greeting inside a personality override',
        (doc) => (doc.variants[2].personality.greeting = 'Hi'),
        'variants.2.personality.greeting',
        'is not a known field',
      ],
      [
        'an invalid avatar override',
        (doc) => (doc.variants[1].avatar.assetHash = 'xyz'),
        'variants.1.avatar.assetHash',
        'must be the SHA-256 of the model file: 64 hexadecimal characters',
      ],
    ])('%s', (_, change, path, message) => {
      expect(errorsOf(changed(change))).toEqual([{ path, message }]);
    });
  });

  describe('rules that relate fields', () => {
    it('requires a base URL for an openai-compatible provider', () => {
      expect(errorsOf(changed((doc) => delete doc.providers[1].baseUrl))).toEqual([
        { path: 'providers.1.baseUrl', message: 'is required for an openai-compatible provider' },
      ]);
    });

    it('refuses a base URL for providers with a fixed endpoint', () => {
      const errors = errorsOf(
        changed(
          (doc) =>
            (doc.providers[0] = { provider: 'anthropic', model: 'claude-sonnet-4', baseUrl: 'https://x.example' }),
        ),
      );
      expect(errors).toEqual([
        {
          path: 'providers.0.baseUrl',
          message: 'is only allowed for openai-compatible providers; anthropic has a fixed endpoint',
        },
      ]);
    });

    it('allows the offline provider anywhere in the fallback chain', () => {
      const offline = { provider: 'offline', model: 'mascot-extractive-v1' };
      const openai = { provider: 'openai', model: 'gpt-4o-mini' };
      for (const providers of [[offline, openai], [openai, offline, { ...openai, model: 'gpt-4o' }], [offline]]) {
        expect(validateBotBundle(changed((doc) => (doc.providers = providers))).ok).toBe(true);
      }
    });

    it('requires variant ids to be unique', () => {
      expect(errorsOf(changed((doc) => (doc.variants[2].id = 'control')))).toEqual([
        { path: 'variants.2.id', message: 'is the same as the id of variant 0' },
      ]);
    });

    it('refuses animation map keys that are not slots', () => {
      expect(errorsOf(changed((doc) => (doc.avatar.animationMap.wobble = 'Pip_Wobble')))).toEqual([
        {
          path: 'avatar.animationMap.wobble',
          message: `is not an animation slot; the slots are ${ANIMATION_SLOTS.join(', ')}`,
        },
      ]);
    });

    it('requires every animation slot to be listed', () => {
      expect(errorsOf(changed((doc) => delete doc.variants[1].avatar.animationMap.thumbs_up))).toEqual([
        {
          path: 'variants.1.avatar.animationMap.thumbs_up',
          message: 'is missing; list every animation slot, with null when the avatar has no clip for it',
        },
      ]);
    });

    it('allows null for every animation slot', () => {
      const allNull = Object.fromEntries(ANIMATION_SLOTS.map((slot) => [slot, null]));
      expect(validateBotBundle(changed((doc) => (doc.avatar.animationMap = allNull))).ok).toBe(true);
    });

    it('treats origins that differ only in case, default port or trailing slash as duplicates', () => {
      expect(
        errorsOf(changed((doc) => (doc.allowedOrigins = ['https://example.com', 'HTTPS://EXAMPLE.COM:443/']))),
      ).toEqual([{ path: 'allowedOrigins.1', message: 'is the same as entry 0' }]);
    });

    it('refuses an avatar launcher for a bot without an avatar', () => {
      expect(
        errorsOf(changed((doc) => (doc.avatar = { kind: 'none', animationMap: doc.avatar.animationMap }))),
      ).toEqual([
        {
          path: 'theme.launcher',
          message: "is 'avatar' but the bot has no avatar; choose 'bubble' or 'icon', or give the bot an avatar",
        },
      ]);
    });

    it('refuses a variant without an avatar when the launcher is the avatar', () => {
      expect(
        errorsOf(changed((doc) => (doc.variants[0].avatar = { kind: 'none', animationMap: doc.avatar.animationMap }))),
      ).toEqual([
        {
          path: 'variants.0.avatar.kind',
          message: "is 'none' but theme.launcher is 'avatar'; give the variant an avatar or change the launcher",
        },
      ]);
    });
  });

  describe('format version', () => {
    it('points a format 1 document to upgradeBotBundle instead of judging its fields', () => {
      const v1 = {
        personality: { systemPrompt: '', tone: 'friendly', greeting: 'Hi', unknownAnswer: null, offerHuman: true },
        allowedOrigins: [],
      };
      expect(errorsOf(v1)).toEqual([
        {
          path: 'formatVersion',
          message: 'is required; a document without it is format 1, read it with upgradeBotBundle',
        },
      ]);
    });

    it('rejects a newer format version with a message naming the versions it reads', () => {
      expect(errorsOf(changed((doc) => (doc.formatVersion = 3)))).toEqual([
        {
          path: 'formatVersion',
          message: 'is 3, newer than this build of Mascot reads (1 to 2); update Mascot to open this bundle',
        },
      ]);
    });

    it('rejects a format version that is not a whole number', () => {
      expect(errorsOf(changed((doc) => (doc.formatVersion = '2')))).toEqual([
        { path: 'formatVersion', message: 'must be a whole number from 1 to 2' },
      ]);
    });

    it('rejects a document that is not an object', () => {
      for (const input of [null, 'bundle', [fullBundle()], 42]) {
        expect(errorsOf(input)).toEqual([{ path: '(input)', message: 'must be an object (a bot bundle)' }]);
      }
    });
  });
});
