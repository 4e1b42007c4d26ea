// Syncs that could not reach the server wait here and are retried with backoff until they get
// through: designers keep working offline and their work reaches the server when the network is back.
import type { SyncResult } from '../../shared/studio-api.ts';
import type { ProjectStore } from '../workspace/project-store.ts';

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

export class SyncQueue {
  private timer: NodeJS.Timeout | undefined;
  private delay = FIRST_RETRY_MS;

  constructor(
    private readonly store: ProjectStore,
    private readonly sync: (projectId: string) => Promise<SyncResult>,
  ) {}

  /** Retries every queued project once; answers how many still wait. */
  async flush(): Promise<number> {
    let waiting = 0;
    for (const meta of await this.store.list()) {
      if (!meta.sync.queued) continue;
      const result = await this.sync(meta.id).catch(() => null);
      if (!result || result.status === 'queued') waiting += 1;
    }
    return waiting;
  }

  /** Starts retrying in the background (the Electron app does; tests call flush). */
  start(): void {
    const tick = async () => {
      const waiting = await this.flush().catch(() => 1);
      this.delay = waiting > 0 ? Math.min(this.delay * 2, MAX_RETRY_MS) : FIRST_RETRY_MS;
      this.timer = setTimeout(tick, this.delay);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, this.delay);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
