import { chooseCue, classifyIntent, type ConversationPhase, type Intent } from '@mascot/avatar-core';
import type { ConversationEvent } from '@mascot/events';
import { sentimentOf } from './sentiment.ts';

type AvatarCueEvent = Omit<Extract<ConversationEvent, { type: 'AvatarCue' }>, 'seq'>;
type CuePhase = AvatarCueEvent['phase'] & ConversationPhase;

/** The speaking cue waits for this much reply text (or the first sentence) so its sentiment means something. */
const SPEAKING_CUE_MIN_CHARS = 120;
const SENTENCE_END = /[.!?…](?:\s|$)/;

/** Confidence below avatar-core's `unsure` threshold (0.4): the bot answers without any knowledge. */
const CONFIDENCE_WITHOUT_KNOWLEDGE = 0.2;
/** Knowledge was found but the answer cites none of it (yet): sure enough to talk, not to celebrate. */
const CONFIDENCE_UNCITED = 0.6;

export interface CueGrounding {
  /** Retrieval found a passage relevant enough to answer from. */
  knowledgeFound: boolean;
  /** Citations the answer carries (known at the end for LLM providers). */
  citations: number;
}

function confidenceOf({ knowledgeFound, citations }: CueGrounding): number {
  if (citations > 0) return 1;
  return knowledgeFound ? CONFIDENCE_UNCITED : CONFIDENCE_WITHOUT_KNOWLEDGE;
}

/**
 * The avatar's reactions to one exchange, as AvatarCue events: `listening` as soon as the visitor's
 * message is read (before any token), `speaking` once the reply's first sentence has streamed, and
 * `finished` with the whole reply. Intent comes from avatar-core's classifier and sentiment from
 * wink-nlp; avatar-core's cue rules pick the slot. It reads the visitor's original text: it runs in
 * process, and redaction would hide the contact details the `gives_contact` intent looks for.
 */
export class ReplyCues {
  readonly intent: Intent;
  readonly visitorSentiment: number;
  private spoke = false;

  constructor(private readonly messageId: string, visitorText: string) {
    this.intent = classifyIntent(visitorText).intent;
    this.visitorSentiment = sentimentOf(visitorText);
  }

  listening(): AvatarCueEvent {
    return this.cue('listening', this.visitorSentiment);
  }

  /** The speaking cue, once: when the reply so far holds a sentence or enough text; null otherwise. */
  speakingOnce(replySoFar: string, grounding: CueGrounding): AvatarCueEvent | null {
    if (this.spoke || (!SENTENCE_END.test(replySoFar) && replySoFar.length < SPEAKING_CUE_MIN_CHARS)) return null;
    this.spoke = true;
    return this.cue('speaking', sentimentOf(replySoFar), confidenceOf(grounding));
  }

  finished(reply: string, grounding: CueGrounding): AvatarCueEvent {
    return this.cue('finished', sentimentOf(reply), confidenceOf(grounding));
  }

  /** Confidence only matters once the bot answers; while listening it counts as sure. */
  private cue(phase: CuePhase, sentiment: number, confidence = 1): AvatarCueEvent {
    const cue = chooseCue({
      phase,
      intent: this.intent,
      sentiment,
      visitorSentiment: this.visitorSentiment,
      confidence,
    });
    return {
      type: 'AvatarCue',
      messageId: this.messageId,
      phase,
      slot: cue.slot,
      intensity: cue.intensity,
      reason: cue.reason,
      intent: this.intent,
      sentiment: Math.round(sentiment * 1000) / 1000,
    };
  }
}
