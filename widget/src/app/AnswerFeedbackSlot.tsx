import { lazy } from 'react';
import { LazyPart } from './LazyPart.tsx';

const loadAnswerFeedback = () => import('./AnswerFeedback.tsx');
const AnswerFeedback = lazy(() => loadAnswerFeedback().then((module) => ({ default: module.AnswerFeedback })));

/** Fetches the 👍/👎 code ahead, once the visitor asked something (an answer to rate is coming). */
export const preloadAnswerFeedback = (): void => void loadAnswerFeedback().catch(() => undefined); // asked again when needed

/**
 * 👍/👎 under a finished answer (AnswerFeedback), in a chunk of its own: no answer is rated at the
 * chat's first paint. Until the chunk is there an empty row of the same height holds its place, so
 * the transcript does not jump when the thumbs appear; if it cannot load, the answer goes without.
 */
export function AnswerFeedbackSlot({ messageId }: { messageId: string }) {
  return (
    <LazyPart loading={<div className="answer-feedback-slot" aria-hidden="true" />}>
      <AnswerFeedback messageId={messageId} />
    </LazyPart>
  );
}
