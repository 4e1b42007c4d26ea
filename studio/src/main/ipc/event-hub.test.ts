import { describe, expect, it, vi } from 'vitest';
import type { StudioEvent } from '../../shared/studio-events.ts';
import { StudioEventHub } from './event-hub.ts';

const PROJECT = '6f1c2a4e-9b1d-4c3e-8f7a-2d5e6b7c8d9e';
const synced: StudioEvent = {
  type: 'syncStatus',
  status: { projectId: PROJECT, state: 'synced', pendingUploads: 0, nextRetryAt: null, message: 'Synced as draft revision 2.' },
};

describe('the event hub', () => {
  it('delivers valid events to every subscriber until it unsubscribes', () => {
    const hub = new StudioEventHub();
    const [first, second] = [vi.fn(), vi.fn()];
    const stopFirst = hub.subscribe(first);
    hub.subscribe(second);
    hub.emit(synced);
    stopFirst();
    hub.emit({ type: 'session', session: null, reason: 'Signed out.' });
    expect(first.mock.calls).toEqual([[synced]]);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('drops events that break the schema and reports them instead of sending them', () => {
    const onInvalid = vi.fn();
    const hub = new StudioEventHub(onInvalid);
    const listener = vi.fn();
    hub.subscribe(listener);
    const bad = [
      { type: 'syncStatus', status: { ...synced.status, state: 'exploded' } },
      { type: 'syncStatus', status: { ...synced.status, projectId: '../etc' } },
      { type: 'chatDelta', replyId: 'not-a-uuid', delta: 'x' },
      { type: 'session', session: null, reason: null, token: 'secret' },
      { type: 'shell', command: 'rm -rf /' },
    ];
    for (const event of bad) hub.emit(event as unknown as StudioEvent);
    expect(listener).not.toHaveBeenCalled();
    expect(onInvalid).toHaveBeenCalledTimes(bad.length);
  });
});
