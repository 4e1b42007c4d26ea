// Syncs that could not reach the server wait here and are retried with backoff until they get
// through: designers keep working offline and their work reaches the server when the network is back.
// The queue also keeps each project's sync state (syncing, waiting for the network, retrying, synced,
// conflict, failed) and pushes every change to the renderer as a `syncStatus` event.
import type { SyncResult, SyncStatus } from '../../shared/studio-api.ts';
import type { StudioEvent } from '../../shared/studio-events.ts';
import type { ProjectStore } from '../workspace/project-store.ts';

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

export type SyncState = SyncStatus['state'];

export class SyncQueue {
  private timer: NodeJS.Timeout | undefined;
  private delay = FIRST_RETRY_MS;
  private nextRetryAt: number | null = null;
  private readonly statuses = new Map<string, SyncStatus>();

  constructor(
    private readonly store: ProjectStore,
    private readonly sync: (projectId: string) => Promise<SyncResult>,
    private readonly emit: (event: StudioEvent) => void = () => {},
  ) {}

  /** The project's sync state as last reported; null before its first sync in this run. */
  status(projectId: string): SyncStatus | null {
    return this.statuses.get(projectId) ?? null;
  }

  /** Records and pushes a project's sync state (the sync engine reports through here). */
  report(projectId: string, state: SyncState, pendingUploads: number, message: string): void {
    const nextRetryAt = state === 'waiting-for-network' && this.nextRetryAt !== null ? new Date(this.nextRetryAt).toISOString() : null;
    const status: SyncStatus = { projectId, state, pendingUploads, nextRetryAt, message };
    this.statuses.set(projectId, status);
    this.emit({ type: 'syncStatus', status });
  }

  /** Retries every queued project once; answers how many still wait. */
  async flush(): Promise<number> {
    let waiting = 0;
    for (const meta of await this.store.list()) {
      if (!meta.sync.queued) continue;
      this.report(meta.id, 'retrying', this.status(meta.id)?.pendingUploads ?? 0, 'The network may be back: trying the queued sync again.');
      const result = await this.sync(meta.id).catch(() => null);
      if (!result || result.status === 'queued') waiting += 1;
    }
    return waiting;
  }

  /** Starts retrying in the background (the Electron app does; tests call flush). */
  start(): void {
    const schedule = () => {
      this.nextRetryAt = Date.now() + this.delay;
      this.timer = setTimeout(tick, this.delay);
      this.timer.unref();
    };
    const tick = async () => {
      this.nextRetryAt = null; // this try is running; the next is known once it ends
      const waiting = await this.flush().catch(() => 1);
      this.delay = waiting > 0 ? Math.min(this.delay * 2, MAX_RETRY_MS) : FIRST_RETRY_MS;
      schedule();
      // Projects still waiting learn when the next try is, now that it is scheduled.
      for (const status of this.statuses.values()) {
        if (status.state === 'waiting-for-network') this.report(status.projectId, status.state, status.pendingUploads, status.message);
      }
    };
    schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.nextRetryAt = null;
  }
}
