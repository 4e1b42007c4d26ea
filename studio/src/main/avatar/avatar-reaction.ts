// How the avatar reacts, decided by the same rules the server uses for a live conversation
// (@mascot/avatar-core's classifyIntent and chooseCue, wink-nlp sentiment), so what the designer
// sees in Studio is what visitors will see.
import { chooseCue, classifyIntent, resolveClip, type ConversationPhase } from '@mascot/avatar-core';
import type { AnimationMap } from '@mascot/bot-bundle';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { AvatarReaction } from '../../shared/studio-api.ts';

let nlp: ReturnType<typeof winkNLP> | undefined;

/** Sentiment from -1 to 1 by wink-nlp's English lite model (the server's sentiment library). */
export function sentimentOf(text: string): number {
  nlp ??= winkNLP(model);
  const score = nlp.readDoc(text).out(nlp.its.sentiment) as unknown as number;
  return Number.isFinite(score) ? Math.max(-1, Math.min(1, score)) : 0;
}

export interface ReactionInput {
  phase: ConversationPhase;
  /** The visitor's message: its intent and sentiment. */
  visitorText: string;
  /** The bot's reply when the phase is speaking/finished; the visitor's text otherwise. */
  replyText?: string;
  /** 0..1, how sure the bot is of its answer. */
  confidence?: number;
}

export function reactionFor(animationMap: AnimationMap, input: ReactionInput): AvatarReaction {
  const { intent } = classifyIntent(input.visitorText);
  const visitorSentiment = sentimentOf(input.visitorText);
  const sentiment = input.replyText === undefined ? visitorSentiment : sentimentOf(input.replyText);
  const cue = chooseCue({ phase: input.phase, intent, sentiment, visitorSentiment, confidence: input.confidence ?? 1 });
  return {
    slot: cue.slot,
    clip: resolveClip(animationMap, cue.slot)?.clip ?? null,
    intensity: cue.intensity,
    reason: cue.reason,
    sentiment: Math.round(sentiment * 100) / 100,
    intent,
  };
}
