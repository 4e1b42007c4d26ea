// The evidence classifyIntent weighs: patterns per intent, each with a weight, matched against
// the message folded to lowercase without diacritics ("Tschüss" → "tschuss", "¿Cuánto?" →
// "¿cuanto?"). English, German and Spanish basics. Contact details are matched on the raw text.
//
// Weights are chosen so that, when two intents show up in one message, the one the mascot should
// react to wins: contact details and asking for a human beat a complaint, which beats a plain
// question; a goodbye beats the thanks before it ("Thanks, bye!"); a question beats the greeting
// in front of it ("Hi, how do I …?").

import type { Intent } from './cue-vocabulary.ts';

export interface IntentPattern {
  readonly intent: Exclude<Intent, 'other'>;
  readonly pattern: RegExp;
  readonly weight: number;
  /** Match against the original text instead of the folded one (addresses, numbers). */
  readonly raw?: boolean;
}

// Whole words or phrases, with Unicode-aware edges ("hi" must not match "this").
const words = (...alternatives: string[]): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');
// The same, but only at the start of the message or of a clause.
const opening = (...alternatives: string[]): RegExp =>
  new RegExp(`(?:^|[.!?,;:¡¿]\\s*)(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');

const GREETINGS = [
  'hello', 'hi', 'hey', 'hiya', 'howdy', 'greetings', 'good (?:morning|afternoon|evening)',
  'hallo', 'moin', 'servus', 'gruß gott', 'gruss gott', 'guten (?:morgen|tag|abend)',
  'hola', 'buen(?:os|as) (?:dias|tardes|noches)', 'buenas',
];
const QUESTION_OPENERS = [
  'what', 'how', 'why', 'when', 'where', 'which', 'who', 'whose', 'can', 'could', 'do', 'does', 'did', 'is', 'are',
  'will', 'would', 'should', 'may', 'have you', 'has',
  'was', 'wie', 'warum', 'wieso', 'weshalb', 'wann', 'wo', 'woher', 'wohin', 'welche[rsmn]?', 'wer', 'kann',
  'konnen', 'gibt es', 'habt', 'haben sie', 'ist', 'sind',
  'que', 'como', 'por que', 'cuando', 'donde', 'cual(?:es)?', 'quien(?:es)?', 'cuant[oa]s?', 'puedo', 'puede',
  'hay', 'tienen',
];
const HUMAN_NOUNS = [
  'human', 'humans', 'real person', 'a person', 'someone real', 'live (?:agent|person|chat)', 'agent', 'agents',
  'representative', 'operator', 'support staff', 'staff member', 'customer service',
  'mensch', 'menschen', 'mitarbeiter(?:in)?', 'berater(?:in)?', 'echte(?:n|r)? person',
  'persona', 'humano', 'agente', 'operador(?:a)?', 'asesor(?:a)?',
];
const STRONG_COMPLAINTS = [
  'terrible', 'awful', 'horrible', 'worst', 'useless', 'unacceptable', 'ridiculous', 'scam', 'rip ?off',
  'refund', 'charged twice', 'doesn.?t work', 'does not work', 'not working', 'isn.?t working', 'never arrived',
  'disappointed', 'disappointing', 'frustrated', 'frustrating', 'furious', 'angry', 'annoyed', 'sucks',
  'waste of (?:time|money)', 'complain(?:t|ts)?',
  'schlecht', 'schrecklich', 'furchtbar', 'funktioniert nicht', 'geht nicht', 'kaputt', 'beschwerde',
  'reklamation', 'argerlich', 'enttauscht', 'unverschamt', 'katastrophe',
  'malo', 'mala', 'pesimo', 'no funciona', 'roto', 'queja', 'reclamacion', 'decepcionad[oa]', 'molest[oa]',
  'enfadad[oa]', 'desastre', 'fatal',
];
const MILD_COMPLAINTS = [
  'problem', 'problems', 'issue', 'issues', 'error', 'bug', 'buggy', 'crash(?:es|ed|ing)?', 'broken', 'fail(?:s|ed|ure)?',
  'late again', 'still waiting', 'too slow', 'wrong', 'incorrect', 'fehler', 'falsch', 'problema', 'problemas',
  'incorrect[oa]',
];

// An e-mail address, or a run of at least 7 digits written as a phone number (spaces, dashes,
// dots, brackets, a leading +). Dates, prices and order numbers are excluded in classifyIntent.
const EMAIL_ADDRESS = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
export const PHONE_NUMBER = /(?<![\p{L}\p{N}])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?![\p{L}\p{N}])/gu;

export const INTENT_PATTERNS: readonly IntentPattern[] = [
  { intent: 'gives_contact', pattern: EMAIL_ADDRESS, weight: 2.5, raw: true },
  // Phone numbers are scored separately (PHONE_NUMBER needs the exclusions), at the same weight.

  { intent: 'wants_human', pattern: words(...HUMAN_NOUNS), weight: 1.5 },
  { intent: 'wants_human', pattern: words('(?:talk|speak|chat) (?:to|with)', 'connect me', 'transfer me', 'hablar con', 'sprechen', 'verbinden'), weight: 0.6 },

  { intent: 'complaint', pattern: words(...STRONG_COMPLAINTS), weight: 1.2 },
  { intent: 'complaint', pattern: words(...MILD_COMPLAINTS), weight: 0.6 },

  { intent: 'goodbye', pattern: words(
    'bye', 'goodbye', 'good bye', 'bye bye', 'see (?:you|ya)', 'farewell', 'take care', 'have a (?:nice|good|great) (?:day|evening|weekend)',
    'tschuss', 'tschuess', 'tschau', 'ciao', 'auf wiedersehen', 'bis (?:bald|spater|dann|morgen)',
    'adios', 'hasta (?:luego|pronto|manana)', 'chao', 'nos vemos',
  ), weight: 1.3 },

  { intent: 'thanks', pattern: words(
    'thanks', 'thank you', 'thank u', 'thx', 'ty', 'cheers', 'appreciate (?:it|that|your help)', 'much obliged',
    'danke', 'dankeschon', 'vielen dank', 'besten dank', 'gracias', 'merci',
  ), weight: 1.2 },

  { intent: 'question', pattern: /[?¿]/u, weight: 0.8 },
  { intent: 'question', pattern: opening(...QUESTION_OPENERS), weight: 0.7 },
  // A booster only: below MIN_INTENT_EVIDENCE on its own ("tell me a joke" is no question).
  { intent: 'question', pattern: words('i (?:want|need|would like) to know', 'tell me', 'wondering', 'ich mochte wissen', 'quiero saber'), weight: 0.4 },

  { intent: 'greeting', pattern: opening(...GREETINGS), weight: 1.0 },
  { intent: 'greeting', pattern: words(...GREETINGS), weight: 0.3 },
];
