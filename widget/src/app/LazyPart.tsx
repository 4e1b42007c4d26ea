import { Component, Suspense, type ReactNode } from 'react';
import { useI18n } from './i18n/use-i18n.ts';

interface LazyPartProps {
  /**
   * Closes the part when its code could not be loaded, so the visitor is not left with a dead end;
   * without it, a part that cannot load shows nothing (an optional extra such as 👍/👎).
   */
  onDismiss?: (() => void) | undefined;
  /** What stands in while the chunk loads: nothing, or a placeholder of the part's size. */
  loading?: ReactNode;
  children: ReactNode;
}

class LoadBoundary extends Component<{ failed: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('[mascot] a part of the chat could not be loaded', error);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.failed : this.props.children;
  }
}

function LoadFailed({ onDismiss }: { onDismiss(): void }) {
  const { t } = useI18n();
  return (
    // Styled as a notice with a retry-like button (chat.css): rare enough not to need styles of its own.
    <p className="notice" role="alert">
      {t('errorNetwork')}{' '}
      <button type="button" className="bubble__retry" onClick={onDismiss}>
        {t('dismiss')}
      </button>
    </p>
  );
}

/**
 * A part of the panel that the first paint does not need (the prompts, the contact form), in a
 * chunk of its own (React.lazy): the chat's first download has a budget (bench/widget-budgets.ts).
 * Nothing (or a placeholder of its size) shows while the chunk loads — milliseconds, and the likely
 * ones are preloaded — so the part appears once, in place; a chunk that cannot load (offline) says so instead of taking the
 * chat down. Mount it with a `key` per opening to try again.
 */
export function LazyPart({ onDismiss, loading = null, children }: LazyPartProps) {
  return (
    <LoadBoundary failed={onDismiss ? <LoadFailed onDismiss={onDismiss} /> : null}>
      <Suspense fallback={loading}>{children}</Suspense>
    </LoadBoundary>
  );
}
