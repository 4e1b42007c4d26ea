// Bundles shared by this package's tests; not exported from index.ts.
import { emptyAnimationMap, type AnimationMap } from './avatar.ts';
import type { BotBundle } from './bot-bundle.ts';
import { defaultBotBundle } from './default-bot-bundle.ts';

export const SYSTEM_PROMPT_SECRET = 'You are Pip. Internal discount code: PIP-SECRET-42.';

export function clipsFor(prefix: string): AnimationMap {
  const map = emptyAnimationMap();
  map.idle = `${prefix}_Idle`;
  map.talk = `${prefix}_Talk`;
  map.greet_wave = `${prefix}_Wave`;
  return map;
}

/** A bundle that uses every part of the format, in canonical form. */
export function fullBundle(): BotBundle {
  return {
    ...defaultBotBundle('Pip'),
    personality: {
      systemPrompt: SYSTEM_PROMPT_SECRET,
      tone: 'playful',
      greeting: 'Ahoy! Pip here.',
      language: 'pt-BR',
      answerLength: 'short',
      unknownAnswer: 'No idea, sorry!',
      offerHuman: 'on-request',
    },
    providers: [
      { provider: 'openai', model: 'gpt-4o-mini', temperature: 0.3 },
      {
        provider: 'openai-compatible',
        model: 'llama3.1:8b',
        baseUrl: 'http://localhost:11434/v1',
        maxOutputTokens: 512,
      },
      { provider: 'offline', model: 'mascot-extractive-v1' },
    ],
    avatar: { kind: 'builtin', id: 'pip-parrot', animationMap: clipsFor('Pip') },
    placement: {
      include: ['example.com/shop/*', '/help/*'],
      exclude: ['example.com/shop/checkout*'],
      delaySeconds: 5,
      position: 'bottom-left',
      devices: ['desktop', 'mobile'],
    },
    theme: {
      primaryColor: '#ff8800',
      backgroundColor: '#fffaf0',
      textColor: '#222222',
      fontFamily: 'rounded',
      launcher: 'avatar',
      whiteLabel: true,
    },
    allowedOrigins: ['https://example.com', 'http://localhost:3000'],
    variants: [
      { id: 'control', weight: 50 },
      {
        id: 'pirate',
        weight: 30,
        greeting: 'Arr, welcome aboard!',
        personality: { tone: 'friendly', language: 'en-GB' },
        avatar: { kind: 'uploaded', assetHash: 'a'.repeat(64), animationMap: clipsFor('Captain') },
      },
      { id: 'quiet', weight: 20, personality: { answerLength: 'short', offerHuman: 'never' } },
    ],
  };
}
