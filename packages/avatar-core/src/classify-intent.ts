// A small, transparent intent classifier for visitor messages: no model, just the weighted
// patterns of intent-patterns.ts. Each intent's score is the sum of the weights of its patterns
// that match; the highest score wins (ties in INTENTS order, so contact details and asking for a
// human win over weaker readings). Below MIN_INTENT_EVIDENCE nothing is said strongly enough and
// the intent is 'other'.
//
// Confidence is the winner's share of all evidence, where 'other' always holds a small prior
// (OTHER_PRIOR): one clear cue ("Thanks!") gives 0.8, competing cues lower it, no cue at all is a
// confident 'other'.

import { INTENTS, type Intent } from './cue-vocabulary.ts';
import { INTENT_PATTERNS, PHONE_NUMBER } from './intent-patterns.ts';

export interface IntentClassification {
  readonly intent: Intent;
  /** 0..1: the winning intent's share of the evidence. */
  readonly confidence: number;
  /** Evidence per intent ('other' has none of its own), for debugging and Studio's "why". */
  readonly scores: Readonly<Record<Intent, number>>;
}

export const MIN_INTENT_EVIDENCE = 0.5;
export const OTHER_PRIOR = 0.3;
const PHONE_WEIGHT = 2.5;

const LATIN_DIACRITICS = /[\u0300-\u036f]/g;
const fold = (text: string): string =>
  text.normalize('NFKD').replace(LATIN_DIACRITICS, '').toLowerCase().replace(/\s+/g, ' ').trim();

// A digit run only counts as a phone number if it is not a date and not labelled as an order,
// invoice or ticket number in the few words before it ("my order number is 55512345").
const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/;
const REFERENCE_LABEL =
  /(?:order|invoice|ticket|tracking|reference|customer|account|bestell\w*|rechnung\w*|kunden\w*|pedido|factura|#|nr\.?|no\.?)(?:\s+[\p{L}.]+){0,3}\s*:?\s*$/iu;

function containsPhoneNumber(text: string): boolean {
  for (const match of text.matchAll(PHONE_NUMBER)) {
    const candidate = match[0].trim();
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    if (!DATE.test(candidate) && !REFERENCE_LABEL.test(before)) return true;
  }
  return false;
}

/** Classify a visitor message into an intent with a confidence. Deterministic. */
export function classifyIntent(text: string): IntentClassification {
  const folded = fold(text);
  const scores = Object.fromEntries(INTENTS.map((intent) => [intent, 0])) as Record<Intent, number>;
  for (const { intent, pattern, weight, raw } of INTENT_PATTERNS) {
    if (pattern.test(raw ? text : folded)) scores[intent] += weight;
  }
  if (containsPhoneNumber(text)) scores.gives_contact += PHONE_WEIGHT;

  let best: Intent = 'other';
  for (const intent of INTENTS) if (scores[intent] > scores[best]) best = intent;
  if (scores[best] < MIN_INTENT_EVIDENCE) best = 'other';

  const evidence = INTENTS.reduce((sum, intent) => sum + scores[intent], 0) + OTHER_PRIOR;
  const winner = best === 'other' ? OTHER_PRIOR : scores[best];
  const rounded = Math.round((winner / evidence) * 1000) / 1000;
  return { intent: best, confidence: rounded, scores };
}
