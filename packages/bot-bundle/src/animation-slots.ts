/**
 * The 20 animation slots every Mascot avatar is driven through, defined once in @mascot/avatar-core
 * (which the widget may import) and re-exported here because a bundle's `animationMap` is keyed by
 * them. The order is part of the format (Studio lists slots in it) and slots are never renamed: a
 * rename is a new format version migrating every `animationMap`.
 */
export { ANIMATION_SLOTS, isAnimationSlot, type AnimationSlot } from '@mascot/avatar-core';
