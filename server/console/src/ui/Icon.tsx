/**
 * The Console's icons: small stroke drawings inline as SVG (no icon font, no emoji, which headless and some
 * desktop systems draw as empty boxes). Registry entries name one; emoji used as names map to the same set.
 */
const PATHS: Record<string, string> = {
  inbox: 'M3 13h4l2 3h6l2-3h4M5 5h14l2 8v6H3v-6z',
  conversations: 'M4 5h12v8H9l-4 3v-3H4zM16 9h4v8h-1v3l-4-3h-5v-2',
  analytics: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  leads: 'M4 4h16v16H4zM9 10a3 3 0 1 0 6 0a3 3 0 1 0-6 0M7 18c1-2.5 3-3.5 5-3.5s4 1 5 3.5',
  'knowledge-gaps': 'M12 3a6 6 0 0 1 4 10.5V16H8v-2.5A6 6 0 0 1 12 3zM9 20h6',
  team: 'M6 9a3 3 0 1 0 6 0a3 3 0 1 0-6 0M2 20c.5-3.5 3-5 7-5s6.5 1.5 7 5M15 6a3 3 0 0 1 0 6M18 15c2 .7 3.3 2.3 4 5',
  platform: 'M12 3l8 4v5c0 5-3.5 8-8 9c-4.5-1-8-4-8-9V7z',
  explorer: 'M8 6l-5 6l5 6M16 6l5 6l-5 6M14 4l-4 16',
};
const ALIASES: Record<string, string> = {
  '📥': 'inbox', '💬': 'conversations', '📈': 'analytics', '📊': 'analytics', '📇': 'leads', '🧩': 'knowledge-gaps',
  '💡': 'knowledge-gaps', '👥': 'team', '🛠': 'platform', '🛡': 'platform',
};

export const iconNames = Object.keys(PATHS);

/** An icon by name; unknown names show `fallback` (a letter) instead. Decorative: the label says what it is. */
export function Icon({ name, fallback }: { name: string | undefined; fallback: string }) {
  const path = name ? PATHS[name] ?? PATHS[ALIASES[name] ?? ''] : undefined;
  if (!path) return <span className="ui-icon ui-icon--letter" aria-hidden="true">{fallback}</span>;
  return (
    <svg className="ui-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={path} fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
