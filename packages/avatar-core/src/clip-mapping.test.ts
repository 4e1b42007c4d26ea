import { describe, expect, it } from 'vitest';
import { ANIMATION_SLOTS, type AnimationSlot } from './animation-slots.ts';
import { emptySlotMapping, resolveClip, suggestSlotMapping, unmappedSlots } from './clip-mapping.ts';
import { clipNameStems } from './clip-name-tokens.ts';

const MIXAMO_PACK = [
  'Idle', 'Breathing Idle', 'Happy Idle', 'Talking', 'Waving', 'Head Nod Yes', 'Shaking Head No', 'Shrugging',
  'Pointing', 'Bowing', 'Laughing', 'Sad Idle', 'Surprised', 'Thinking', 'Victory', 'Thumbs Up', 'Clapping',
  'Listening', 'Goodbye', 'Head Scratch', 'Excited Talking', 'Dancing', 'Angry',
];

describe('suggestSlotMapping', () => {
  it('maps a typical Mixamo pack onto every slot with a matching clip', () => {
    expect(suggestSlotMapping(MIXAMO_PACK)).toEqual({
      idle: 'Idle', idle_alt: 'Breathing Idle', listen: 'Listening', think: 'Thinking', talk: 'Talking',
      talk_excited: 'Excited Talking', greet_wave: 'Waving', goodbye_wave: 'Goodbye', nod: 'Head Nod Yes',
      shake_head: 'Shaking Head No', shrug: 'Shrugging', point: 'Pointing', bow: 'Bowing', happy: 'Happy Idle',
      laugh: 'Laughing', sad: 'Sad Idle', surprised: 'Surprised', confused: 'Head Scratch', celebrate: 'Victory',
      thumbs_up: 'Thumbs Up',
    });
  });

  it('gives each clip at most one slot when every slot has a clip of its own', () => {
    const assigned = Object.values(suggestSlotMapping(MIXAMO_PACK)).filter((clip) => clip !== null);
    expect(new Set(assigned).size).toBe(assigned.length);
  });

  it.each<[string, AnimationSlot]>([
    ['idle_01', 'idle'],
    ['anim_talk', 'talk'],
    ['CharacterArmature|Wave', 'greet_wave'],
    ['Armature|Talking|BaseLayer', 'talk'],
    ['M_Standing_Idle_001', 'idle'],
    ['Idle.001', 'idle'],
    ['HEAD_NOD', 'nod'],
    ['head-nod', 'nod'],
    ['headNod', 'nod'],
    ['ThumbsUp', 'thumbs_up'],
    ['thumbs_up_right', 'thumbs_up'],
    ['Hello', 'greet_wave'],
    ['greeting', 'greet_wave'],
    ['bye', 'goodbye_wave'],
    ['Farewell', 'goodbye_wave'],
    ['Yes', 'nod'],
    ['Agreeing', 'nod'],
    ['No', 'shake_head'],
    ['Disagree', 'shake_head'],
    ['Dance', 'celebrate'],
    ['Cheering', 'celebrate'],
    ['Jump', 'celebrate'],
    ['Celebrate', 'celebrate'],
    ['Clapping', 'celebrate'],
    ['Ponder', 'think'],
    ['Crying', 'sad'],
    ['Shocked', 'surprised'],
    ['Puzzled', 'confused'],
    ['Smile', 'happy'],
    ['Giggle', 'laugh'],
    ['Salute', 'greet_wave'],
    ['Explaining', 'talk'],
    ['Looking Around', 'idle_alt'],
  ])('recognises %s as %s, whatever the exporter did to the name', (clip, slot) => {
    expect(suggestSlotMapping([clip])[slot]).toBe(clip);
  });

  it('ignores case, separators, camelCase, numbering and exporter prefixes', () => {
    const stems = ['head', 'nod'];
    for (const name of ['Head Nod', 'head_nod_02', 'HeadNod', 'Armature|HEAD-NOD', 'mixamo.com|head.nod']) {
      expect(clipNameStems(name)).toEqual(stems);
    }
  });

  it('does not mistake a handshake for a head shake', () => {
    expect(suggestSlotMapping(['Shake Hands', 'Idle']).shake_head).toBeNull();
  });

  it('prefers the mood slot for a mood idle such as "Sad Idle"', () => {
    const mapping = suggestSlotMapping(['Idle', 'Sad Idle']);
    expect(mapping.sad).toBe('Sad Idle');
    expect(mapping.idle).toBe('Idle');
  });

  it('spreads numbered variants over a slot and its alternative', () => {
    const mapping = suggestSlotMapping(['idle_01', 'idle_02']);
    expect([mapping.idle, mapping.idle_alt]).toEqual(['idle_01', 'idle_02']);
  });

  it('shares a clip with an empty slot only when nothing better exists', () => {
    const mapping = suggestSlotMapping(['Happy Idle']);
    expect(mapping.happy).toBe('Happy Idle');
    expect(mapping.idle).toBe('Happy Idle');
  });

  it('does not share a clip that the empty slot already reaches through its fallback', () => {
    const mapping = suggestSlotMapping(['Idle', 'Wave']);
    expect(mapping.greet_wave).toBe('Wave');
    expect(mapping.goodbye_wave).toBeNull();
    expect(resolveClip(mapping, 'goodbye_wave')).toEqual({ clip: 'Wave', slot: 'greet_wave' });
  });

  it('plays an excited talking clip as talk when it is the only talking clip, and as talk_excited beside a calm one', () => {
    expect(suggestSlotMapping(['anim_talk_excited'])).toMatchObject({ talk: 'anim_talk_excited', talk_excited: null });
    expect(suggestSlotMapping(['anim_talk_excited', 'anim_talk'])).toMatchObject({
      talk: 'anim_talk',
      talk_excited: 'anim_talk_excited',
    });
  });

  it('does not share a weak match such as the excited talk clip for celebrate', () => {
    expect(suggestSlotMapping(['anim_talk', 'anim_talk_excited']).celebrate).toBeNull();
  });

  it("gives idle Mixamo's anonymous single clip", () => {
    expect(suggestSlotMapping(['Armature|mixamo.com|Layer0']).idle).toBe('Armature|mixamo.com|Layer0');
  });

  it('gives idle an unused clip rather than a T-pose, preferring the longest when durations are known', () => {
    expect(suggestSlotMapping(['T-Pose', 'Take 001', 'Wave']).idle).toBe('Take 001');
    const clipDurations = { 'Take 001': 1.2, 'Take 002': 6.5, Wave: 9 };
    expect(suggestSlotMapping(['Take 001', 'Take 002', 'Wave'], { clipDurations }).idle).toBe('Take 002');
  });

  it('always gives idle a clip when any exists, even one another slot uses', () => {
    expect(suggestSlotMapping(['Wave']).idle).toBe('Wave');
    expect(suggestSlotMapping(['TPose']).idle).toBe('TPose');
  });

  it('leaves every slot empty for a model without clips', () => {
    expect(suggestSlotMapping([])).toEqual(emptySlotMapping());
  });

  it('treats a repeated clip name as one clip', () => {
    expect(suggestSlotMapping(['Idle', 'Idle'])).toEqual(suggestSlotMapping(['Idle']));
  });
});

