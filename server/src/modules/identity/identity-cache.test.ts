import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal, UserPrincipal } from '../../core/auth/index.ts';
import { createInProcessBus, type MessageBus } from '../../core/bus/index.ts';
import { changeAffects, IdentityCache, type IdentityChange, type Resolved } from './identity-cache.ts';

const SUBJECT = 'cluster.test.identity';
let bus: MessageBus;
const caches: IdentityCache[] = [];

afterEach(async () => {
  for (const cache of caches.splice(0)) cache.close();
  await bus?.close();
});

async function instance(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const cache = new IdentityCache({ bus, subject: SUBJECT, ...options });
  caches.push(cache);
  await cache.start();
  return cache;
}

/** A loader that counts how often the "database" was asked. */
function source<P>(value: Resolved<P>) {
  const calls = { count: 0 };
  return { calls, load: async () => (calls.count++, value) };
}

const key: ApiKeyPrincipal = { kind: 'apiKey', keyId: 'k1', tenantId: 't1', scopes: ['read'] };
const admin: UserPrincipal = { kind: 'user', userId: 'u1', tenantId: 't1', role: 'admin', familyId: 'f1' };

describe('IdentityCache', () => {
  it('answers a credential seen recently without loading it again, and one concurrent load for many requests', async () => {
    bus = createInProcessBus();
    const cache = await instance();
    const db = source({ principal: key });
    const first = await Promise.all([cache.apiKey('hash', db.load), cache.apiKey('hash', db.load), cache.apiKey('hash', db.load)]);
    expect(first).toEqual([{ principal: key }, { principal: key }, { principal: key }]);
    await cache.apiKey('hash', db.load);
    expect(db.calls.count).toBe(1);
  });

  it('drops a revoked key, an ended session and a changed member on every instance', async () => {
    bus = createInProcessBus();
    const [here, there] = [await instance(), await instance()];
    const keys = source({ principal: key });
    const sessions = source({ principal: admin });
    for (const cache of [here, there]) {
      await cache.apiKey('hash', keys.load);
      await cache.session('t1', 'u1', 'f1', sessions.load);
    }
    expect([keys.calls.count, sessions.calls.count]).toEqual([2, 2]);

    await here.announce({ type: 'apiKeyRevoked', keyId: 'k1' });
    await here.apiKey('hash', keys.load); // this instance: at once
    await expect.poll(async () => (await there.apiKey('hash', keys.load), keys.calls.count)).toBe(4);

    await here.announce({ type: 'memberChanged', tenantId: 't1', userId: 'u1' });
    await expect.poll(async () => (await there.session('t1', 'u1', 'f1', sessions.load), sessions.calls.count)).toBe(3);
    await there.announce({ type: 'sessionEnded', familyId: 'f1' });
    await expect.poll(async () => (await here.session('t1', 'u1', 'f1', sessions.load), sessions.calls.count)).toBe(4);
  });

  it('does not keep what a load read before an invalidation that arrived while it ran', async () => {
    bus = createInProcessBus();
    const cache = await instance();
    let finish!: (value: Resolved<UserPrincipal>) => void;
    const slow = cache.session('t1', 'u1', 'f1', () => new Promise((resolve) => (finish = resolve)));
    await cache.announce({ type: 'memberChanged', tenantId: 't1', userId: 'u1' });
    finish({ principal: admin }); // read before the change committed
    await slow;
    const fresh = source({ principal: { ...admin, role: 'viewer' } as UserPrincipal });
    expect(await cache.session('t1', 'u1', 'f1', fresh.load)).toEqual({ principal: { ...admin, role: 'viewer' } });
    expect(fresh.calls.count).toBe(1);
  });

  it('remembers refusals too, and only other entries survive an invalidation', async () => {
    bus = createInProcessBus();
    const cache = await instance();
    const unknown = source<ApiKeyPrincipal>({ refusal: 'The API key is not valid.' });
    await cache.apiKey('guess', unknown.load);
    await cache.apiKey('guess', unknown.load);
    expect(unknown.calls.count).toBe(1);
    const other = source({ principal: { ...admin, userId: 'u2' } as UserPrincipal });
    await cache.session('t1', 'u2', 'f2', other.load);
    await cache.announce({ type: 'memberChanged', tenantId: 't1', userId: 'u1' });
    await cache.session('t1', 'u2', 'f2', other.load);
    expect(other.calls.count).toBe(1);
  });

  it('trusts an entry no longer than its TTL and holds at most maxEntries', async () => {
    bus = createInProcessBus();
    const expiring = await instance({ ttlMs: 0 });
    const db = source({ principal: key });
    await expiring.apiKey('hash', db.load);
    await expiring.apiKey('hash', db.load);
    expect(db.calls.count).toBe(2);

    const small = await instance({ maxEntries: 2 });
    const loads = source({ principal: key });
    for (const hash of ['a', 'b', 'c']) await small.apiKey(hash, loads.load);
    await small.apiKey('c', loads.load);
    await small.apiKey('a', loads.load); // the oldest went
    expect(loads.calls.count).toBe(4);
  });

  it("tells listeners of every change, this instance's and the others', and says which principals it affects", async () => {
    bus = createInProcessBus();
    const here = await instance();
    const there = await instance();
    const heard: IdentityChange[] = [];
    const stop = here.onChange((change) => heard.push(change));
    await here.announce({ type: 'apiKeyRevoked', keyId: 'k1' });
    await there.announce({ type: 'sessionEnded', familyId: 'f1' });
    // Its own change is applied at once and heard again from the bus: listeners must be idempotent.
    await expect.poll(() => [...new Set(heard.map((c) => c.type))].sort()).toEqual(['apiKeyRevoked', 'sessionEnded']);
    stop();
    await here.announce({ type: 'memberChanged', tenantId: 't1', userId: 'u1' });
    await new Promise((resolve) => setImmediate(resolve)); // the in-process bus delivers on a later turn
    expect(heard.map((c) => c.type)).not.toContain('memberChanged');

    expect(changeAffects({ type: 'apiKeyRevoked', keyId: 'k1' }, key)).toBe(true);
    expect(changeAffects({ type: 'apiKeyRevoked', keyId: 'k2' }, key)).toBe(false);
    expect(changeAffects({ type: 'sessionEnded', familyId: 'f1' }, admin)).toBe(true);
    expect(changeAffects({ type: 'sessionEnded', familyId: 'f1' }, key)).toBe(false);
    expect(changeAffects({ type: 'memberChanged', tenantId: 't1', userId: 'u1' }, admin)).toBe(true);
    expect(changeAffects({ type: 'memberChanged', tenantId: 't2', userId: 'u1' }, admin)).toBe(false);
    expect(changeAffects({ type: 'memberChanged', tenantId: 't1', userId: 'u1' }, { kind: 'visitor', tenantId: 't1' })).toBe(false);
  });
});
