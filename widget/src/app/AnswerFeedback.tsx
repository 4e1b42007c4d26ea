import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import './answer-feedback.css';
import { useI18n } from './i18n/use-i18n.ts';
import { useFeedbackContext } from './use-feedback.ts';

/** The longest comment the server takes (feedback.service.ts). */
const MAX_COMMENT = 1000;

function Thumb({ down }: { down?: boolean }) {
  // Drawn, not an emoji: emoji fonts are missing on many systems (and in headless browsers).
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" style={down ? { transform: 'rotate(180deg)' } : undefined}>
      <path
        fill="currentColor"
        d="M2 21h4V9H2v12Zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6c-.4.4-.6.9-.6 1.4v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2Z"
      />
    </svg>
  );
}

/**
 * 👍/👎 under a finished answer. 👎 opens an optional comment ("what was missing?"); the rating is
 * stored at once, the comment updates it when sent. Pressing the other thumb changes the rating.
 */
export function AnswerFeedback({ messageId }: { messageId: string }) {
  const feedback = useFeedbackContext();
  const { t } = useI18n();
  const id = useId();
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState('');
  const [failed, setFailed] = useState(false);
  const [pending, setPending] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (commenting) commentRef.current?.focus();
  }, [commenting]);
  if (!feedback) return null;
  const verdict = feedback.answers[messageId];

  const rate = async (helpful: boolean) => {
    if (pending) return;
    setPending(true);
    setFailed(false);
    const ok = await feedback.rateAnswer(messageId, { helpful, comment: helpful ? null : (verdict?.comment ?? null) });
    setPending(false);
    setFailed(!ok);
    setCommenting(ok && !helpful && !verdict?.comment);
  };

  const sendComment = async (event: FormEvent) => {
    event.preventDefault();
    const text = comment.trim();
    if (!text) {
      setCommenting(false);
      return;
    }
    setPending(true);
    const ok = await feedback.rateAnswer(messageId, { helpful: false, comment: text });
    setPending(false);
    setFailed(!ok);
    if (ok) setCommenting(false);
  };

  return (
    <div className="answer-feedback">
      <div className="answer-feedback__row" role="group" aria-label={t('feedbackQuestion')}>
        <button
          type="button"
          className="answer-feedback__thumb"
          aria-pressed={verdict?.helpful === true}
          aria-label={t('feedbackHelpful')}
          title={t('feedbackHelpful')}
          disabled={pending}
          onClick={() => void rate(true)}
        >
          <Thumb />
        </button>
        <button
          type="button"
          className="answer-feedback__thumb"
          aria-pressed={verdict?.helpful === false}
          aria-label={t('feedbackNotHelpful')}
          title={t('feedbackNotHelpful')}
          disabled={pending}
          onClick={() => void rate(false)}
        >
          <Thumb down />
        </button>
        <span className="answer-feedback__status" role="status">
          {failed ? t('feedbackFailed') : verdict && !commenting ? t('feedbackThanks') : ''}
        </span>
      </div>
      {commenting && (
        <form className="answer-feedback__comment" onSubmit={(e) => void sendComment(e)}>
          <label htmlFor={`${id}-comment`}>{t('feedbackCommentLabel')}</label>
          <textarea
            ref={commentRef}
            id={`${id}-comment`}
            rows={2}
            maxLength={MAX_COMMENT}
            dir="auto"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <div className="answer-feedback__actions">
            <button type="submit" disabled={pending}>
              {t('feedbackCommentSend')}
            </button>
            <button type="button" className="answer-feedback__skip" onClick={() => setCommenting(false)}>
              {t('feedbackCommentSkip')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
