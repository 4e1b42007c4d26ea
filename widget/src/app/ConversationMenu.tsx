import { lazy, useId, useRef, useState } from 'react';
import './feedback.css';
import { useI18n } from './i18n/use-i18n.ts';
import { LazyPart } from './LazyPart.tsx';

// The open menu is its own chunk (outside the chat's first download, bench/widget-budgets.ts),
// fetched as soon as a pointer or focus comes near the button, so it opens at once.
const loadItems = () => import('./ConversationMenuItems.tsx');
const ConversationMenuItems = lazy(() => loadItems().then((module) => ({ default: module.ConversationMenuItems })));
const preloadItems = () => void loadItems().catch(() => undefined); // asked again on opening

export interface ConversationMenuProps {
  onDownloadText(): Promise<boolean>;
  onDownloadPrintable(): Promise<boolean>;
  /** Null when there is nothing to rate yet. */
  onRate: (() => void) | null;
}

function Dots() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <circle cx="5" cy="12" r="2" fill="currentColor" />
      <circle cx="12" cy="12" r="2" fill="currentColor" />
      <circle cx="19" cy="12" r="2" fill="currentColor" />
    </svg>
  );
}

/**
 * The panel's "more" menu: download the transcript (text, or a printable page to save as PDF) and
 * rate the conversation. A menu button (WAI-ARIA pattern); the open menu is ConversationMenuItems.
 */
export function ConversationMenu({ onDownloadText, onDownloadPrintable, onRate }: ConversationMenuProps) {
  const { t } = useI18n();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };
  const run = async (action: () => Promise<boolean>) => {
    close(true);
    setFailed(!(await action()));
  };

  return (
    <div className="conversation-menu">
      <button
        ref={buttonRef}
        type="button"
        className="conversation-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-label={t('menuLabel')}
        title={t('menuLabel')}
        onPointerEnter={preloadItems}
        onFocus={preloadItems}
        onClick={() => setOpen((value) => !value)}
      >
        <Dots />
      </button>
      {open && (
        <LazyPart onDismiss={() => close(true)}>
          <ConversationMenuItems
            id={`${id}-menu`}
            buttonRef={buttonRef}
            onClose={close}
            onDownloadText={() => void run(onDownloadText)}
            onDownloadPrintable={() => void run(onDownloadPrintable)}
            onRate={
              onRate &&
              (() => {
                // The rating prompt takes focus to its stars.
                close(false);
                onRate();
              })
            }
          />
        </LazyPart>
      )}
      {failed && (
        <p className="conversation-menu__error" role="alert">
          {t('transcriptFailed')}
        </p>
      )}
    </div>
  );
}
