// What tests of the main-process core share: a network they can cut, and the StudioError a call ends with.
import { expect } from 'vitest';
import { StudioError } from '../src/shared/studio-error.ts';

export interface SwitchableNetwork {
  /** Flipped to false to cut Studio off the network (the server keeps running). */
  online: boolean;
  /** Pass as the core's `fetch`: while offline it fails the way fetch does without a network. */
  readonly fetch: typeof fetch;
}

export function switchableNetwork(): SwitchableNetwork {
  const network: SwitchableNetwork = {
    online: true,
    fetch: (input, init) => (network.online ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: network is down'))),
  };
  return network;
}

/** The StudioError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}
