import { describe, expect, it } from 'vitest';
import { CONVERSATION_PHASES, INTENTS } from './cue-vocabulary.ts';
import { type CueInput, CUE_RULES, CUE_THRESHOLDS as T, chooseCue } from './cue-rules.ts';

type Row = readonly [scenario: string, input: CueInput, slot: string, reason: string];

const neutral = { intent: 'other', sentiment: 0 } as const;

// One row per rule, in table order: each input reaches its rule and no earlier one.
const RULE_TABLE: readonly Row[] = [
  ['the widget opens', { ...neutral, phase: 'greeting' }, 'greet_wave', 'the widget opened: wave hello'],
  ['the reply is being prepared', { ...neutral, phase: 'thinking', intent: 'question' }, 'think', 'preparing the reply: look thoughtful'],
  ['the visitor said goodbye and the reply is spoken', { phase: 'speaking', intent: 'goodbye', sentiment: 0.9 }, 'goodbye_wave', 'the visitor says goodbye: wave back'],
  ['the visitor asks for a human', { phase: 'listening', intent: 'wants_human', sentiment: -0.8 }, 'nod', 'the visitor asks for a human: nod to acknowledge'],
  ['the visitor leaves an e-mail address', { phase: 'finished', intent: 'gives_contact', sentiment: 0.2 }, 'thumbs_up', 'the visitor left contact details: thumbs up, got it'],
  ['the visitor complains', { phase: 'listening', intent: 'complaint', sentiment: -0.4 }, 'sad', 'hearing a complaint: look sympathetic'],
  ['the visitor sounds upset without complaining', { phase: 'listening', intent: 'question', sentiment: -0.9 }, 'sad', 'the visitor sounds upset: look concerned'],
  ['the visitor says hello', { phase: 'listening', intent: 'greeting', sentiment: 0.3 }, 'greet_wave', 'the visitor says hello: wave back'],
  ['the visitor sounds delighted', { phase: 'listening', intent: 'other', sentiment: 0.9 }, 'happy', 'the visitor sounds delighted: share the joy'],
  ['the visitor asks a question', { phase: 'listening', intent: 'question', sentiment: 0 }, 'listen', 'the visitor asks a question: listen attentively'],
  ['the visitor writes something else', { phase: 'listening', intent: 'thanks', sentiment: 0.4 }, 'listen', 'the visitor is writing: listen'],
  ['a complaint is answered', { phase: 'speaking', intent: 'complaint', sentiment: 0.9 }, 'nod', 'answering a complaint: calm, reassuring nods'],
  ['the bot did not know while speaking', { phase: 'speaking', intent: 'question', sentiment: 0.9, confidence: 0.2 }, 'shrug', 'saying it does not know: shrug'],
  ['an upbeat reply is spoken', { phase: 'speaking', intent: 'question', sentiment: 0.7 }, 'talk_excited', 'an upbeat reply: talk with energy'],
  ['a plain reply is spoken', { phase: 'speaking', intent: 'question', sentiment: 0.1 }, 'talk', 'speaking the reply'],
  ['a complaint was answered very positively', { phase: 'finished', intent: 'complaint', sentiment: 0.95 }, 'idle', 'done answering a complaint: stay calm, no cheering'],
  ['the bot could not answer', { phase: 'finished', intent: 'question', sentiment: 0, confidence: 0.1 }, 'confused', 'could not answer: look puzzled'],
  ['a pleased visitor said thanks', { phase: 'finished', intent: 'thanks', sentiment: 0.3, visitorSentiment: 0.8 }, 'thumbs_up', 'thanked by a pleased visitor: thumbs up'],
  ['a visitor said a plain thanks', { phase: 'finished', intent: 'thanks', sentiment: 0.3, visitorSentiment: 0.2 }, 'bow', 'thanked: a polite bow'],
  ['great news reaches a pleased visitor', { phase: 'finished', intent: 'question', sentiment: 0.9, visitorSentiment: 0.6 }, 'celebrate', 'great news for a pleased visitor: celebrate'],
  ['a happy reply is finished', { phase: 'finished', intent: 'question', sentiment: 0.6 }, 'happy', 'a happy reply: look pleased'],
  ['the mascot greeted back', { phase: 'finished', intent: 'greeting', sentiment: 0.2 }, 'happy', 'greeted back: a friendly smile'],
  ['nothing happens', { ...neutral, phase: 'idle', intent: 'goodbye' }, 'idle', 'nothing to react to: rest'],
];

