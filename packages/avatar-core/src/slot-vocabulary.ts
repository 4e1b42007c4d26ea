// What clip names say about each slot: words and synonyms with weights (a clip scores the sum of
// the terms it contains, see clip-mapping.ts). A term of several words matches only when the clip
// name has all of them. Negative weights push away names that share a word but mean something
// else ("Shake Hands" is not a head shake). Words are stemmed like clip names, so "wave", "waves"
// and "waving" are one term.
//
// Tuning hints: a slot's own name scores 1.0; a mood or qualifier that only makes sense together
// with a base motion ("excited" + "talk") scores well below 1.0 so the base slot wins when the
// qualifier is missing.

import type { AnimationSlot } from './animation-slots.ts';
import { splitClipName, stemWord } from './clip-name-tokens.ts';

type RawTerms = Readonly<Record<string, number>>;

const RAW_VOCABULARY: Readonly<Record<AnimationSlot, RawTerms>> = {
  // Slightly below 1 so that a mood idle ("Happy Idle", "Sad Idle") goes to the mood's slot.
  idle: { idle: 0.9, stand: 0.3, rest: 0.5, wait: 0.5, stance: 0.5, neutral: 0.4 },
  idle_alt: {
    idle: 0.5, 'idle alt': 0.6, 'idle alternative': 0.6, 'idle variation': 0.6, 'idle var': 0.6, breath: 0.6,
    bored: 0.8, 'look around': 0.8, fidget: 0.8, stretch: 0.8, yawn: 0.8, weight: 0.3, shift: 0.3,
  },
  listen: { listen: 1, attentive: 0.8, hear: 0.6, interest: 0.5, lean: 0.3 },
  think: { think: 1, thought: 0.9, ponder: 1, wonder: 0.7, consider: 0.7, hmm: 0.6, chin: 0.3 },
  talk: { talk: 1, speak: 1, speech: 0.9, explain: 0.8, conversation: 0.8, chat: 0.6, say: 0.6, tell: 0.6 },
  // The qualifiers alone stay below MIN_MATCH_SCORE: an "Excited" jump is not excited talking.
  talk_excited: {
    talk: 0.45, speak: 0.45, speech: 0.4, explain: 0.4, excited: 0.35, animated: 0.4, energetic: 0.4,
    enthusiastic: 0.4, emphatic: 0.4, passionate: 0.4, loud: 0.3, happy: 0.2,
  },
  greet_wave: { wave: 1, hello: 1, hi: 0.8, hey: 0.7, greet: 1, greeting: 1, welcome: 0.8, salute: 0.6 },
  goodbye_wave: {
    bye: 1, goodbye: 1, farewell: 1, 'see you': 0.8, 'see ya': 0.8, leave: 0.5, wave: 0.4, hello: -0.5,
  },
  nod: { nod: 1, yes: 0.8, agree: 0.8, acknowledge: 0.8, affirm: 0.8, ok: 0.4, okay: 0.4, head: 0.1 },
  shake_head: {
    shake: 0.8, no: 0.8, nope: 0.8, disagree: 0.8, deny: 0.6, refuse: 0.6, head: 0.1, hand: -0.8, handshake: -1,
  },
  shrug: { shrug: 1, dunno: 0.8, idk: 0.8, 'don t know': 0.8, unsure: 0.6, whatever: 0.5 },
  point: { point: 1, indicate: 0.6, show: 0.4, present: 0.4, direction: 0.4, finger: 0.3 },
  bow: { bow: 1, curtsy: 0.8, namaste: 0.8, respect: 0.5, thank: 0.6 },
  happy: { happy: 1, smile: 0.8, joy: 0.8, joyful: 0.8, glad: 0.8, cheerful: 0.8, pleased: 0.6, content: 0.4 },
  laugh: { laugh: 1, giggle: 0.8, chuckle: 0.8, haha: 0.8, lol: 0.6 },
  sad: {
    sad: 1, unhappy: 0.9, cry: 0.8, sorrow: 0.8, depress: 0.8, upset: 0.7, disappoint: 0.7, defeat: 0.6, sigh: 0.5,
  },
  surprised: { surprise: 1, shock: 0.9, startle: 0.8, astonish: 0.8, gasp: 0.7, wow: 0.6, omg: 0.6 },
  confused: {
    confuse: 1, puzzle: 0.9, 'scratch head': 0.8, 'head scratch': 0.8, huh: 0.6, lost: 0.5, what: 0.4,
  },
  celebrate: {
    celebrate: 1, celebration: 1, victory: 1, cheer: 0.9, win: 0.8, 'fist pump': 0.9, hooray: 0.8, yay: 0.8,
    dance: 0.8, party: 0.7, clap: 0.7, applause: 0.7, excited: 0.5, jump: 0.6,
  },
  thumbs_up: {
    'thumb up': 1.2, thumb: 0.6, approve: 0.7, 'good job': 0.8, like: 0.5, ok: 0.3, okay: 0.3, great: 0.4,
  },
};

export interface SlotTerm {
  /** Word stems that must all appear in the clip name. */
  readonly stems: readonly string[];
  readonly weight: number;
}

// Spellings that stem alike ("greet", "greeting") become one term, so a name is not counted twice.
function compile(raw: RawTerms): SlotTerm[] {
  const terms = new Map<string, SlotTerm>();
  for (const [phrase, weight] of Object.entries(raw)) {
    const stems = splitClipName(phrase).map(stemWord);
    const key = stems.join(' ');
    if (Math.abs(weight) > Math.abs(terms.get(key)?.weight ?? 0)) terms.set(key, { stems, weight });
  }
  return [...terms.values()];
}

/** Stemmed terms per slot. */
export const SLOT_VOCABULARY: Readonly<Record<AnimationSlot, readonly SlotTerm[]>> = Object.fromEntries(
  Object.entries(RAW_VOCABULARY).map(([slot, raw]) => [slot, compile(raw)]),
) as Record<AnimationSlot, SlotTerm[]>;
