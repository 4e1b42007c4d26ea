import { useI18n } from './i18n/use-i18n.ts';
import './handoff-offer.css';

interface HandoffOfferProps {
  onAccept(): void;
  onDecline(): void;
}

/**
 * The bot's offer of a person, under the reply that made it (ChatApp shows it while the last reply
 * offers one, ReplyCompleted.requestsContact): Accept queues the conversation for the team (or says
 * nobody can come, and when people are back), No thanks keeps the bot answering. Writing a message
 * instead answers it too ("yes" / "no thanks"), and closes it either way. A chunk of its own: few
 * chats need it, and the chat's first download has no room (bench/widget-budgets.ts).
 */
export function HandoffOffer({ onAccept, onDecline }: HandoffOfferProps) {
  const { t } = useI18n();
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
