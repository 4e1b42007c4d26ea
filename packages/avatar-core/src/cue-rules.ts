// Which animation slot the mascot plays for a moment of a conversation. An ordered rule table:
// the first rule whose conditions all hold wins, and its `reason` says why in plain words (Studio
// shows it; logs carry it). Deterministic: the same input always gives the same cue.
//
// Sentiment comes from the server's sentiment library as a number; this package never scores
// text itself. Which message it describes depends on the phase:
//   greeting, listening, thinking → the visitor's latest message (`sentiment`)
//   speaking, finished            → the mascot's reply (`sentiment`), with the visitor's latest
//                                   message in `visitorSentiment` (defaults to `sentiment`)
// `confidence` is how sure the bot is of its answer (e.g. the grounded relevance); without it the
// bot counts as sure.

import type { AnimationSlot } from './animation-slots.ts';
import type { ConversationPhase, Intent } from './cue-vocabulary.ts';

export interface CueInput {
  readonly phase: ConversationPhase;
  readonly intent: Intent;
  /** -1..1; values outside are clamped, NaN counts as neutral. */
  readonly sentiment: number;
  /** -1..1; the visitor's latest message while the reply is spoken. */
  readonly visitorSentiment?: number;
  /** 0..1; how sure the bot is of its answer. Default 1. */
  readonly confidence?: number;
}

export interface Cue {
  readonly slot: AnimationSlot;
  /** 0..1: how strongly to play it (blend weight, playback energy). */
  readonly intensity: number;
  readonly reason: string;
}

/** The normalised input every rule sees. */
export interface CueSignals {
  readonly phase: ConversationPhase;
  readonly intent: Intent;
  readonly sentiment: number;
  readonly visitorSentiment: number;
  readonly confidence: number;
}

export interface CueRule {
  readonly reason: string;
  readonly slot: AnimationSlot;
  /** The rule applies in these phases only; in every phase when absent. */
  readonly phases?: readonly ConversationPhase[];
  /** The rule applies to these intents only; to every intent when absent. */
  readonly intents?: readonly Intent[];
  readonly when?: (signals: CueSignals) => boolean;
  readonly intensity: (signals: CueSignals) => number;
}

/** Every threshold the rules use; comparisons are written next to each rule. */
export const CUE_THRESHOLDS = {
  /** speaking: sentiment above this talks excitedly. */
  excited: 0.5,
  /** finished: sentiment above this looks happy; visitor at or above this counts as pleased. */
  pleased: 0.5,
  /** finished: sentiment at or above this (with a pleased visitor) celebrates. */
  celebrate: 0.8,
  /** listening: sentiment at or above this shares the visitor's delight. */
  delighted: 0.7,
  /** listening: sentiment at or below this looks concerned even without a complaint. */
  distressed: -0.6,
  /** speaking, finished: confidence below this means the bot did not know. */
  unsure: 0.4,
} as const;

const T = CUE_THRESHOLDS;
const RESPONDING: readonly ConversationPhase[] = ['listening', 'speaking', 'finished'];
const positive = (value: number): number => Math.max(0, value);
const fixed = (value: number) => (): number => value;

