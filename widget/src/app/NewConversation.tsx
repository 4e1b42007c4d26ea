import { useEffect, useRef } from 'react';
import { useI18n } from './i18n/use-i18n.ts';

interface NewConversationProps {
  /** Whether it asks first (the visitor wrote something); else it starts over at once. */
  asks: boolean;
  /** Whether the start-over step it opened is showing (StartOverPrompt, above the composer). */
  asking: boolean;
  /** The id of that step, for aria-controls. */
  controls: string;
  onClick(): void;
}

/**
 * "New conversation", which discards the transcript on this device. When there is something to
 * discard it opens one step that confirms and offers a rating (useFeedback().endConversation); this
 * button says so (aria-expanded) and gets focus back when that step closes.
 */
export function NewConversation({ asks, asking, controls, onClick }: NewConversationProps) {
  const { t } = useI18n();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (wasAsking.current && !asking) buttonRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  return (
    <button
      ref={buttonRef}
      type="button"
      className="chat__new-conversation"
      aria-expanded={asks ? asking : undefined}
      aria-controls={asking ? controls : undefined}
      onClick={onClick}
    >
      {t('newConversation')}
    </button>
  );
}
