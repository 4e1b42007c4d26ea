import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';
import './conversation-menu.css';
import { useI18n } from './i18n/use-i18n.ts';

export interface ConversationMenuItemsProps {
  id: string;
  /** The menu button: clicks on it are not "outside" (it toggles the menu itself). */
  buttonRef: RefObject<HTMLButtonElement | null>;
  /** Closes the menu; `refocus` gives focus back to the button (Escape, a chosen item). */
  onClose(refocus: boolean): void;
  onDownloadText(): void;
  onDownloadPrintable(): void;
  onRate: (() => void) | null;
}

/**
 * The open menu of ConversationMenu, loaded when first needed. A WAI-ARIA menu: focus goes to the
 * first item, arrows move between items, Escape closes the menu — not the panel — and Tab or a
 * click outside closes it.
 */
export function ConversationMenuItems({ id, buttonRef, onClose, onDownloadText, onDownloadPrintable, onRate }: ConversationMenuItemsProps) {
  const { t } = useI18n();
  const menuRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  // Wherever the header puts the button (a row, a stack, centred on phones), the menu stays inside
  // the panel: shifted sideways by what would overflow, before it is painted.
  useLayoutEffect(() => {
    const menu = menuRef.current;
    if (!menu) return;
    const margin = 8;
    const { left, right } = menu.getBoundingClientRect();
    const shift = right > window.innerWidth - margin ? window.innerWidth - margin - right : left < margin ? margin - left : 0;
    menu.style.transform = shift ? `translateX(${Math.round(shift)}px)` : '';
  }, []);

  useEffect(() => {
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const closeOutside = (event: PointerEvent) => {
      if (!menuRef.current?.contains(event.target as Node) && !buttonRef.current?.contains(event.target as Node)) onCloseRef.current(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [buttonRef]);

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      // Handled here: the chat's own Escape would close the whole panel.
      event.preventDefault();
      event.stopPropagation();
      onClose(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      onClose(false);
    }
  };

  return (
    <div ref={menuRef} id={id} className="conversation-menu__items" role="menu" aria-label={t('menuLabel')} onKeyDown={onMenuKey}>
      <button type="button" role="menuitem" tabIndex={-1} onClick={onDownloadText}>
        {t('menuDownloadText')}
      </button>
      <button type="button" role="menuitem" tabIndex={-1} onClick={onDownloadPrintable}>
        {t('menuDownloadPrintable')}
      </button>
      {onRate && (
        <button type="button" role="menuitem" tabIndex={-1} onClick={onRate}>
          {t('menuRate')}
        </button>
      )}
    </div>
  );
}
