// Mouth weights for a reply that streams in as text. avatar-core turns text into a viseme timeline
// (createVisemeStream); this driver plays that timeline against the clock:
//   - the speech clock never runs past the text received so far: when the reply streams slower
//     than it is spoken, the mouth rests and waits for the next words;
//   - when text arrives faster (the usual case: models write faster than people talk), the backlog
//     is spoken up to MAX_SPEED_UP times faster once it exceeds COMFORTABLE_LAG_MS, so the mouth
//     stops soon after the text has finished appearing instead of talking on for half a minute;
//   - once the reply is complete the mouth tracks what was shown: it never talks on for more than
//     FINISH_WITHIN_MS after the end (issue 14: the avatar kept talking long after the text was
//     done); an older backlog is skipped, so the last words are still said at a natural pace.
// It allocates nothing per frame: weights are written into one object.
import {
  DEFAULT_CROSSFADE_MS,
  createVisemeStream,
  mouthWeightsAt,
  type MouthWeights,
  type VisemeCue,
  type VisemeStream,
} from '@mascot/avatar-core';

/** Backlog of unspoken text (as speech time) the driver tolerates before speeding up. */
export const COMFORTABLE_LAG_MS = 2_000;
/** The fastest the driver speaks to catch up with the text. */
export const MAX_SPEED_UP = 3;
/** The longest the mouth keeps talking once the reply's text is complete. */
export const FINISH_WITHIN_MS = COMFORTABLE_LAG_MS;

export class LipSyncDriver {
  readonly #weights: MouthWeights = { mouthOpen: 0, mouthSmile: 0, mouthRound: 0, mouthClosed: 0 };
  #stream: VisemeStream | null = null;
  #timeline: VisemeCue[] = [];
  #messageId: string | null = null;
  #clockMs = 0;
  /** How long the clock has been waiting at the end of the text received so far. */
  #waitedMs = 0;
  #ended = true;

  /** Streamed reply text; a new message id starts a new utterance. */
  push(messageId: string, delta: string): void {
    if (messageId !== this.#messageId || this.#stream === null) this.#start(messageId);
    this.#append(this.#stream!.push(delta));
  }

  /** The reply is complete: speak what is left, then rest. Ignored for a message not being spoken. */
  end(messageId: string): void {
    if (messageId !== this.#messageId || this.#stream === null) return;
    this.#append(this.#stream.end());
    this.#stream = null;
    this.#ended = true;
  }

  /** Stops at once (e.g. reduced motion switched on mid-reply). */
  stop(): void {
    this.#stream = null;
    this.#timeline = [];
    this.#clockMs = 0;
    this.#waitedMs = 0;
    this.#ended = true;
  }

  /** Words received and not yet spoken, or a reply still streaming. */
  get speaking(): boolean {
    return !this.#ended || this.#clockMs < this.#knownEndMs();
  }

  /** Unspoken speech time already received, in ms. */
  get backlogMs(): number {
    return Math.max(0, this.#knownEndMs() - this.#clockMs);
  }

  /** Advances the speech clock by `deltaMs` of real time; returns the mouth weights now (reused object). */
  advance(deltaMs: number): Readonly<MouthWeights> {
    const knownEnd = this.#knownEndMs();
    if (this.#ended && knownEnd - this.#clockMs > FINISH_WITHIN_MS) this.#clockMs = knownEnd - FINISH_WITHIN_MS;
    const backlog = knownEnd - this.#clockMs;
    const speed = backlog > COMFORTABLE_LAG_MS ? Math.min(MAX_SPEED_UP, backlog / COMFORTABLE_LAG_MS) : 1;
    const step = Math.max(0, deltaMs) * speed;
    this.#waitedMs = this.#clockMs + step > knownEnd ? this.#waitedMs + this.#clockMs + step - knownEnd : 0;
    this.#clockMs = Math.min(this.#clockMs + step, knownEnd);
    // Waiting at the end of the text so far: let the last shape fade to rest as it would at a real
    // end, while the clock itself stays put so the next words start where they belong.
    const at = this.#clockMs + Math.min(this.#waitedMs, DEFAULT_CROSSFADE_MS);
    return mouthWeightsAt(this.#timeline, at, { crossfadeMs: DEFAULT_CROSSFADE_MS, into: this.#weights });
  }

  #start(messageId: string): void {
    this.#messageId = messageId;
    this.#stream = createVisemeStream();
    this.#timeline = [];
    this.#clockMs = 0;
    this.#waitedMs = 0;
    this.#ended = false;
  }

  #append(cues: readonly VisemeCue[]): void {
    for (const cue of cues) this.#timeline.push(cue);
  }

  #knownEndMs(): number {
    const last = this.#timeline[this.#timeline.length - 1];
    return last === undefined ? 0 : last.startMs + last.durationMs;
  }
}
