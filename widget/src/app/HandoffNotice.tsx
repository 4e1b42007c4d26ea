import type { HandoffState, HandoffUnavailableInfo } from './conversation-state.ts';
import { unavailableText } from './handoff-time.ts';
import { useI18n } from './i18n/use-i18n.ts';
import './chat-state.css';
import './handoff-notice.css';

interface HandoffNoticeProps {
  handoff: HandoffState;
  /** The visitor wanted a person and none comes (shown while the contact form is offered). */
  unavailable: HandoffUnavailableInfo | null;
  /** Stops waiting for a person; shown while waiting. */
  onCancel(): void;
}

/**
 * Who answers while people handle the conversation: a banner above the transcript saying a person was
 * asked to join (with Cancel; the bot keeps answering meanwhile), which agent is with the visitor, or that
 * nobody can come and when people are back (the contact form is then offered below the transcript).
 * Nothing is shown while the bot answers. The transcript's notices record each change, and those are what
 * screen readers announce (the transcript is the live log): the banner is deliberately no live region of
 * its own, or every change would be read twice.
 */
export function HandoffNotice({ handoff, unavailable, onCancel }: HandoffNoticeProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const text =
    handoff.status === 'WAITING_FOR_AGENT'
      ? t('handoffWaiting')
      : handoff.status === 'WITH_AGENT'
        ? handoff.agentName
          ? t('handoffWithAgent', { name: handoff.agentName })
          : t('handoffWithSomeone')
        : unavailable
          ? `${unavailableText(unavailable, i18n)} ${t('handoffLeaveDetails')}`
          : null;
  const state = handoff.status === 'BOT' && unavailable ? 'UNAVAILABLE' : handoff.status;
  return (
    <div className="handoff-notice" data-status={state} hidden={text === null}>
      {text && (
        <>
          {handoff.status === 'WAITING_FOR_AGENT' && <span className="handoff-notice__pulse" aria-hidden="true" />}
          <span className="handoff-notice__text">{text}</span>
          {handoff.status === 'WAITING_FOR_AGENT' && (
            <button type="button" className="handoff-notice__cancel" onClick={onCancel} aria-label={t('handoffCancelLabel')}>
              {t('handoffCancel')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
