import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { API_KEY_SCOPES, type ApiKeyPrincipal, type TenantActor } from '../../core/auth/index.ts';
import { inTenant, listInTenant, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { AgentDepartureHandler } from './agent-departures.ts';
import { ApiKey } from './api-key.entity.ts';
import { displayPrefix, generateApiKey, isWellFormedApiKey } from './api-key-format.ts';
import type { IdentityCache } from './identity-cache.ts';
import { hashSecret } from './token-service.ts';

const createSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'must name at least one scope').transform((s) => [...new Set(s)]),
});

/** `lastUsedAt` is written at most this often per key and instance, so busy keys do not write on every lookup. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class ApiKeysService {
  constructor(
    private readonly audit: AuditService,
    /** Where revocations are announced to every instance's cache; absent where nothing caches keys. */
    private readonly changes?: Pick<IdentityCache, 'announce'>,
    /** Hands back the conversations a revoked key held (agent-departures.ts); absent where nothing holds any. */
    private readonly departures?: AgentDepartureHandler,
  ) {}

  /** Creates a key; the returned secret is shown once and never stored. */
  async create(em: EntityManager, actor: TenantActor, input: z.input<typeof createSchema>, ip?: string) {
    const data = parseInput(createSchema, input);
    const secret = generateApiKey();
    const apiKey = await inTenant(em, actor.tenantId, async (tx) => {
      const key = tx.create(ApiKey, {
        id: randomUUID(),
        tenantId: actor.tenantId,
        name: data.name,
        prefix: displayPrefix(secret),
        keyHash: hashSecret(secret),
        scopes: data.scopes,
        createdBy: actor.kind === 'user' ? actor.userId : null,
        lastUsedAt: null,
        revokedAt: null,
      });
      this.audit.record(tx, actor.tenantId, { action: 'api_key.created', actor, target: { type: 'api_key', id: key.id }, ip, metadata: { scopes: data.scopes } });
      await tx.flush();
      return key;
    });
    return { apiKey, secret };
  }

  /** The tenant's keys, newest first, revoked ones included. */
  async list(em: EntityManager, tenantId: string, page: KeysetRequest): Promise<Page<ApiKey>> {
    return listInTenant(em, tenantId, { entity: ApiKey, where: () => ({}) }, page);
  }

  /**
   * Revokes a key. Instances cache keys (IdentityCache); once the revocation committed, `changes`
   * tells them all, so the next request with it fails on any instance.
   */
  async revoke(em: EntityManager, actor: TenantActor, id: string, ip?: string): Promise<ApiKey> {
    const { revoked, released } = await inTenant(em, actor.tenantId, async (tx) => {
      const key = await tx.findOne(ApiKey, { id: parseId(id, 'id') });
      if (!key) throw DomainError.notFound('API key');
      let handedBack: (() => Promise<void>) | undefined;
      if (!key.revokedAt) {
        key.revokedAt = new Date();
        this.audit.record(tx, actor.tenantId, { action: 'api_key.revoked', actor, target: { type: 'api_key', id: key.id }, ip });
        // Flushed first: the key's row lock orders this against a take-over by the key (handoff-agent.ts).
        await tx.flush();
        handedBack = await this.departures?.(tx, { kind: 'apiKey', tenantId: actor.tenantId, keyId: key.id });
      }
      return { revoked: key, released: handedBack };
    });
    await this.changes?.announce({ type: 'apiKeyRevoked', keyId: revoked.id });
    await released?.();
    return revoked;
  }

  /** Refuses keys with a wrong prefix or checksum: typos and guesses, known to be invalid without a query. */
  assertWellFormed(token: string): void {
    if (!isWellFormedApiKey(token)) throw DomainError.unauthenticated('The API key is not valid.');
  }

  /**
   * Resolves a presented key from the database (the authenticator caches the outcome). Malformed
   * keys are refused before any query. `lastUsedAt` is written when this runs and it is a minute old.
   */
  async authenticate(em: EntityManager, token: string): Promise<ApiKeyPrincipal> {
    const invalid = () => DomainError.unauthenticated('The API key is not valid.');
    this.assertWellFormed(token);
    const [found] = await em.execute<{ id: string; tenant_id: string }[]>(
      'select id, tenant_id from mascot_resolve_api_key(?)',
      [hashSecret(token)],
    );
    if (!found) throw invalid();
    return inTenant(em, found.tenant_id, async (tx) => {
      const key = await tx.findOneOrFail(ApiKey, { id: found.id });
      if (key.revokedAt) throw DomainError.unauthenticated('The API key has been revoked.');
      const now = Date.now();
      if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await tx.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: new Date(now) });
      }
      return { kind: 'apiKey', keyId: key.id, tenantId: key.tenantId, scopes: key.scopes };
    });
  }
}
