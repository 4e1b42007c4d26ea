import { useEffect, useState } from 'react';
import { studio, type SyncStatus } from '../../studio.ts';
import { useStudioEvent } from '../../use-studio-event.ts';

const LABELS: Record<SyncStatus['state'], string> = {
  syncing: 'Syncing',
  'waiting-for-network': 'Waiting for the network',
  retrying: 'Retrying',
  synced: 'Up to date',
  conflict: 'Conflict',
  failed: 'Sync failed',
};

/**
 * The sync queue's state for this project, as main pushes it: what is still to upload, whether the
 * queue waits for the network and when it tries again. `onSettled` runs when a sync ends (so the
 * panel reloads what changed), whoever started it: a click, or the queue once the network is back.
 */
export function SyncQueueStatus({ projectId, onSettled }: { projectId: string; onSettled: () => void }) {
  const [status, setStatus] = useState<SyncStatus | null>(null);

  useEffect(() => {
    void studio.syncStatus(projectId).then(setStatus, () => setStatus(null));
  }, [projectId]);

  useStudioEvent((event) => {
    if (event.type !== 'syncStatus' || event.status.projectId !== projectId) return;
    setStatus(event.status);
    if (event.status.state === 'synced' || event.status.state === 'conflict') onSettled();
  });

  if (!status) return null;
  const retry = status.nextRetryAt ? ` Next try at ${new Date(status.nextRetryAt).toLocaleTimeString()}.` : '';
  const pending = status.pendingUploads > 0 ? ` ${status.pendingUploads} file${status.pendingUploads === 1 ? '' : 's'} to upload or delete.` : '';
  return (
    <p className="queue-status" data-testid="sync-queue" data-state={status.state} aria-live="polite">
      <strong>{LABELS[status.state]}</strong> — {status.message}{pending}{status.state === 'waiting-for-network' ? retry : ''}
    </p>
  );
}
