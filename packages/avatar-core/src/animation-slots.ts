// The 20 animation slots every Mascot avatar can play, and what each one means. A bot's model
// brings its own clips; a slot mapping (see clip-mapping.ts) says which clip plays which slot.
// Cue rules (cue-rules.ts) only ever speak in slots, so the server never needs to know a clip name.
//
// The order and names of ANIMATION_SLOTS are part of the published bot bundle format
// (packages/bot-bundle defines the same tuple); change them only together, with a bundle migration.

export const ANIMATION_SLOTS = [
  'idle',
  'idle_alt',
  'listen',
  'think',
  'talk',
  'talk_excited',
  'greet_wave',
  'goodbye_wave',
  'nod',
  'shake_head',
  'shrug',
  'point',
  'bow',
  'happy',
  'laugh',
  'sad',
  'surprised',
  'confused',
  'celebrate',
  'thumbs_up',
] as const;

export type AnimationSlot = (typeof ANIMATION_SLOTS)[number];

export type AnimationCategory = 'idle' | 'speech' | 'gesture' | 'emotion';

export interface AnimationSlotInfo {
  readonly slot: AnimationSlot;
  /** Short human label for Studio's mapping table. */
  readonly label: string;
  readonly description: string;
  /**
   * `true`: a state the player holds until told otherwise (idle, talking, a mood).
   * `false`: a one-shot that plays once and hands back to the state underneath.
   * When a slot plays through its fallback, use the *requested* slot's flag.
   */
  readonly loop: boolean;
  readonly category: AnimationCategory;
  /**
   * The slot to play when this one has no clip. Every chain ends at `idle` (tested), so a model
   * with a single clip can still play every slot.
   */
  readonly fallback: AnimationSlot | null;
}

const info = (
  slot: AnimationSlot,
  label: string,
  category: AnimationCategory,
  loop: boolean,
  fallback: AnimationSlot | null,
  description: string,
): AnimationSlotInfo => ({ slot, label, description, loop, category, fallback });

/** Metadata for every slot, keyed by slot. */
export const ANIMATION_CATALOGUE: Readonly<Record<AnimationSlot, AnimationSlotInfo>> = {
  idle: info('idle', 'Idle', 'idle', true, null, 'Standing at rest, breathing; the state everything returns to.'),
  idle_alt: info('idle_alt', 'Idle variation', 'idle', false, 'idle', 'An occasional variation (look around, stretch) to break up a long idle.'),
  listen: info('listen', 'Listen', 'idle', true, 'idle', 'Attentive while the visitor types or has just asked something.'),
  think: info('think', 'Think', 'idle', true, 'idle', 'Pondering while the reply is being prepared.'),
  talk: info('talk', 'Talk', 'speech', true, 'idle', 'Calm body movement while speaking a reply.'),
  talk_excited: info('talk_excited', 'Talk (excited)', 'speech', true, 'talk', 'Animated, energetic speaking for upbeat replies.'),
  greet_wave: info('greet_wave', 'Greeting wave', 'gesture', false, 'idle', 'Waves hello when a conversation starts.'),
  goodbye_wave: info('goodbye_wave', 'Goodbye wave', 'gesture', false, 'greet_wave', 'Waves goodbye when the visitor leaves.'),
  nod: info('nod', 'Nod', 'gesture', false, 'idle', 'Nods yes: agreement, acknowledgement.'),
  shake_head: info('shake_head', 'Shake head', 'gesture', false, 'idle', 'Shakes the head no.'),
  shrug: info('shrug', 'Shrug', 'gesture', false, 'idle', "Shrugs: \"I don't know\"."),
  point: info('point', 'Point', 'gesture', false, 'idle', 'Points at something, e.g. a link or the page.'),
  bow: info('bow', 'Bow', 'gesture', false, 'nod', 'A small polite bow, e.g. after being thanked.'),
  happy: info('happy', 'Happy', 'emotion', true, 'idle', 'A happy, content mood.'),
  laugh: info('laugh', 'Laugh', 'emotion', false, 'happy', 'Laughs at something funny.'),
  sad: info('sad', 'Sad', 'emotion', true, 'idle', 'Sad or sympathetic, e.g. while hearing a complaint.'),
  surprised: info('surprised', 'Surprised', 'emotion', false, 'idle', 'A surprised reaction.'),
  confused: info('confused', 'Confused', 'emotion', false, 'shrug', 'Puzzled, e.g. when the bot does not know the answer.'),
  celebrate: info('celebrate', 'Celebrate', 'emotion', false, 'happy', 'Cheers or dances for a great outcome.'),
  thumbs_up: info('thumbs_up', 'Thumbs up', 'gesture', false, 'nod', 'Thumbs up: approval, "got it".'),
};

const SLOT_SET: ReadonlySet<string> = new Set(ANIMATION_SLOTS);

export function isAnimationSlot(value: unknown): value is AnimationSlot {
  return typeof value === 'string' && SLOT_SET.has(value);
}

/** `slot` followed by its fallbacks, ending at `idle`: e.g. `talk_excited → talk → idle`. */
export function fallbackChain(slot: AnimationSlot): AnimationSlot[] {
  const chain: AnimationSlot[] = [];
  // The bound only guards against a future edit introducing a cycle; the test proves there is none.
  for (let at: AnimationSlot | null = slot; at !== null && chain.length <= ANIMATION_SLOTS.length; ) {
    chain.push(at);
    at = ANIMATION_CATALOGUE[at].fallback;
  }
  return chain;
}
