import type { AnimationSlot } from '@mascot/avatar-core';
import { describe, expect, it } from 'vitest';
import { AvatarDirector, IDLE_VARIETY_MS, MOOD_HOLD_MS, TAP_REACTIONS } from './avatar-director.ts';

const CROSSFADE = 250;
// Every one-shot lasts 2 s except slots listed as missing (no clip of their own).
function director(missing: AnimationSlot[] = [], random = () => 0.5) {
  return new AvatarDirector({
    oneShotDurationMs: (slot) => (missing.includes(slot) ? null : 2_000),
    crossfadeMs: CROSSFADE,
    random,
  });
}

describe('AvatarDirector', () => {
  it('starts in the idle loop', () => {
    expect(director().current).toMatchObject({ slot: 'idle', loop: true });
  });

  it('plays a gesture cue once and hands back to the loop a crossfade before the clip ends', () => {
    const d = director();
    d.cue('nod');
    expect(d.current).toMatchObject({ slot: 'nod', loop: false });
    expect(d.advance(2_000 - CROSSFADE - 1).slot).toBe('nod');
    expect(d.advance(2)).toMatchObject({ slot: 'idle', loop: true });
  });

  it('holds a mood cue, then relaxes to idle', () => {
    const d = director();
    d.cue('happy');
    expect(d.current).toMatchObject({ slot: 'happy', loop: true });
    expect(d.advance(MOOD_HOLD_MS.happy - 1).slot).toBe('happy');
    expect(d.advance(1).slot).toBe('idle');
  });

  it('talks while speaking, with energy after a talk_excited cue, and returns to the mood underneath', () => {
    const d = director();
    d.cue('sad');
    d.setSpeaking(true);
    expect(d.current).toMatchObject({ slot: 'talk', loop: true });
    d.cue('talk_excited');
    expect(d.current.slot).toBe('talk_excited');
    d.setSpeaking(false);
    expect(d.current.slot).toBe('sad');
  });

  it('forgets listening and thinking once the answer is spoken', () => {
    const d = director();
    d.cue('think');
    expect(d.current.slot).toBe('think');
    d.setSpeaking(true);
    d.setSpeaking(false);
    expect(d.current.slot).toBe('idle');
  });

  it('listens while the visitor types, but speaking wins', () => {
    const d = director();
    d.setVisitorTyping(true);
    expect(d.current.slot).toBe('listen');
    d.setSpeaking(true);
    expect(d.current.slot).toBe('talk');
    d.setSpeaking(false);
    expect(d.current.slot).toBe('listen');
    d.setVisitorTyping(false);
    expect(d.current.slot).toBe('idle');
  });

  it('returns to talking after a gesture played during speech', () => {
    const d = director();
    d.setSpeaking(true);
    d.cue('shrug');
    expect(d.current).toMatchObject({ slot: 'shrug', loop: false });
    expect(d.advance(2_000).slot).toBe('talk');
  });

  it('skips a gesture the model has no clip for instead of restarting the idle', () => {
    const d = director(['point']);
    const before = d.current.revision;
    d.cue('point');
    expect(d.current).toMatchObject({ slot: 'idle', revision: before });
  });

  it('ignores cue names it does not know (a newer server)', () => {
    const d = director();
    d.cue('moonwalk');
    expect(d.current.slot).toBe('idle');
  });

  it('breaks up a long idle with an idle_alt variation, and again after the next stretch', () => {
    const d = director([], () => 0); // every stretch is the shortest
    expect(d.advance(IDLE_VARIETY_MS[0] - 1).slot).toBe('idle');
    expect(d.advance(1)).toMatchObject({ slot: 'idle_alt', loop: false });
    // The next stretch counts from the variation's end (a crossfade before its clip ends).
    expect(d.advance(2_000 - CROSSFADE).slot).toBe('idle');
    expect(d.advance(IDLE_VARIETY_MS[0] - 1).slot).toBe('idle');
    expect(d.advance(1).slot).toBe('idle_alt');
  });

  it('never plays the idle variation while the mascot is busy', () => {
    const d = director([], () => 0);
    d.setVisitorTyping(true);
    for (let t = 0; t < IDLE_VARIETY_MS[1] * 2; t += 500) expect(d.advance(500).slot).toBe('listen');
  });

  it('reacts to taps in turn and ignores taps while a reaction plays', () => {
    const d = director();
    d.react();
    expect(d.current.slot).toBe(TAP_REACTIONS[0]);
    const revision = d.current.revision;
    d.react();
    expect(d.current.revision).toBe(revision);
    d.advance(2_000);
    d.react();
    expect(d.current.slot).toBe(TAP_REACTIONS[1]);
  });

  it('restarts a gesture cued again while it plays (new revision, same slot)', () => {
    const d = director();
    d.cue('nod');
    const first = d.current.revision;
    d.advance(500);
    d.cue('nod');
    expect(d.current).toMatchObject({ slot: 'nod' });
    expect(d.current.revision).toBeGreaterThan(first);
    expect(d.advance(2_000 - CROSSFADE - 1).slot).toBe('nod');
  });

  it('previews a looping slot by holding it past every rule until a cue, even one the mood timer would end', () => {
    const d = director();
    d.preview('talk');
    expect(d.current).toMatchObject({ slot: 'talk', loop: true });
    expect(d.advance(MOOD_HOLD_MS.think + IDLE_VARIETY_MS[1]).slot).toBe('talk');
    d.setVisitorTyping(true);
    expect(d.current.slot).toBe('talk');
    d.cue('nod');
    expect(d.current).toMatchObject({ slot: 'nod', loop: false });
    expect(d.advance(2_000).slot).toBe('listen');
  });

  it('previews a gesture once, as a cue plays it, replacing a held slot', () => {
    const d = director();
    d.preview('think');
    d.preview('greet_wave');
    expect(d.current).toMatchObject({ slot: 'greet_wave', loop: false });
    expect(d.advance(2_000 - CROSSFADE).slot).toBe('idle');
  });
});