/** The rules, in order; the first match wins. The last rule matches everything. */
export const CUE_RULES: readonly CueRule[] = [
  {
    reason: 'the widget opened: wave hello',
    phases: ['greeting'],
    slot: 'greet_wave', intensity: (s) => 0.6 + 0.4 * positive(s.sentiment),
  },
  {
    reason: 'preparing the reply: look thoughtful',
    phases: ['thinking'],
    slot: 'think', intensity: fixed(0.5),
  },

  // Intents that call for the same gesture whenever the mascot is engaged.
  {
    reason: 'the visitor says goodbye: wave back',
    phases: ['speaking', 'finished'], intents: ['goodbye'],
    slot: 'goodbye_wave', intensity: fixed(0.8),
  },
  {
    reason: 'the visitor asks for a human: nod to acknowledge',
    phases: RESPONDING, intents: ['wants_human'],
    slot: 'nod', intensity: fixed(0.7),
  },
  {
    reason: 'the visitor left contact details: thumbs up, got it',
    phases: RESPONDING, intents: ['gives_contact'],
    slot: 'thumbs_up', intensity: fixed(0.7),
  },

  // Listening.
  {
    reason: 'hearing a complaint: look sympathetic',
    phases: ['listening'], intents: ['complaint'], when: (s) => s.sentiment < 0,
    slot: 'sad', intensity: (s) => 0.4 + 0.6 * -s.sentiment,
  },
  {
    reason: 'the visitor sounds upset: look concerned',
    phases: ['listening'], when: (s) => s.sentiment <= T.distressed,
    slot: 'sad', intensity: (s) => -s.sentiment * 0.8,
  },
  {
    reason: 'the visitor says hello: wave back',
    phases: ['listening'], intents: ['greeting'],
    slot: 'greet_wave', intensity: fixed(0.7),
  },
  {
    reason: 'the visitor sounds delighted: share the joy',
    phases: ['listening'], when: (s) => s.sentiment >= T.delighted,
    slot: 'happy', intensity: (s) => s.sentiment,
  },
  {
    reason: 'the visitor asks a question: listen attentively',
    phases: ['listening'], intents: ['question'],
    slot: 'listen', intensity: fixed(0.7),
  },
  {
    reason: 'the visitor is writing: listen',
    phases: ['listening'],
    slot: 'listen', intensity: fixed(0.5),
  },

  // Speaking the reply.
  {
    reason: 'answering a complaint: calm, reassuring nods',
    phases: ['speaking'], intents: ['complaint'],
    slot: 'nod', intensity: fixed(0.5),
  },
  {
    reason: 'saying it does not know: shrug',
    phases: ['speaking'], when: (s) => s.confidence < T.unsure,
    slot: 'shrug', intensity: (s) => 1 - s.confidence,
  },
  {
    reason: 'an upbeat reply: talk with energy',
    phases: ['speaking'], when: (s) => s.sentiment > T.excited,
    slot: 'talk_excited', intensity: (s) => s.sentiment,
  },
  {
    reason: 'speaking the reply',
    phases: ['speaking'],
    slot: 'talk', intensity: (s) => 0.5 + 0.5 * positive(s.sentiment),
  },

  // The reply is complete: a short closing reaction.
  {
    reason: 'done answering a complaint: stay calm, no cheering',
    phases: ['finished'], intents: ['complaint'],
    slot: 'idle', intensity: fixed(0),
  },
  {
    reason: 'could not answer: look puzzled',
    phases: ['finished'], when: (s) => s.confidence < T.unsure,
    slot: 'confused', intensity: (s) => 1 - s.confidence,
  },
  {
    reason: 'thanked by a pleased visitor: thumbs up',
    phases: ['finished'], intents: ['thanks'], when: (s) => s.visitorSentiment >= T.pleased,
    slot: 'thumbs_up', intensity: (s) => s.visitorSentiment,
  },
  {
    reason: 'thanked: a polite bow',
    phases: ['finished'], intents: ['thanks'],
    slot: 'bow', intensity: fixed(0.6),
  },
  {
    reason: 'great news for a pleased visitor: celebrate',
    phases: ['finished'], when: (s) => s.sentiment >= T.celebrate && s.visitorSentiment >= T.pleased,
    slot: 'celebrate', intensity: (s) => s.sentiment,
  },
  {
    reason: 'a happy reply: look pleased',
    phases: ['finished'], when: (s) => s.sentiment > T.pleased,
    slot: 'happy', intensity: (s) => s.sentiment,
  },
  {
    reason: 'greeted back: a friendly smile',
    phases: ['finished'], intents: ['greeting'],
    slot: 'happy', intensity: fixed(0.4),
  },

  {
    reason: 'nothing to react to: rest',
    slot: 'idle', intensity: fixed(0),
  },
];

const clamp = (value: number, min: number, max: number, fallback: number): number =>
  Number.isNaN(value) ? fallback : Math.min(max, Math.max(min, value));
const round2 = (value: number): number => Math.round(value * 100) / 100;

export function normaliseCueInput(input: CueInput): CueSignals {
  const sentiment = clamp(input.sentiment, -1, 1, 0);
  return {
    phase: input.phase,
    intent: input.intent,
    sentiment,
    visitorSentiment: clamp(input.visitorSentiment ?? sentiment, -1, 1, sentiment),
    confidence: clamp(input.confidence ?? 1, 0, 1, 1),
  };
}

export function matchesCueRule(rule: CueRule, signals: CueSignals): boolean {
  return (
    (rule.phases === undefined || rule.phases.includes(signals.phase)) &&
    (rule.intents === undefined || rule.intents.includes(signals.intent)) &&
    (rule.when === undefined || rule.when(signals))
  );
}

// The table ends with a rule without conditions, so a match always exists.
const LAST_RULE = CUE_RULES[CUE_RULES.length - 1] as CueRule;

/** The cue for a moment of the conversation: the first matching rule of CUE_RULES. */
export function chooseCue(input: CueInput): Cue {
  const signals = normaliseCueInput(input);
  const rule = CUE_RULES.find((candidate) => matchesCueRule(candidate, signals)) ?? LAST_RULE;
  return { slot: rule.slot, intensity: round2(clamp(rule.intensity(signals), 0, 1, 0)), reason: rule.reason };
}
