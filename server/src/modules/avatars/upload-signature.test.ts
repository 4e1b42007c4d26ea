import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createUploadSigner, type UploadGrant } from '../../core/http/index.ts';

const SECRET = 'a-server-secret-of-at-least-32-characters';
const grant: UploadGrant = { tenantId: randomUUID(), uploadId: randomUUID(), expiresAt: new Date(1_900_000_000_000), maxBytes: 1234 };
const queryOf = (text: string) => Object.fromEntries(new URLSearchParams(text)) as Record<string, string>;

describe('avatar upload URL signatures', () => {
  const signer = createUploadSigner(SECRET, 'avatar');

  it('verifies what it signed and returns the grant', () => {
    expect(signer.verify(grant.uploadId, queryOf(signer.query(grant)))).toEqual(grant);
  });

  it('refuses any changed field, another upload id, another secret or purpose, and missing or malformed parameters', () => {
    const query = queryOf(signer.query(grant));
    const refused = [
      { ...query, tenant: randomUUID() },
      { ...query, expires: String(Number(query['expires']) + 3600) },
      { ...query, max: '99999999' },
      { ...query, sig: query['sig']!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) },
      { ...query, sig: '' },
      { tenant: query['tenant'], expires: query['expires'], max: query['max'] },
      { ...query, tenant: ['a', 'b'] },
      { ...query, max: '1e9' },
    ];
    for (const candidate of refused) expect(signer.verify(grant.uploadId, candidate)).toBeNull();
    expect(signer.verify(randomUUID(), query)).toBeNull();
    expect(signer.verify('../../etc', query)).toBeNull();
    expect(createUploadSigner('another-secret-of-at-least-32-characters', 'avatar').verify(grant.uploadId, query)).toBeNull();
    // A URL signed for another kind of upload (knowledge files) is not an avatar upload URL.
    const knowledge = createUploadSigner(SECRET, 'knowledge');
    expect(signer.verify(grant.uploadId, queryOf(knowledge.query(grant)))).toBeNull();
  });
});
