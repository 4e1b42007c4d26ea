import { Component, lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { PublicBot } from './api-types.ts';
import type { AvatarSignals } from './avatar/avatar-signals.ts';
import { AvatarPlaceholder } from './AvatarPlaceholder.tsx';

// The three.js chunk: requested only once the chat has rendered, so the chat never waits for it.
const AvatarStage = lazy(() => import('./avatar/AvatarStage.tsx'));

interface AvatarSlotProps {
  bot: PublicBot | null;
  signals: AvatarSignals;
  primaryColor: string;
}

/** Keeps a failing avatar (chunk that does not load, a render error) from taking the chat down. */
class AvatarErrorBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('[mascot] the avatar failed; the chat goes on without it', error);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** The header's avatar: the 2D placeholder at once, the 3D stage when the bot has an avatar and its chunk arrived. */
export function AvatarSlot({ bot, signals, primaryColor }: AvatarSlotProps) {
  const botName = bot?.name ?? '';
  const placeholder = <AvatarPlaceholder botName={botName} />;
  // Mounting the lazy component is what starts the download: wait until after the first paint.
  const [afterFirstPaint, setAfterFirstPaint] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setAfterFirstPaint(true));
    return () => cancelAnimationFrame(frame);
  }, []);

  if (!bot?.avatar || !afterFirstPaint) return <div className="chat__avatar-slot">{placeholder}</div>;
  return (
    <div className="chat__avatar-slot chat__avatar-slot--stage">
      <AvatarErrorBoundary fallback={placeholder}>
        <Suspense fallback={placeholder}>
          <AvatarStage avatar={bot.avatar} botName={bot.name} signals={signals} primaryColor={primaryColor} />
        </Suspense>
      </AvatarErrorBoundary>
    </div>
  );
}
