import { describe, expect, it } from 'vitest';
import { BotBundleError } from './bot-bundle-error.ts';
import { defaultBotBundle } from './default-bot-bundle.ts';
import { validateBotBundle } from './validate-bot-bundle.ts';

describe('defaultBotBundle', () => {
  it('is a valid bundle in canonical form', () => {
    const bundle = defaultBotBundle('Milo');
    expect(validateBotBundle(bundle)).toEqual({ ok: true, bundle });
  });

  it('introduces the bot by its trimmed name and answers offline without an avatar', () => {
    const bundle = defaultBotBundle('  Milo ');
    expect(bundle.name).toBe('Milo');
    expect(bundle.personality.greeting).toBe("Hi! I'm Milo. How can I help you today?");
    expect(bundle.providers).toEqual([{ provider: 'offline', model: 'mascot-extractive-v1' }]);
    expect(bundle.avatar.kind).toBe('none');
    expect(bundle.theme.launcher).toBe('bubble');
  });

  it('throws a BotBundleError at name for a name that is not valid', () => {
    expect(() => defaultBotBundle('')).toThrow(BotBundleError);
    expect(() => defaultBotBundle('x'.repeat(81))).toThrow('Invalid bot bundle: name: must be at most 80 characters');
  });
});
