import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import './csat.css';
import { CsatScale, MAX_COMMENT } from './CsatScale.tsx';
import { useI18n } from './i18n/use-i18n.ts';
import type { Feedback } from './use-feedback.ts';

/** How long the thank-you stays before the prompt goes away. */
const THANKS_MS = 4000;


/**
 * "How satisfied are you with this conversation?" (CSAT, 1–5) with an optional comment, when a
 * person handed the conversation back or the visitor asked from the menu (starting over offers the
 * rating in its own step, StartOverPrompt). Shown in the panel's flow above the composer, like the
 * contact form, never over the transcript. Loaded on demand (FeedbackPrompt).
 */
export function CsatPrompt({ feedback }: { feedback: Feedback }) {
  const { t } = useI18n();
  const id = useId();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<'choose' | 'failed' | null>(null);
  const [pending, setPending] = useState(false);
  const [thanked, setThanked] = useState(false);
  const groupRef = useRef<HTMLFieldSetElement>(null);
  const reason = feedback.csat;
  // Asked again (from the menu) after rating: the stars show the rating given, to change.
  const givenRef = useRef(feedback.rating);
  givenRef.current = feedback.rating;

  useEffect(() => {
    if (reason) {
      setScore(givenRef.current);
      setComment('');
      setProblem(null);
      setThanked(false);
      groupRef.current?.querySelector('input')?.focus();
    }
  }, [reason]);
  useEffect(() => {
    if (!thanked) return;
    const timer = setTimeout(() => setThanked(false), THANKS_MS);
    return () => clearTimeout(timer);
  }, [thanked]);

  if (thanked && !reason) {
    return (
      <p className="csat csat--thanks" role="status">
        {t('csatThanks')}
      </p>
    );
  }
  if (!reason) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (score === null) {
      setProblem('choose');
      groupRef.current?.querySelector('input')?.focus();
      return;
    }
    setPending(true);
    const ok = await feedback.submitCsat({ rating: score, comment: comment.trim() || null });
    setPending(false);
    if (!ok) {
      setProblem('failed');
      return;
    }
    setThanked(true);
    feedback.skipCsat();
  };

  return (
    <form className="csat" aria-labelledby={`${id}-title`} noValidate onSubmit={(e) => void submit(e)}>
      <p className="csat__title" id={`${id}-title`}>
        {t('csatTitle')}
      </p>
      <CsatScale
        id={id}
        legend={t('csatTitle')}
        score={score}
        groupRef={groupRef}
        onScore={(value) => {
          setScore(value);
          setProblem(null);
        }}
      />
      <label className="csat__comment-label" htmlFor={`${id}-comment`}>
        {t('csatCommentLabel')}
      </label>
      <textarea id={`${id}-comment`} rows={2} maxLength={MAX_COMMENT} dir="auto" value={comment} onChange={(e) => setComment(e.target.value)} />
      {problem && (
        <p className="csat__error" role="alert">
          {t(problem === 'choose' ? 'csatChooseScore' : 'feedbackFailed')}
        </p>
      )}
      <div className="csat__actions">
        <button type="submit" disabled={pending}>
          {pending ? t('sending') : t('csatSubmit')}
        </button>
        <button type="button" className="csat__skip" onClick={feedback.skipCsat}>
          {t('csatSkip')}
        </button>
      </div>
    </form>
  );
}
