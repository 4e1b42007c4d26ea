// How close a draft is to the longest message the server stores. The counter appears only near the
// limit, so short messages are not cluttered with a number.

import { MAX_VISITOR_MESSAGE_LENGTH } from '@mascot/contracts';

/** The counter shows from this share of the limit on. */
export const COUNTER_FROM = 0.8;

export interface ComposerLimit {
  /** Characters the server will count (it trims the message first). */
  length: number;
  /** Characters left; negative when the draft is too long. */
  remaining: number;
  /** Over the limit: sending is refused and the draft stays as it is. */
  over: boolean;
  /** Whether to show the counter. */
  near: boolean;
}

export function composerLimit(draft: string, max: number = MAX_VISITOR_MESSAGE_LENGTH): ComposerLimit {
  const length = draft.trim().length;
  const remaining = max - length;
  return { length, remaining, over: remaining < 0, near: length >= max * COUNTER_FROM };
}
