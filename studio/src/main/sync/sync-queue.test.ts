import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncResult } from '../../shared/studio-api.ts';
import type { StudioEvent } from '../../shared/studio-events.ts';
import type { ProjectStore } from '../workspace/project-store.ts';
import { SyncQueue } from './sync-queue.ts';

const PROJECT = '6f1c2a4e-9b1d-4c3e-8f7a-2d5e6b7c8d9e';
const result = (status: SyncResult['status']): SyncResult => ({
  status, revision: null, uploadedKnowledge: 0, skippedKnowledge: 0, deletedKnowledge: 0, avatarUploaded: false, conflict: null, message: status,
});

afterEach(() => vi.useRealTimers());

describe('the sync queue', () => {
  it('retries queued projects on its timer, tells when the next try is, and backs off while the network stays down', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-22T10:00:00Z') });
    let queued = true;
    let networkUp = false;
    const store = { list: async () => [{ id: PROJECT, sync: { queued } }] } as unknown as ProjectStore;
    const events: StudioEvent[] = [];
    const queue: SyncQueue = new SyncQueue(store, async (projectId) => {
      if (!networkUp) {
        queue.report(projectId, 'waiting-for-network', 2, 'The server cannot be reached.');
        return result('queued');
      }
      queued = false;
      queue.report(projectId, 'synced', 0, 'Synced.');
      return result('synced');
    }, (event) => events.push(event));
    const states = () => events.flatMap((e) => (e.type === 'syncStatus' ? [[e.status.state, e.status.nextRetryAt]] : []));

    queue.start();
    await vi.advanceTimersByTimeAsync(2_000);
    // First try at +2 s failed; the next waits twice as long and the waiting project is told when.
    expect(states()).toEqual([
      ['retrying', null],
      ['waiting-for-network', null],
      ['waiting-for-network', '2026-11-22T10:00:06.000Z'],
    ]);
    networkUp = true;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(states().slice(3)).toEqual([['retrying', null], ['synced', null]]);
    expect(queue.status(PROJECT)).toMatchObject({ state: 'synced', pendingUploads: 0 });
    queue.stop();
  });
});
