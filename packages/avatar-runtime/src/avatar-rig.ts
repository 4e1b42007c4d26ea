// A loaded avatar brought to life, without a renderer: the director's motions played through an
// AnimationMixer with crossfades, lip-sync and blinks on the face morphs, and the expression of
// the current slot eased onto the mouth. `update` is the whole per-frame work, so Node tests drive
// it exactly as the browser's render loop does.
import type { AnimationSlot, MouthWeights } from '@mascot/avatar-core';
import { AnimationMixer, LoopOnce, LoopRepeat, type AnimationAction, type AnimationClip } from 'three';
import { AvatarDirector, type AvatarDirectorOptions } from './avatar-director.ts';
import { BlinkDriver } from './blink-driver.ts';
import { EXPRESSION_MORPHS, EXPRESSION_WEIGHTS, expressionForSlot, type ExpressionMorph, type FaceExpression } from './expressions.ts';
import { FaceMorphs } from './face-morphs.ts';
import { LipSyncDriver } from './lip-sync-driver.ts';
import type { AvatarModel } from './load-avatar.ts';
import { SlotClips, type AnimationMapInput } from './slot-clips.ts';

/**
 * Body crossfade. avatar-core's DEFAULT_CROSSFADE_MS (80 ms) is tuned for mouth shapes; a body
 * blending that fast visibly pops, so clips blend over a quarter second, like Studio's preview.
 */
export const BODY_CROSSFADE_MS = 250;
/** How fast the face eases to a new expression (time constant). */
const EXPRESSION_EASE_MS = 120;
/** With reduced motion the lips do not move; a slightly open mouth says "speaking" instead. */
const STILL_TALKING_MOUTH_OPEN = 0.3;

export interface AvatarRigOptions {
  readonly animationMap: AnimationMapInput;
  readonly reducedMotion?: boolean;
  /** 0 ≤ x < 1; injected so tests are deterministic. */
  readonly random?: () => number;
}

export class AvatarRig {
  readonly model: AvatarModel;
  readonly clips: SlotClips;
  readonly #mixer: AnimationMixer;
  readonly #director: AvatarDirector;
  readonly #lipSync = new LipSyncDriver();
  readonly #blink: BlinkDriver;
  readonly #face: FaceMorphs;
  readonly #clipsByName: ReadonlyMap<string, AnimationClip>;
  readonly #expression: Record<ExpressionMorph, number> = { mouthOpen: 0, mouthSmile: 0, mouthRound: 0, mouthClosed: 0, mouthFrown: 0 };
  #playedRevision = -1;
  #action: AnimationAction | null = null;
  #reducedMotion: boolean;
  #shownExpression: FaceExpression | null = null;
  #shownTalking = false;

  constructor(model: AvatarModel, options: AvatarRigOptions) {
    this.model = model;
    this.clips = new SlotClips(
      options.animationMap,
      model.animations.map((clip) => ({ name: clip.name, durationMs: clip.duration * 1000 })),
    );
    this.#clipsByName = new Map(model.animations.map((clip) => [clip.name, clip]));
    this.#mixer = new AnimationMixer(model.scene);
    const directorOptions: AvatarDirectorOptions = {
      oneShotDurationMs: (slot) => this.clips.oneShotDurationMs(slot),
      crossfadeMs: BODY_CROSSFADE_MS,
      ...(options.random ? { random: options.random } : {}),
    };
    this.#director = new AvatarDirector(directorOptions);
    this.#blink = new BlinkDriver(options.random);
    this.#face = new FaceMorphs(model.scene);
    this.#reducedMotion = options.reducedMotion ?? false;
    this.#play();
    this.update(0);
  }

  /** The slot the director wants now (before clip fallbacks). */
  get slot(): AnimationSlot {
    return this.#director.current.slot;
  }

  /** The clip playing, after fallbacks; null when the model has no clips. */
  get clip(): string | null {
    return this.#action?.getClip().name ?? null;
  }

  get expression(): FaceExpression {
    return expressionForSlot(this.slot);
  }

  /** A reply is being spoken (lip-sync still has words). */
  get talking(): boolean {
    return this.#director.speaking;
  }

  get reducedMotion(): boolean {
    return this.#reducedMotion;
  }

  /** The face morphs the model has: tests and diagnostics. */
  get face(): FaceMorphs {
    return this.#face;
  }

  cue(slot: string): void {
    this.#director.cue(slot);
  }

  /** Studio's slot preview (AvatarDirector.preview): the slot itself, looping ones held. */
  preview(slot: AnimationSlot): void {
    this.#director.preview(slot);
  }

  speak(messageId: string, delta: string): void {
    this.#lipSync.push(messageId, delta);
    this.#director.setSpeaking(true);
  }

  endSpeech(messageId: string): void {
    this.#lipSync.end(messageId);
  }

