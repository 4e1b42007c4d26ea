// Public API of @mascot/avatar-core: the avatar runtime's pure logic, shared by the server
// (choosing cues), Studio and the widget (playing them). Everything else in src/ is an
// implementation detail.

export {
  ANIMATION_CATALOGUE,
  ANIMATION_SLOTS,
  fallbackChain,
  isAnimationSlot,
} from './animation-slots.ts';
export type { AnimationCategory, AnimationSlot, AnimationSlotInfo } from './animation-slots.ts';

export { emptySlotMapping, resolveClip, suggestSlotMapping, unmappedSlots } from './clip-mapping.ts';
export type { ResolvedClip, SlotMapping, SuggestSlotMappingOptions } from './clip-mapping.ts';

export { CONVERSATION_PHASES, INTENTS } from './cue-vocabulary.ts';
export type { ConversationPhase, Intent } from './cue-vocabulary.ts';

export { CUE_RULES, CUE_THRESHOLDS, chooseCue } from './cue-rules.ts';
export type { Cue, CueInput, CueRule, CueSignals } from './cue-rules.ts';

export { classifyIntent } from './classify-intent.ts';
export type { IntentClassification } from './classify-intent.ts';

export { VISEMES } from './viseme-set.ts';
export type { Viseme } from './viseme-set.ts';

export { DEFAULT_WORDS_PER_MINUTE, createVisemeStream, textToVisemes } from './viseme-timeline.ts';
export type { VisemeCue, VisemeStream, VisemeTimingOptions } from './viseme-timeline.ts';

export { DEFAULT_CROSSFADE_MS, MOUTH_SHAPES, VISEME_POSES, mouthWeightsAt } from './mouth-weights.ts';
export type { MouthShape, MouthWeights, MouthWeightsOptions } from './mouth-weights.ts';
