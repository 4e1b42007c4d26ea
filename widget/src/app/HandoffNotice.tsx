import type { HandoffState } from './conversation-state.ts';
import { useI18n } from './i18n/use-i18n.ts';
import './chat-state.css';

interface HandoffNoticeProps {
  handoff: HandoffState;
}

/**
 * Who answers while people handle the conversation: a banner above the transcript saying the visitor
 * waits for a person, or which agent is with them. Nothing is shown while the bot answers; the
 * transcript's notices record each change, and those are what screen readers announce (the
 * transcript is the live log): the banner is deliberately no live region of its own, or every change
 * would be read twice. It stays in the page for anyone who reads it later.
 */
export function HandoffNotice({ handoff }: HandoffNoticeProps) {
  const { t } = useI18n();
  const text =
    handoff.status === 'WAITING_FOR_AGENT'
      ? t('handoffWaiting')
      : handoff.status === 'WITH_AGENT'
        ? handoff.agentName
          ? t('handoffWithAgent', { name: handoff.agentName })
          : t('handoffWithSomeone')
        : null;
  return (
    <div className="handoff-notice" data-status={handoff.status} hidden={text === null}>
      {text && (
        <>
          {handoff.status === 'WAITING_FOR_AGENT' && <span className="handoff-notice__pulse" aria-hidden="true" />}
          <span>{text}</span>
        </>
      )}
    </div>
  );
}
