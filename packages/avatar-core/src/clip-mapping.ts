// Suggests which of a model's animation clips plays which slot, from clip names alone, so an
// uploaded GLB is playable at once; Studio shows the suggestion for the author to correct.
//
// Scoring: a clip's name is reduced to word stems (clip-name-tokens.ts); its score for a slot is
// the sum of that slot's vocabulary terms it contains (slot-vocabulary.ts), times a coverage
// factor between 0.75 and 1 that prefers names fully explained by the slot ("Idle" over
// "Idle Talking" for idle). Scores below MIN_MATCH_SCORE are not candidates.
//
// Assignment policy, in three passes:
//   1. Exclusive: candidate pairs are taken best score first (ties: slot order, then clip order);
//      a pair is used only if both its slot and its clip are still free. Each clip plays at most
//      one slot.
//   2. Sharing, "unless nothing better exists": a slot left empty takes its best candidate even
//      though another slot holds it, if that is a clear match (MIN_SHARE_SCORE) and its fallback
//      chain would not reach that clip anyway (an empty goodbye_wave already plays the greeting wave through its fallback).
//      Fallbacks always point to earlier slots, so walking slots in order sees final chains.
//   3. Idle guarantee: if idle is still empty and any clip exists, idle gets the longest (when
//      durations are given) or first clip no slot uses, avoiding T/A/bind poses; failing that the
//      longest or first clip at all. Unrecognised names ("Take 001", Mixamo's
//      "Armature|mixamo.com|Layer0") land here: a model's single unnamed clip is usually its idle.

import { ANIMATION_SLOTS, type AnimationSlot, fallbackChain } from './animation-slots.ts';
import { clipNameStems, splitClipName } from './clip-name-tokens.ts';
import { SLOT_VOCABULARY } from './slot-vocabulary.ts';

/** Which clip (by name) plays each slot; `null` plays the slot's fallback. */
export type SlotMapping = Record<AnimationSlot, string | null>;

export interface SuggestSlotMappingOptions {
  /** Clip durations in seconds by clip name; the idle guarantee then prefers the longest clip. */
  readonly clipDurations?: Readonly<Record<string, number>>;
}

/** The least score at which a clip is considered for a slot at all. */
export const MIN_MATCH_SCORE = 0.5;
/** The least score at which a clip another slot already plays is shared with an empty slot. */
export const MIN_SHARE_SCORE = 0.75;

/** How well a clip name (as stems, see clipNameStems) fits a slot: 0 when it does not. */
export function scoreClipForSlot(stems: readonly string[], slot: AnimationSlot): number {
  let sum = 0;
  const explained = new Set<string>();
  for (const term of SLOT_VOCABULARY[slot]) {
    if (!term.stems.every((stem) => stems.includes(stem))) continue;
    sum += term.weight;
    if (term.weight > 0) for (const stem of term.stems) explained.add(stem);
  }
  if (sum <= 0 || stems.length === 0) return 0;
  return sum * (0.75 + 0.25 * (explained.size / stems.length));
}

interface Candidate {
  readonly clip: string;
  readonly clipIndex: number;
  readonly slot: AnimationSlot;
  readonly slotIndex: number;
  readonly score: number;
}

function rankCandidates(clips: readonly string[]): Candidate[] {
  const candidates: Candidate[] = [];
  clips.forEach((clip, clipIndex) => {
    const stems = clipNameStems(clip);
    ANIMATION_SLOTS.forEach((slot, slotIndex) => {
      const score = scoreClipForSlot(stems, slot);
      if (score >= MIN_MATCH_SCORE) candidates.push({ clip, clipIndex, slot, slotIndex, score });
    });
  });
  return candidates.sort((a, b) => b.score - a.score || a.slotIndex - b.slotIndex || a.clipIndex - b.clipIndex);
}

const REST_POSE = /(?:^| )(?:t|a|bind|rest|reference) ?pose(?: |$)/;
const isRestPose = (clip: string): boolean => REST_POSE.test(splitClipName(clip).join(' '));

function pickIdleClip(clips: readonly string[], used: ReadonlySet<string>, options: SuggestSlotMappingOptions): string | null {
  const duration = (clip: string): number => options.clipDurations?.[clip] ?? 0;
  const longestFirst = (pool: readonly string[]): string | null =>
    pool.reduce<string | null>((best, clip) => (best === null || duration(clip) > duration(best) ? clip : best), null);
  const moving = clips.filter((clip) => !isRestPose(clip));
  return (
    longestFirst(moving.filter((clip) => !used.has(clip))) ??
    longestFirst(clips.filter((clip) => !used.has(clip))) ??
    longestFirst(moving) ??
    longestFirst(clips)
  );
}

/** A mapping with every slot empty. */
export function emptySlotMapping(): SlotMapping {
  return Object.fromEntries(ANIMATION_SLOTS.map((slot) => [slot, null])) as SlotMapping;
}

/** Suggest a clip for every slot from the clip names of a model (see the policy above). */
export function suggestSlotMapping(clipNames: readonly string[], options: SuggestSlotMappingOptions = {}): SlotMapping {
  const clips = [...new Set(clipNames)];
  const mapping = emptySlotMapping();
  const candidates = rankCandidates(clips);
  const used = new Set<string>();

  for (const { slot, clip } of candidates) {
    if (mapping[slot] !== null || used.has(clip)) continue;
    mapping[slot] = clip;
    used.add(clip);
  }

  for (const slot of ANIMATION_SLOTS) {
    if (mapping[slot] !== null) continue;
    const best = candidates.find((candidate) => candidate.slot === slot);
    if (best === undefined || best.score < MIN_SHARE_SCORE) continue;
    if (resolveClip(mapping, slot)?.clip !== best.clip) mapping[slot] = best.clip;
  }

  if (mapping.idle === null) mapping.idle = pickIdleClip(clips, used, options);
  return mapping;
}

/** Slots with no clip of their own (they play through their fallback chain), in slot order. */
export function unmappedSlots(mapping: Readonly<Partial<Record<AnimationSlot, string | null>>>): AnimationSlot[] {
  return ANIMATION_SLOTS.filter((slot) => (mapping[slot] ?? null) === null);
}

export interface ResolvedClip {
  readonly clip: string;
  /** The slot whose clip plays: the requested one, or a fallback on its chain. */
  readonly slot: AnimationSlot;
}

/**
 * The clip to play for `slot`, following the fallback chain (`laugh → happy → idle`) past empty
 * slots; `null` only when nothing on the chain, not even idle, has a clip. Accepts partial mappings.
 */
export function resolveClip(
  mapping: Readonly<Partial<Record<AnimationSlot, string | null>>>,
  slot: AnimationSlot,
): ResolvedClip | null {
  for (const candidate of fallbackChain(slot)) {
    const clip = mapping[candidate];
    if (clip !== undefined && clip !== null) return { clip, slot: candidate };
  }
  return null;
}
