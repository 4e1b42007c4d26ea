import { useI18n } from './i18n/use-i18n.ts';
import './handoff-notice.css';

interface HandoffOfferProps {
  /** The last reply offered a person (ReplyCompleted.requestsContact). */
  offered: boolean;
  onAccept(): void;
  onDecline(): void;
}

/**
 * The bot's offer of a person, under the reply that made it: Accept queues the conversation for the team
 * (or says nobody can come, and when people are back), No thanks keeps the bot answering. Writing a
 * message instead answers it too ("yes" / "no thanks"), and closes it either way.
 */
export function HandoffOffer({ offered, onAccept, onDecline }: HandoffOfferProps) {
  const { t } = useI18n();
  if (!offered) return null;
  return (
    <div className="handoff-offer" role="group" aria-label={t('handoffOfferQuestion')}>
      <p className="handoff-offer__question">{t('handoffOfferQuestion')}</p>
      <div className="handoff-offer__actions">
        <button type="button" className="handoff-offer__accept" onClick={onAccept}>
          {t('handoffAccept')}
        </button>
        <button type="button" className="handoff-offer__decline" onClick={onDecline}>
          {t('handoffDecline')}
        </button>
      </div>
    </div>
  );
}
