import type { BotBundle } from '@mascot/bot-bundle';
import type { Persona } from '../ai/index.ts';

/** The persona a provider answers in, from a bundle's personality: the same for visitors and Studio's preview. */
export function personaOf(bundle: BotBundle): Persona {
  const { personality } = bundle;
  return {
    botName: bundle.name,
    tone: personality.tone,
    systemPrompt: personality.systemPrompt,
    unknownAnswer: personality.unknownAnswer,
    offerHuman: personality.offerHuman !== 'never',
    language: personality.language,
    answerLength: personality.answerLength,
  };
}
