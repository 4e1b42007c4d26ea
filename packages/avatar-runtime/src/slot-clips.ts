// Which of the model's clips plays a slot: the bot's animation map, checked against the clips the
// model really has, with avatar-core's fallback chains for slots left empty.
import {
  ANIMATION_SLOTS,
  emptySlotMapping,
  isAnimationSlot,
  resolveClip,
  suggestSlotMapping,
  type AnimationSlot,
  type SlotMapping,
} from '@mascot/avatar-core';

/** The bot's animation map as the API sends it (a list) or as a bundle stores it (a record). */
export type AnimationMapInput =
  | Readonly<Partial<Record<string, string | null>>>
  | readonly { readonly slot: string; readonly clip: string | null }[];

export interface ModelClip {
  readonly name: string;
  readonly durationMs: number;
}

export interface SlotClip {
  readonly clip: string;
  /** The slot whose clip this is: the requested one or a fallback. */
  readonly slot: AnimationSlot;
  readonly durationMs: number;
}

function toSlotMapping(input: AnimationMapInput, known: ReadonlySet<string>): SlotMapping {
  const mapping = emptySlotMapping();
  const entries: [string, string | null | undefined][] = Array.isArray(input)
    ? input.map((entry: { slot: string; clip: string | null }) => [entry.slot, entry.clip])
    : Object.entries(input);
  // A clip the model lacks (a map written for another model) counts as empty: the fallback plays.
  for (const [slot, clip] of entries) if (isAnimationSlot(slot) && clip && known.has(clip)) mapping[slot] = clip;
  return mapping;
}

export class SlotClips {
  readonly mapping: SlotMapping;
  readonly #durations: ReadonlyMap<string, number>;

  constructor(animationMap: AnimationMapInput, clips: readonly ModelClip[]) {
    this.#durations = new Map(clips.map((clip) => [clip.name, clip.durationMs]));
    const mapping = toSlotMapping(animationMap, new Set(this.#durations.keys()));
    // A map that plays nothing at all (e.g. published before the model's clips were mapped) would
    // leave the mascot frozen in its bind pose; guess from clip names instead, as Studio would.
    const playsSomething = ANIMATION_SLOTS.some((slot) => mapping[slot] !== null);
    this.mapping = playsSomething || clips.length === 0
      ? mapping
      : suggestSlotMapping(clips.map((clip) => clip.name), { clipDurations: Object.fromEntries(clips.map((c) => [c.name, c.durationMs / 1000])) });
  }

  /** The clip a slot plays after fallbacks; null when even idle has none. */
  resolve(slot: AnimationSlot): SlotClip | null {
    const resolved = resolveClip(this.mapping, slot);
    if (!resolved) return null;
    return { ...resolved, durationMs: this.#durations.get(resolved.clip) ?? 0 };
  }

  /**
   * How long a one-shot slot plays, or null when it has no clip of its own kind to play: falling
   * back all the way to idle would only restart the idle, so the gesture is skipped instead.
   */
  oneShotDurationMs(slot: AnimationSlot): number | null {
    const resolved = this.resolve(slot);
    if (!resolved || (resolved.slot === 'idle' && slot !== 'idle')) return null;
    return resolved.durationMs;
  }
}
