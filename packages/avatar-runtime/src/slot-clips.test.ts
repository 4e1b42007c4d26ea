import { ANIMATION_SLOTS } from '@mascot/avatar-core';
import { describe, expect, it } from 'vitest';
import { SlotClips } from './slot-clips.ts';

const clips = [
  { name: 'Idle_Loop', durationMs: 4_000 },
  { name: 'Wave', durationMs: 2_400 },
  { name: 'Talking', durationMs: 2_000 },
];

describe('SlotClips', () => {
  it('resolves slots through the map as the API sends it, with fallbacks for empty slots', () => {
    const slots = new SlotClips(
      [
        { slot: 'idle', clip: 'Idle_Loop' },
        { slot: 'greet_wave', clip: 'Wave' },
        { slot: 'talk', clip: 'Talking' },
      ],
      clips,
    );
    expect(slots.resolve('greet_wave')).toEqual({ clip: 'Wave', slot: 'greet_wave', durationMs: 2_400 });
    expect(slots.resolve('goodbye_wave')).toEqual({ clip: 'Wave', slot: 'greet_wave', durationMs: 2_400 });
    expect(slots.resolve('talk_excited')).toMatchObject({ clip: 'Talking', slot: 'talk' });
    expect(slots.resolve('sad')).toMatchObject({ clip: 'Idle_Loop', slot: 'idle' });
  });

  it('treats clips the model does not have as empty (a map written for another model)', () => {
    const slots = new SlotClips({ idle: 'Idle_Loop', nod: 'Nod_From_Other_Model' }, clips);
    expect(slots.resolve('nod')).toMatchObject({ clip: 'Idle_Loop', slot: 'idle' });
  });

  it('guesses from clip names when the map plays nothing, so the mascot is never frozen', () => {
    const slots = new SlotClips(Object.fromEntries(ANIMATION_SLOTS.map((slot) => [slot, null])), clips);
    expect(slots.resolve('idle')?.clip).toBe('Idle_Loop');
    expect(slots.resolve('greet_wave')?.clip).toBe('Wave');
  });

  it('has no one-shot for a gesture that would only fall back to idle', () => {
    const slots = new SlotClips({ idle: 'Idle_Loop', greet_wave: 'Wave' }, clips);
    expect(slots.oneShotDurationMs('greet_wave')).toBe(2_400);
    expect(slots.oneShotDurationMs('shrug')).toBeNull();
  });

  it('resolves nothing for a model without clips', () => {
    const slots = new SlotClips({}, []);
    expect(slots.resolve('idle')).toBeNull();
    expect(slots.oneShotDurationMs('nod')).toBeNull();
  });
});
