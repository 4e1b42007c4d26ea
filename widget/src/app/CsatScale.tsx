import { useState, type Ref } from 'react';
import './csat.css';
import { useI18n } from './i18n/use-i18n.ts';

const SCORES = [1, 2, 3, 4, 5] as const;
/** The longest comment on a rating the server takes (feedback.service.ts). */
export const MAX_COMMENT = 1000;

function Star() {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="m12 17.3 6.2 3.7-1.6-7 5.4-4.7-7.2-.6L12 2 9.2 8.7 2 9.3l5.4 4.7-1.6 7z" />
    </svg>
  );
}

interface CsatScaleProps {
  /** Unique per form: names the radio group and ties the scale's ends to it. */
  id: string;
  legend: string;
  /** Shows the legend (else it is for screen readers only, the form's title saying the same). */
  visibleLegend?: boolean;
  score: number | null;
  onScore(score: number): void;
  groupRef?: Ref<HTMLFieldSetElement>;
}

/**
 * The 1–5 stars of a conversation rating (CsatPrompt, StartOverPrompt). Native radio buttons, so
 * arrow keys choose the score; the stars light up to the one hovered or chosen.
 */
export function CsatScale({ id, legend, visibleLegend, score, onScore, groupRef }: CsatScaleProps) {
  const { t } = useI18n();
  const [hover, setHover] = useState<number | null>(null);
  const shown = hover ?? score ?? 0;
  return (
    <>
      <fieldset ref={groupRef} className="csat__scale" aria-describedby={`${id}-scale`} onMouseLeave={() => setHover(null)}>
        <legend className={visibleLegend ? 'csat__legend' : 'sr-only'}>{legend}</legend>
        {SCORES.map((value) => (
          <label key={value} className="csat__star" data-lit={value <= shown || undefined} onMouseEnter={() => setHover(value)}>
            <input
              type="radio"
              name={`${id}-score`}
              value={value}
              className="sr-only"
              checked={score === value}
              onChange={() => onScore(value)}
            />
            <Star />
            <span className="sr-only">{t('csatScore', { score: value })}</span>
          </label>
        ))}
      </fieldset>
      <p className="csat__ends" id={`${id}-scale`}>
        <span>{t('csatLow')}</span>
        <span>{t('csatHigh')}</span>
      </p>
    </>
  );
}