// Threshold edges: exactly at a threshold and just past it.
const EDGE_TABLE: readonly Row[] = [
  ['speaking at exactly the excited threshold stays calm', { phase: 'speaking', intent: 'question', sentiment: T.excited }, 'talk', 'speaking the reply'],
  ['speaking just above the excited threshold gets excited', { phase: 'speaking', intent: 'question', sentiment: T.excited + 0.001 }, 'talk_excited', 'an upbeat reply: talk with energy'],
  ['a complaint with neutral sentiment is only listened to', { phase: 'listening', intent: 'complaint', sentiment: 0 }, 'listen', 'the visitor is writing: listen'],
  ['a complaint just below neutral looks sympathetic', { phase: 'listening', intent: 'complaint', sentiment: -0.001 }, 'sad', 'hearing a complaint: look sympathetic'],
  ['exactly distressed looks concerned', { phase: 'listening', intent: 'other', sentiment: T.distressed }, 'sad', 'the visitor sounds upset: look concerned'],
  ['just above distressed only listens', { phase: 'listening', intent: 'other', sentiment: T.distressed + 0.001 }, 'listen', 'the visitor is writing: listen'],
  ['exactly delighted shares the joy', { phase: 'listening', intent: 'other', sentiment: T.delighted }, 'happy', 'the visitor sounds delighted: share the joy'],
  ['just below delighted only listens', { phase: 'listening', intent: 'other', sentiment: T.delighted - 0.001 }, 'listen', 'the visitor is writing: listen'],
  ['confidence exactly at the unsure threshold talks normally', { phase: 'speaking', intent: 'question', sentiment: 0, confidence: T.unsure }, 'talk', 'speaking the reply'],
  ['confidence just below the unsure threshold shrugs', { phase: 'speaking', intent: 'question', sentiment: 0, confidence: T.unsure - 0.001 }, 'shrug', 'saying it does not know: shrug'],
  ['exactly celebrate-worthy news for an exactly pleased visitor celebrates', { phase: 'finished', intent: 'other', sentiment: T.celebrate, visitorSentiment: T.pleased }, 'celebrate', 'great news for a pleased visitor: celebrate'],
  ['great news for a neutral visitor is only happy', { phase: 'finished', intent: 'other', sentiment: 0.9, visitorSentiment: 0 }, 'happy', 'a happy reply: look pleased'],
  ['a finished reply exactly at the pleased threshold rests', { phase: 'finished', intent: 'other', sentiment: T.pleased }, 'idle', 'nothing to react to: rest'],
  ['thanks from an exactly pleased visitor earns a thumbs up', { phase: 'finished', intent: 'thanks', sentiment: 0, visitorSentiment: T.pleased }, 'thumbs_up', 'thanked by a pleased visitor: thumbs up'],
  ['a visitor saying goodbye while the mascot listens is only listened to', { phase: 'listening', intent: 'goodbye', sentiment: 0 }, 'listen', 'the visitor is writing: listen'],
  ['visitor sentiment defaults to the reply sentiment', { phase: 'finished', intent: 'thanks', sentiment: 0.6 }, 'thumbs_up', 'thanked by a pleased visitor: thumbs up'],
  ['sentiment beyond the range is clamped, not rejected', { phase: 'speaking', intent: 'other', sentiment: 7 }, 'talk_excited', 'an upbeat reply: talk with energy'],
  ['NaN sentiment counts as neutral', { phase: 'listening', intent: 'complaint', sentiment: Number.NaN }, 'listen', 'the visitor is writing: listen'],
];

describe('chooseCue', () => {
  it.each(RULE_TABLE)('when %s, plays the matching rule', (_scenario, input, slot, reason) => {
    expect(chooseCue(input)).toMatchObject({ slot, reason });
  });

  it.each(EDGE_TABLE)('when %s', (_scenario, input, slot, reason) => {
    expect(chooseCue(input)).toMatchObject({ slot, reason });
  });

  it('has a table row for every rule, in rule order, so no rule is unreachable', () => {
    expect(RULE_TABLE.map(([, , , reason]) => reason)).toEqual(CUE_RULES.map((rule) => rule.reason));
  });

  it('gives every rule a distinct reason', () => {
    expect(new Set(CUE_RULES.map((rule) => rule.reason)).size).toBe(CUE_RULES.length);
  });

  it('answers every phase, intent and sentiment with an intensity between 0 and 1', () => {
    for (const phase of CONVERSATION_PHASES) {
      for (const intent of INTENTS) {
        for (const sentiment of [-1, -0.6, -0.1, 0, 0.5, 0.8, 1]) {
          for (const confidence of [0, 0.39, 1]) {
            const { intensity } = chooseCue({ phase, intent, sentiment, confidence });
            expect(intensity).toBeGreaterThanOrEqual(0);
            expect(intensity).toBeLessThanOrEqual(1);
          }
        }
      }
    }
  });

  it('scales intensity with the strength of the feeling', () => {
    const mild = chooseCue({ phase: 'listening', intent: 'complaint', sentiment: -0.2 });
    const strong = chooseCue({ phase: 'listening', intent: 'complaint', sentiment: -1 });
    expect(mild.intensity).toBe(0.52);
    expect(strong.intensity).toBe(1);
  });

  it('is deterministic', () => {
    const input: CueInput = { phase: 'speaking', intent: 'question', sentiment: 0.73, confidence: 0.9 };
    expect(chooseCue(input)).toEqual(chooseCue({ ...input }));
  });
});
