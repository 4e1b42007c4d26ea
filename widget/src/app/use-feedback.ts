// The visitor's feedback (issue 14): 👍/👎 with an optional comment under each finished answer,
// and a rating of the whole conversation (CSAT, 1–5): offered, optional, in the one step that
// confirms starting over, asked when a person handed the conversation back, or from the panel's menu. What the visitor gave is kept per
// conversation in localStorage, so a reload still shows it; the server keeps one rating per answer
// and per conversation, so rating again (here or after a reload) replaces rather than adds.

import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { AnswerFeedbackInput, ConversationRatingInput, ConversationStatus } from './api-types.ts';
import type { Result } from './graphql-client.ts';

export interface AnswerVerdict {
  helpful: boolean;
  comment: string | null;
}

/** Why the CSAT prompt is shown: a person handed back, or the visitor asked (menu). */
export type CsatReason = 'handoff-resolved' | 'menu';

export interface Feedback {
  answers: Readonly<Record<string, AnswerVerdict>>;
  /** Stores 👍/👎 (and the comment) for an answer; false when the server refused or was unreachable. */
  rateAnswer(messageId: string, verdict: AnswerVerdict): Promise<boolean>;
  /** The visitor's rating of this conversation, once given. */
  rating: number | null;
  /** The CSAT prompt, when shown, and why. */
  csat: CsatReason | null;
  askCsat(reason: CsatReason): void;
  submitCsat(input: ConversationRatingInput): Promise<boolean>;
  /** Closes the prompt without a rating. */
  skipCsat(): void;
  /** Whether the visitor is asked to confirm starting over (StartOverPrompt). */
  startingOver: boolean;
  /**
   * "New conversation": when the visitor wrote something (there is something to lose), asks once —
   * confirm, with an optional rating — and keeps `startOver` for confirmStartOver; else runs it at once.
   */
  endConversation(startOver: () => void): void;
  /**
   * Starts over, storing `rating` first when given. False, without starting over, when the rating
   * could not be stored (the visitor decides: again, or without it).
   */
  confirmStartOver(rating: ConversationRatingInput | null): Promise<boolean>;
  /** Keeps the conversation. */
  cancelStartOver(): void;
}

interface StoredFeedback {
  answers: Record<string, AnswerVerdict>;
  rating: number | null;
}

const EMPTY: StoredFeedback = { answers: {}, rating: null };
const storageKey = (conversationId: string) => `mascot:feedback:${conversationId}`;

function load(conversationId: string | null): StoredFeedback {
  if (!conversationId) return EMPTY;
  try {
    const raw = localStorage.getItem(storageKey(conversationId));
    const parsed = raw ? (JSON.parse(raw) as Partial<StoredFeedback>) : null;
    return parsed && typeof parsed.answers === 'object' && parsed.answers ? { answers: parsed.answers, rating: parsed.rating ?? null } : EMPTY;
  } catch {
    // Storage blocked (some browsers in third-party frames) or corrupt: feedback still works, unremembered.
    return EMPTY;
  }
}

function save(conversationId: string, feedback: StoredFeedback): void {
  try {
    localStorage.setItem(storageKey(conversationId), JSON.stringify(feedback));
  } catch {
    // As in load(): not remembering is the only cost.
  }
}

export interface FeedbackSource {
  conversationId: string | null;
  /** Who answers now; a person handing back (WITH_AGENT → BOT) asks for a rating. */
  handoffStatus: ConversationStatus;
  /** Whether the visitor wrote anything: an untouched conversation is not worth rating. */
  hasVisitorMessages: boolean;
  rateAnswer(messageId: string, input: AnswerFeedbackInput): Promise<Result<unknown>>;
  rateConversation(input: ConversationRatingInput): Promise<Result<unknown>>;
}

export function useFeedback(source: FeedbackSource): Feedback {
  const { conversationId, handoffStatus, hasVisitorMessages } = source;
  const [stored, setStored] = useState<StoredFeedback>(() => load(conversationId));
  const [csat, setCsat] = useState<CsatReason | null>(null);
  const [startingOver, setStartingOver] = useState(false);
  const storedRef = useRef(stored);
  storedRef.current = stored;
  const startOverRef = useRef<(() => void) | null>(null);
  const apiRef = useRef(source);
  apiRef.current = source;

  // Another conversation (started over, or adopted from another tab): its own feedback.
  useEffect(() => {
    setStored(load(conversationId));
    setCsat(null);
    setStartingOver(false);
    startOverRef.current = null;
  }, [conversationId]);

  const update = useCallback(
    (next: StoredFeedback) => {
      storedRef.current = next;
      setStored(next);
      if (conversationId) save(conversationId, next);
    },
    [conversationId],
  );

  const previousStatus = useRef(handoffStatus);
  useEffect(() => {
    const before = previousStatus.current;
    previousStatus.current = handoffStatus;
    if (before === 'WITH_AGENT' && handoffStatus === 'BOT' && storedRef.current.rating === null) setCsat('handoff-resolved');
  }, [handoffStatus]);

  const rateAnswer = useCallback(
    async (messageId: string, verdict: AnswerVerdict): Promise<boolean> => {
      const before = storedRef.current;
      // Shown at once; put back if the server did not take it.
      update({ ...before, answers: { ...before.answers, [messageId]: verdict } });
      const result = await apiRef.current.rateAnswer(messageId, verdict);
      if (!result.ok) {
        const { [messageId]: _failed, ...rest } = storedRef.current.answers;
        update({ ...storedRef.current, answers: before.answers[messageId] ? { ...rest, [messageId]: before.answers[messageId] } : rest });
      }
      return result.ok;
    },
    [update],
  );

  const submitCsat = useCallback(
    async (input: ConversationRatingInput): Promise<boolean> => {
      const result = await apiRef.current.rateConversation(input);
      if (!result.ok) return false;
      update({ ...storedRef.current, rating: input.rating });
      return true;
    },
    [update],
  );

  const endConversation = useCallback(
    (startOver: () => void) => {
      // One question at a time: the start-over step offers the rating itself.
      setCsat(null);
      if (!hasVisitorMessages) {
        startOver();
        return;
      }
      startOverRef.current = startOver;
      setStartingOver(true);
    },
    [hasVisitorMessages],
  );

  const confirmStartOver = useCallback(
    async (rating: ConversationRatingInput | null): Promise<boolean> => {
      if (rating && !(await submitCsat(rating))) return false;
      const startOver = startOverRef.current;
      startOverRef.current = null;
      setStartingOver(false);
      startOver?.();
      return true;
    },
    [submitCsat],
  );

  const cancelStartOver = useCallback(() => {
    startOverRef.current = null;
    setStartingOver(false);
  }, []);

  const askCsat = useCallback((reason: CsatReason) => setCsat(reason), []);
  const skipCsat = useCallback(() => setCsat(null), []);

  return {
    answers: stored.answers,
    rateAnswer,
    rating: stored.rating,
    csat,
    askCsat,
    submitCsat,
    skipCsat,
    startingOver,
    endConversation,
    confirmStartOver,
    cancelStartOver,
  };
}

/** ChatApp provides the visitor's feedback; answers (MessageBubble) read it without threading props. */
export const FeedbackContext = createContext<Feedback | null>(null);

export function useFeedbackContext(): Feedback | null {
  return useContext(FeedbackContext);
}
