import { lazy, useEffect, useState } from 'react';
import { preloadAnswerFeedback } from './AnswerFeedbackSlot.tsx';
import { LazyPart } from './LazyPart.tsx';
import type { Feedback } from './use-feedback.ts';

const loadStartOverPrompt = () => import('./StartOverPrompt.tsx');
const StartOverPrompt = lazy(() => loadStartOverPrompt().then((module) => ({ default: module.StartOverPrompt })));
const CsatPrompt = lazy(() => import('./CsatPrompt.tsx').then((module) => ({ default: module.CsatPrompt })));

/** The start-over step's id, for the header's "New conversation" button (aria-controls). */
export const START_OVER_PROMPT_ID = 'start-over-prompt';

interface FeedbackPromptProps {
  feedback: Feedback;
  /**
   * Once the visitor wrote something, an answer to rate is coming and "New conversation" asks first:
   * the code of both is fetched ahead.
   */
  visitorWrote: boolean;
}

/**
 * The prompt above the composer: the start-over step (confirm, optional rating) or the rating
 * prompt, one at a time, each loaded on demand (LazyPart).
 */
export function FeedbackPrompt({ feedback, visitorWrote }: FeedbackPromptProps) {
  // The rating prompt stays mounted once shown: it thanks the visitor for a while after it closes.
  const [csatShown, setCsatShown] = useState(false);
  if (feedback.csat && !csatShown) setCsatShown(true);

  useEffect(() => {
    if (!visitorWrote) return;
    preloadAnswerFeedback();
    // Fetched again when needed if this fails (offline for a moment).
    loadStartOverPrompt().catch(() => undefined);
  }, [visitorWrote]);

  if (feedback.startingOver) {
    return (
      <LazyPart onDismiss={feedback.cancelStartOver}>
        <StartOverPrompt feedback={feedback} id={START_OVER_PROMPT_ID} />
      </LazyPart>
    );
  }
  if (!csatShown) return null;
  return (
    <LazyPart
      onDismiss={() => {
        feedback.skipCsat();
        setCsatShown(false);
      }}
    >
      <CsatPrompt feedback={feedback} />
    </LazyPart>
  );
}
