import type { ConnectionState } from './use-conversation.ts';

interface StatusLineProps {
  phase: 'starting' | 'active' | 'failed';
  connection: ConnectionState;
  onReconnect(): void;
}

function statusText(phase: StatusLineProps['phase'], connection: ConnectionState): string {
  if (phase === 'failed') return '';
  if (phase === 'starting' || connection === 'connecting') return 'Connecting…';
  if (connection === 'reconnecting') return 'Reconnecting…';
  if (connection === 'offline') return 'Connection lost.';
  return '';
}

/**
 * Connection state for sighted and screen-reader users alike. The status
 * element is always rendered (a live region must exist before its text changes
 * to be announced) and collapses to nothing while connected.
 */
export function StatusLine({ phase, connection, onReconnect }: StatusLineProps) {
  const text = statusText(phase, connection);
  const offline = phase === 'active' && connection === 'offline';
  return (
    <div className={text ? 'status' : 'status status--hidden'}>
      <p role="status" className="status__text">
        {text}
      </p>
      {offline && (
        <button type="button" className="status__action" onClick={onReconnect}>
          Reconnect
        </button>
      )}
    </div>
  );
}
