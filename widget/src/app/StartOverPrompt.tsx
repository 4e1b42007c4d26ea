import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import './csat.css';
import { CsatScale, MAX_COMMENT } from './CsatScale.tsx';
import { useI18n } from './i18n/use-i18n.ts';
import type { Feedback } from './use-feedback.ts';

/**
 * "New conversation" in one step: confirm starting over (the transcript is cleared on this device)
 * and, optionally, rate the conversation on the way out — one question, not a confirmation followed
 * by a rating prompt. The rating is offered until the visitor has given one; its comment field
 * appears once a star is chosen. In the panel's flow above the composer like the other prompts;
 * focus moves to the form (its name and question are read), Escape keeps the conversation.
 */
export function StartOverPrompt({ feedback, id: formId }: { feedback: Feedback; id: string }) {
  const { t } = useI18n();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  // Decided when the step opens: a rating given now does not make the stars vanish mid-step.
  const [offerRating] = useState(feedback.rating === null);
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [pending, setPending] = useState(false);
  const [ratingFailed, setRatingFailed] = useState(false);

  useEffect(() => {
    formRef.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    // After a rating that could not be sent, the visitor chose to start over without it.
    const rating = score !== null && !ratingFailed ? { rating: score, comment: comment.trim() || null } : null;
    setPending(true);
    const done = await feedback.confirmStartOver(rating);
    if (!done) {
      setPending(false);
      setRatingFailed(true);
    }
  };

  return (
    <form
      ref={formRef}
      id={formId}
      className="csat csat--start-over"
      aria-label={t('newConversation')}
      aria-describedby={`${id}-question`}
      tabIndex={-1}
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        // Handled here: the chat's own Escape would close the whole panel.
        event.preventDefault();
        event.stopPropagation();
        feedback.cancelStartOver();
      }}
    >
      <p className="csat__title" id={`${id}-question`}>
        {t('newConversationConfirm')}
      </p>
      {offerRating && (
        <CsatScale id={id} legend={t('newConversationRate')} visibleLegend score={score} onScore={setScore} />
      )}
      {offerRating && score !== null && !ratingFailed && (
        <>
          <label className="csat__comment-label" htmlFor={`${id}-comment`}>
            {t('csatCommentLabel')}
          </label>
          <textarea id={`${id}-comment`} rows={2} maxLength={MAX_COMMENT} dir="auto" value={comment} onChange={(e) => setComment(e.target.value)} />
        </>
      )}
      {ratingFailed && (
        <p className="csat__error" role="alert">
          {t('newConversationRatingFailed')}
        </p>
      )}
      <div className="csat__actions">
        <button type="submit" disabled={pending}>
          {pending ? t('sending') : t(ratingFailed ? 'newConversationYesWithoutRating' : 'newConversationYes')}
        </button>
        <button type="button" className="csat__skip" onClick={feedback.cancelStartOver}>
          {t('newConversationNo')}
        </button>
      </div>
    </form>
  );
}