  setVisitorTyping(active: boolean): void {
    this.#director.setVisitorTyping(active);
  }

  react(): void {
    this.#director.react();
  }

  /** Reduced motion: the body holds its idle pose, the lips stop; only the expression changes. */
  setReducedMotion(reduced: boolean): void {
    if (reduced === this.#reducedMotion) return;
    this.#reducedMotion = reduced;
    this.#shownExpression = null;
    this.#playedRevision = -1;
    this.#play();
  }

  /**
   * One frame: advances time by `deltaMs` and poses the model. Returns whether anything visible
   * may have changed, so a caller that renders on demand (reduced motion) knows when to.
   */
  update(deltaMs: number): boolean {
    const motion = this.#director.advance(deltaMs);
    if (motion.revision !== this.#playedRevision) this.#play();
    const mouth = this.#lipSync.advance(deltaMs);
    if (!this.#lipSync.speaking && this.#director.speaking) this.#director.setSpeaking(false);

    if (this.#reducedMotion) return this.#poseStill();
    this.#mixer.update(deltaMs / 1000);
    this.#easeExpression(deltaMs);
    this.#applyFace(mouth, this.#blink.advance(deltaMs));
    return true;
  }

  dispose(): void {
    this.#mixer.stopAllAction();
    this.#mixer.uncacheRoot(this.model.scene);
  }

  #play(): void {
    const motion = this.#director.current;
    this.#playedRevision = motion.revision;
    // Reduced motion shows the idle clip's first frame: a natural standing pose, held.
    const resolved = this.clips.resolve(this.#reducedMotion ? 'idle' : motion.slot);
    const clip = resolved ? this.#clipsByName.get(resolved.clip) : undefined;
    if (!clip) return;
    const next = this.#mixer.clipAction(clip);
    const previous = this.#action;
    if (this.#reducedMotion) {
      this.#mixer.stopAllAction();
      next.reset().play();
      this.#mixer.update(0);
      this.#action = next;
      return;
    }
    // Two slots sharing a looping clip (talk_excited falling back to talk) keep it running.
    if (next === previous && motion.loop && next.loop === LoopRepeat && next.isRunning()) return;
    next.reset();
    next.setLoop(motion.loop ? LoopRepeat : LoopOnce, Infinity);
    next.clampWhenFinished = !motion.loop;
    next.setEffectiveWeight(1).play();
    if (previous && previous !== next) next.crossFadeFrom(previous, BODY_CROSSFADE_MS / 1000, false);
    else if (!previous) next.fadeIn(BODY_CROSSFADE_MS / 1000);
    this.#action = next;
  }

  #easeExpression(deltaMs: number): void {
    const target = EXPRESSION_WEIGHTS[this.expression];
    const k = 1 - Math.exp(-Math.max(0, deltaMs) / EXPRESSION_EASE_MS);
    for (const morph of EXPRESSION_MORPHS) this.#expression[morph] += (target[morph] - this.#expression[morph]) * k;
  }

  /** Expression underneath, lip-sync on top: a smile stays a smile while the mouth speaks. */
  #applyFace(mouth: Readonly<MouthWeights>, blink: number): void {
    const e = this.#expression;
    const speaking = mouth.mouthOpen + mouth.mouthRound + mouth.mouthClosed > 0.01;
    // While a shape is articulated the resting mouth yields, so "oo" and "m" read on a smile too.
    const rest = speaking ? 0.5 : 1;
    this.#face.set('mouthOpen', e.mouthOpen * rest + mouth.mouthOpen);
    this.#face.set('mouthSmile', e.mouthSmile * rest + mouth.mouthSmile);
    this.#face.set('mouthRound', e.mouthRound * rest + mouth.mouthRound);
    this.#face.set('mouthClosed', e.mouthClosed * rest + mouth.mouthClosed);
    this.#face.set('mouthFrown', e.mouthFrown);
    this.#face.set('blinkLeft', blink);
    this.#face.set('blinkRight', blink);
  }

  /** Sets the still face when it changes; true when it did. */
  #poseStill(): boolean {
    const expression = this.expression;
    const talking = this.#director.speaking;
    if (expression === this.#shownExpression && talking === this.#shownTalking) return false;
    this.#shownExpression = expression;
    this.#shownTalking = talking;
    const target = EXPRESSION_WEIGHTS[expression];
    for (const morph of EXPRESSION_MORPHS) {
      this.#expression[morph] = target[morph];
      this.#face.set(morph, target[morph]);
    }
    if (talking) this.#face.set('mouthOpen', Math.max(target.mouthOpen, STILL_TALKING_MOUTH_OPEN));
    this.#face.set('blinkLeft', 0);
    this.#face.set('blinkRight', 0);
    return true;
  }
}