describe('unmappedSlots', () => {
  it('lists slots without a clip of their own in slot order, missing keys included', () => {
    expect(unmappedSlots({ ...emptySlotMapping(), idle: 'Idle', talk: 'Talking' })).toEqual(
      ANIMATION_SLOTS.filter((slot) => slot !== 'idle' && slot !== 'talk'),
    );
    expect(unmappedSlots({ idle: 'Idle' })).toHaveLength(ANIMATION_SLOTS.length - 1);
  });
});

describe('resolveClip', () => {
  it("plays a slot's own clip when it has one", () => {
    expect(resolveClip({ laugh: 'Laughing', happy: 'Smile', idle: 'Idle' }, 'laugh')).toEqual({ clip: 'Laughing', slot: 'laugh' });
  });

  it('follows the fallback chain past empty slots', () => {
    expect(resolveClip({ idle: 'Idle', happy: 'Smile', laugh: null }, 'laugh')).toEqual({ clip: 'Smile', slot: 'happy' });
    expect(resolveClip({ idle: 'Idle' }, 'talk_excited')).toEqual({ clip: 'Idle', slot: 'idle' });
  });

  it('plays every slot once idle has a clip', () => {
    for (const slot of ANIMATION_SLOTS) expect(resolveClip({ idle: 'Idle' }, slot)?.clip).toBe('Idle');
  });

  it('returns null when not even idle has a clip', () => {
    expect(resolveClip(emptySlotMapping(), 'laugh')).toBeNull();
    expect(resolveClip({}, 'nod')).toBeNull();
  });
});
