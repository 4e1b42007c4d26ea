interface AvatarPlaceholderProps {
  botName: string;
}

/**
 * The bot's 2D stand-in: its initial in the brand colour. Shown while the 3D avatar loads, when the
 * bot has none, and when the avatar chunk failed, so the header never jumps.
 */
export function AvatarPlaceholder({ botName }: AvatarPlaceholderProps) {
  return (
    <span className="chat__avatar" aria-hidden="true">
      {botName.trim().slice(0, 1).toUpperCase() || '?'}
    </span>
  );
}
