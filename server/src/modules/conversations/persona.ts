import type { BotBundle } from '@mascot/bot-bundle';
import type { Persona } from '../ai/index.ts';
import { handsOverWhenUnsure } from './handoff.policy.ts';

/** The persona a provider answers in, from a bundle's personality: the same for visitors and Studio's preview. */
export function personaOf(bundle: BotBundle): Persona {
  const { personality } = bundle;
  return {
    botName: bundle.name,
    tone: personality.tone,
    systemPrompt: personality.systemPrompt,
    unknownAnswer: personality.unknownAnswer,
    // An unsure answer offers a person exactly when visitors get that offer (handoff.offer.ts); the visitor's
    // reply path turns this off and appends the offer itself, Studio's preview lets the provider say it.
    offerHuman: handsOverWhenUnsure(personality.offerHuman),
    language: personality.language,
    answerLength: personality.answerLength,
  };
}
