// What the avatar's body should be doing, decided without three.js so it can be tested as plain
// logic. Two layers:
//   base      a looping state: talking while a reply is spoken, listening while the visitor types,
//             a held mood from a cue (listen, think, happy, sad), else idle with an occasional
//             idle_alt variation;
//   one-shot  a gesture or emotion played once over the base (a server cue, a tap reaction),
//             after which the base takes over again.
// The runtime asks `current` every frame and crossfades when its `revision` changes.
import { ANIMATION_CATALOGUE, isAnimationSlot, type AnimationSlot } from '@mascot/avatar-core';

type MoodSlot = 'listen' | 'think' | 'happy' | 'sad';

export interface DirectedMotion {
  /** The slot to play (before clip resolution). */
  readonly slot: AnimationSlot;
  /** Loop it (base layer) or play it once (one-shot layer). */
  readonly loop: boolean;
  /** Changes whenever the motion should (re)start, even for the same slot played again. */
  readonly revision: number;
}

export interface AvatarDirectorOptions {
  /** How long a slot's clip plays once, in ms (after fallbacks); null when it has none. */
  readonly oneShotDurationMs: (slot: AnimationSlot) => number | null;
  /** Crossfade length: a one-shot hands back this long before its clip ends, so it never freezes. */
  readonly crossfadeMs: number;
  /** 0 ≤ x < 1; injected so tests are deterministic. */
  readonly random?: () => number;
}

/** How long a mood cue holds before the avatar relaxes to idle. */
export const MOOD_HOLD_MS: Readonly<Record<MoodSlot, number>> = { listen: 15_000, think: 20_000, happy: 8_000, sad: 10_000 };
/** Idle stretches between two idle_alt variations: a random length in this range. */
export const IDLE_VARIETY_MS: readonly [number, number] = [9_000, 16_000];
/** What a tap does, in turn: wave hello first, then a surprised jolt, then a laugh. */
export const TAP_REACTIONS: readonly AnimationSlot[] = ['greet_wave', 'surprised', 'laugh'];

const isMood = (slot: AnimationSlot): slot is MoodSlot => slot in MOOD_HOLD_MS;

export class AvatarDirector {
  readonly #options: AvatarDirectorOptions;
  readonly #random: () => number;
  #now = 0;
  #speaking = false;
  #visitorTyping = false;
  #talkStyle: 'talk' | 'talk_excited' = 'talk';
  #mood: { slot: MoodSlot; untilMs: number } | null = null;
  /** A looping slot Studio's designer asked to see; held until the next preview or cue. */
  #held: AnimationSlot | null = null;
  #oneShot: { slot: AnimationSlot; endsAtMs: number; reaction: boolean } | null = null;
  #nextVarietyAtMs: number;
  #reactions = 0;
  #current: DirectedMotion = { slot: 'idle', loop: true, revision: 0 };

  constructor(options: AvatarDirectorOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#nextVarietyAtMs = this.#varietyDelay();
  }

  get current(): DirectedMotion {
    return this.#current;
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  /** A cue from the server; slots this runtime does not know are ignored. */
  cue(slot: string): void {
    if (!isAnimationSlot(slot)) return;
    this.#held = null;
    if (slot === 'talk' || slot === 'talk_excited') {
      this.#talkStyle = slot;
    } else if (slot === 'idle') {
      this.#mood = null;
    } else if (isMood(slot)) {
      this.#mood = { slot, untilMs: this.#now + MOOD_HOLD_MS[slot] };
    } else {
      this.#playOnce(slot, false);
    }
    this.#settle();
  }

  /**
   * Studio's slot preview: the slot itself, whatever the rules would do. A looping slot (idle,
   * talk, listen…) is held until the next preview or cue; a gesture or emotion plays once, as a
   * cue plays it, and the base takes over again.
   */
  preview(slot: AnimationSlot): void {
    this.#oneShot = null;
    this.#held = ANIMATION_CATALOGUE[slot].loop ? slot : null;
    if (!this.#held) this.#playOnce(slot, false);
    this.#settle();
  }

  /** The reply is being spoken (the lip-sync driver has words left) or has finished. */
  setSpeaking(active: boolean): void {
    if (active === this.#speaking) return;
    this.#speaking = active;
    if (active) {
      this.#talkStyle = 'talk';
      // Listening and thinking were about the question; the answer is here now.
      if (this.#mood?.slot === 'listen' || this.#mood?.slot === 'think') this.#mood = null;
    }
    this.#settle();
  }

  setVisitorTyping(active: boolean): void {
    this.#visitorTyping = active;
    this.#settle();
  }

  /** A tap on the avatar: the next of TAP_REACTIONS, unless one is still playing. */
  react(): void {
    if (this.#oneShot?.reaction) return;
    const slot = TAP_REACTIONS[this.#reactions++ % TAP_REACTIONS.length] as AnimationSlot;
    this.#playOnce(slot, true);
    this.#settle();
  }

  /** Moves the director's clock on; returns the motion to show. */
  advance(deltaMs: number): DirectedMotion {
    this.#now += Math.max(0, deltaMs);
    if (this.#oneShot && this.#now >= this.#oneShot.endsAtMs) this.#oneShot = null;
    if (this.#mood && this.#now >= this.#mood.untilMs) this.#mood = null;
    if (!this.#oneShot && this.#base() === 'idle' && this.#now >= this.#nextVarietyAtMs) this.#playOnce('idle_alt', false);
    this.#settle();
    return this.#current;
  }

  #base(): AnimationSlot {
    if (this.#held) return this.#held;
    if (this.#speaking) return this.#talkStyle;
    if (this.#visitorTyping) return 'listen';
    return this.#mood?.slot ?? 'idle';
  }

  #playOnce(slot: AnimationSlot, reaction: boolean): void {
    const durationMs = this.#options.oneShotDurationMs(slot);
    if (durationMs === null || durationMs <= 0) return;
    // Hand back to the base while the clip still moves, so the crossfade blends motion into motion.
    const playMs = Math.max(durationMs - this.#options.crossfadeMs, durationMs / 2);
    this.#oneShot = { slot, endsAtMs: this.#now + playMs, reaction };
    // The next idle variation counts from the end of this motion, not from its start.
    this.#nextVarietyAtMs = this.#oneShot.endsAtMs + this.#varietyDelay();
    this.#current = { slot, loop: false, revision: this.#current.revision + 1 };
  }

  /** Recomputes `current`; bumps the revision only when what plays changes. */
  #settle(): void {
    const base = this.#base();
    if (base !== 'idle') this.#nextVarietyAtMs = this.#now + this.#varietyDelay();
    const oneShot = this.#oneShot;
    if (oneShot) {
      if (this.#current.slot !== oneShot.slot || this.#current.loop) {
        this.#current = { slot: oneShot.slot, loop: false, revision: this.#current.revision + 1 };
      }
      return;
    }
    if (this.#current.slot !== base || !this.#current.loop) {
      this.#current = { slot: base, loop: ANIMATION_CATALOGUE[base].loop, revision: this.#current.revision + 1 };
    }
  }

  #varietyDelay(): number {
    const [min, max] = IDLE_VARIETY_MS;
    return min + this.#random() * (max - min);
  }
}
