import type { MessageKey } from './i18n/catalogue.ts';
import { useI18n } from './i18n/use-i18n.ts';
import type { ConnectionState } from './use-conversation.ts';

interface StatusLineProps {
  phase: 'starting' | 'active' | 'failed';
  connection: ConnectionState;
  onReconnect(): void;
}

function statusKey(phase: StatusLineProps['phase'], connection: ConnectionState): MessageKey | null {
  if (phase === 'failed') return null;
  if (phase === 'starting' || connection === 'connecting') return 'connecting';
  if (connection === 'reconnecting') return 'reconnecting';
  if (connection === 'offline') return 'connectionLost';
  return null;
}

/**
 * Connection state for sighted and screen-reader users alike. The status
 * element is always rendered (a live region must exist before its text changes
 * to be announced) and collapses to nothing while connected.
 */
export function StatusLine({ phase, connection, onReconnect }: StatusLineProps) {
  const { t } = useI18n();
  const key = statusKey(phase, connection);
  const offline = phase === 'active' && connection === 'offline';
  return (
    <div className={key ? 'status' : 'status status--hidden'}>
      <p role="status" className="status__text">
        {key ? t(key) : ''}
      </p>
      {offline && (
        <button type="button" className="status__action" onClick={onReconnect}>
          {t('reconnect')}
        </button>
      )}
    </div>
  );
}
