import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors/index.ts';
import { AuditService } from '../audit/index.ts';
import { ApiKeysService } from './api-keys.service.ts';
import { generateApiKey } from './api-key-format.ts';
import { createAuthenticator } from './authenticator.ts';
import { createTokenService } from './token-service.ts';

/** An EntityManager that fails the test if anything touches it: proves no database read happens. */
const untouchable = new Proxy({}, {
  get(_target, property) {
    throw new Error(`the database was used (${String(property)})`);
  },
}) as EntityManager;

const authenticate = createAuthenticator(createTokenService('x'.repeat(40)), new ApiKeysService(new AuditService()));

async function refusal(header: string | undefined) {
  return authenticate(() => untouchable, header).then(() => undefined, (error: unknown) => error);
}

describe('authenticate', () => {
  it('refuses malformed API keys and bad checksums without reading the database', async () => {
    const key = generateApiKey();
    const badChecksum = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    for (const token of ['mk_short', `mk_${'A'.repeat(36)}`, badChecksum]) {
      const error = await refusal(`Bearer ${token}`);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses bad JWTs and malformed headers without reading the database', async () => {
    for (const header of ['Bearer not.a.jwt', 'Basic abc', 'Bearer', 'Bearer a b']) {
      expect(((await refusal(header)) as DomainError).code).toBe('UNAUTHENTICATED');
    }
  });

  it('treats a missing header as anonymous', async () => {
    expect(await authenticate(() => untouchable, undefined)).toEqual({ kind: 'anonymous' });
  });
});
