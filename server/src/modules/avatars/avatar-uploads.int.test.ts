import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadSigner } from '../../core/http/index.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { AvatarRejection, UploadRefusal } from './avatars.errors.ts';
import { MILO_FILE, miloBytes, tinyAvatar, unoptimizedMilo } from './test-avatars.ts';
import { HARNESS_SECRET, startAvatarHarness, type AvatarHarness, type TestTenant } from './test-harness.ts';

const CREATE_UPLOAD = /* GraphQL */ `
  mutation Upload($input: CreateAvatarUploadInput!) { createAvatarUpload(input: $input) { id uploadUrl expiresAt maxBytes } }`;
const AVATAR_FIELDS = 'id name contentHash url originalBytes optimizedBytes triangleCount clipNames morphTargets mouthMorphTargets blinkMorphTargets suggestedMapping createdAt';
const AVATAR = `query Avatar($id: ID!) { avatar(id: $id) { ${AVATAR_FIELDS} } }`;
const AVATARS = `query Avatars($first: Int, $after: String) { avatars(first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`;
const DELETE = `mutation Delete($id: ID!) { deleteAvatar(id: $id) }`;
const BUILTINS = `{ builtinAvatars { id name description contentHash url triangleCount clipNames morphTargets mouthMorphTargets blinkMorphTargets suggestedMapping } }`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MAX_UPLOAD = 4 * 1024 * 1024;

let harness: AvatarHarness;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  harness = await startAvatarHarness({ baseDatabaseUrl: process.env['DATABASE_URL'] || undefined, budgets: { maxUploadBytes: MAX_UPLOAD } });
  a = await harness.createTenant();
  b = await harness.createTenant();
});
afterAll(() => harness?.stop());

async function uploadUrl(tenant: TestTenant, byteSize: number, fileName = 'Robot.glb'): Promise<string> {
  const result = await harness.gql(tenant.owner, CREATE_UPLOAD, { input: { fileName, byteSize } });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.createAvatarUpload.uploadUrl;
}

async function put(url: string, bytes: Uint8Array, contentType = 'model/gltf-binary'): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body: bytes });
  return { status: response.status, body: await response.json() };
}

async function upload(tenant: TestTenant, bytes: Uint8Array, fileName?: string) {
  return put(await uploadUrl(tenant, bytes.byteLength, fileName), bytes);
}

const storedFiles = async () => (await readdir(harness.storageDir).catch(() => [] as string[])).sort();
const avatarRows = async (tenantId: string) =>
  (await ownerQuery<{ n: number }>(harness.databaseUrl, 'select count(*)::int as n from avatar_asset where tenant_id = $1', [tenantId]))[0]!.n;

describe('avatar upload URLs', () => {
  it('are signed, bound to the tenant and the declared size, and valid for five minutes', async () => {
    const before = Date.now();
    const { data } = await harness.gql(a.owner, CREATE_UPLOAD, { input: { fileName: 'Robot.glb', byteSize: 1000 } });
    const created = data.createAvatarUpload;
    const url = new URL(created.uploadUrl);
    expect(url.origin + url.pathname).toBe(`${harness.url}/uploads/avatars/${created.id}`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ tenant: a.tenantId, max: '1000', sig: expect.any(String) });
    expect(created.maxBytes).toBe(1000);
    const ttl = Date.parse(created.expiresAt) - before;
    expect(ttl).toBeGreaterThan(4 * 60_000);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000);
  });

  it('need bots:write; anonymous callers, viewers and read-only keys are refused', async () => {
    const input = { fileName: 'x.glb', byteSize: 10 };
    expect((await harness.gql(a.writeKey, CREATE_UPLOAD, { input })).errors).toBeUndefined();
    expect((await harness.gql(a.viewer, CREATE_UPLOAD, { input })).errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await harness.gql(a.readKey, CREATE_UPLOAD, { input })).errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await harness.gql({ kind: 'anonymous' }, CREATE_UPLOAD, { input })).errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('are refused for files over the size budget or without a name', async () => {
    const tooBig = await harness.gql(a.owner, CREATE_UPLOAD, { input: { fileName: 'big.glb', byteSize: MAX_UPLOAD + 1 } });
    expect(tooBig.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: AvatarRejection.TOO_LARGE, maxBytes: MAX_UPLOAD });
    const unnamed = await harness.gql(a.owner, CREATE_UPLOAD, { input: { fileName: '  ', byteSize: 10 } });
    expect(unnamed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'fileName' }] });
  });
});

describe('uploading a GLB to its URL', () => {
  it('validates, optimises and stores it, answering the avatar with its clips, morph targets and suggested mapping', async () => {
    const milo = await miloBytes();
    const { status, body } = await upload(a, milo, 'Milo the robot.glb');
    expect(status).toBe(201);
    const avatar = body.avatar;
    expect(avatar).toMatchObject({
      name: 'Milo the robot',
      originalBytes: milo.byteLength,
      url: `${harness.url}/assets/avatars/${avatar.contentHash}.glb`,
      mouthMorphTargets: ['mouthOpen', 'mouthSmile', 'mouthRound', 'mouthClosed', 'mouthFrown'],
      blinkMorphTargets: ['blinkLeft', 'blinkRight'],
    });
    expect(avatar.clipNames).toHaveLength(20);
    expect(avatar.suggestedMapping).toMatchObject({ idle: 'idle', greet_wave: 'greet_wave', thumbs_up: 'thumbs_up' });
    expect(await storedFiles()).toContain(`${avatar.contentHash}.glb`);
    const { data } = await harness.gql(a.viewer, AVATAR, { id: avatar.id });
    expect(data.avatar).toEqual(avatar);
  });

  it('shrinks an unoptimised export and keeps every clip and morph target; the served file has the reported hash', async () => {
    const raw = await unoptimizedMilo();
    const { status, body } = await upload(a, raw);
    expect(status).toBe(201);
    expect(body.avatar.optimizedBytes).toBeLessThan(raw.byteLength / 2);
    const milo = (await harness.gql(a.owner, BUILTINS)).data.builtinAvatars.find((x: { id: string }) => x.id === 'milo');
    expect(body.avatar.clipNames).toEqual(milo.clipNames);
    expect(body.avatar.morphTargets).toEqual(milo.morphTargets);
    const served = new Uint8Array(await (await fetch(body.avatar.url)).arrayBuffer());
    expect(served.byteLength).toBe(body.avatar.optimizedBytes);
    expect(sha256(served)).toBe(body.avatar.contentHash);
  });

  it('works once: a second PUT is refused, and of concurrent PUTs exactly one wins', async () => {
    const bytes = await tinyAvatar({ clips: ['idle', 'wave'] });
    const url = await uploadUrl(a, bytes.byteLength);
    expect((await put(url, bytes)).status).toBe(201);
    const again = await put(url, bytes);
    expect(again).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', details: { reason: UploadRefusal.ALREADY_USED } } } });

    const racing = await tinyAvatar({ clips: ['idle', 'race'] });
    const raceUrl = await uploadUrl(a, racing.byteLength);
    const statuses = (await Promise.all(Array.from({ length: 5 }, () => put(raceUrl, racing)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 403)).toHaveLength(4);
  });

  it('refuses tampered and expired URLs with 403', async () => {
    const bytes = await tinyAvatar();
    const url = new URL(await uploadUrl(a, bytes.byteLength));
    const tampered = (name: string, value: string) => {
      const copy = new URL(url);
      copy.searchParams.set(name, value);
      return copy.toString();
    };
    for (const candidate of [tampered('max', '99999999'), tampered('sig', 'AAAA'), tampered('expires', '4102444800'), url.origin + url.pathname]) {
      expect(await put(candidate, bytes)).toMatchObject({ status: 403, body: { error: { details: { reason: UploadRefusal.SIGNATURE_INVALID } } } });
    }
    const uploadId = url.pathname.split('/').pop()!;
    const expired = createUploadSigner(HARNESS_SECRET, 'avatar').query({ tenantId: a.tenantId, uploadId, expiresAt: new Date(Date.now() - 1000), maxBytes: bytes.byteLength });
    expect(await put(`${url.origin}${url.pathname}?${expired}`, bytes)).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN', details: { reason: UploadRefusal.EXPIRED } } },
    });
    // None of these used the URL up.
    expect((await put(url.toString(), bytes)).status).toBe(201);
  });

  it("cannot put a file into another tenant: the signature binds the tenant, and a validly signed other tenant finds no upload", async () => {
    const bytes = await tinyAvatar({ clips: ['idle', 'sneak'] });
    const url = new URL(await uploadUrl(a, bytes.byteLength));
    url.searchParams.set('tenant', b.tenantId);
    expect((await put(url.toString(), bytes)).body.error.details.reason).toBe(UploadRefusal.SIGNATURE_INVALID);
    // Even with the server's secret, A's upload id signed for B is invisible in B (row-level security).
    const uploadId = url.pathname.split('/').pop()!;
    const forB = createUploadSigner(HARNESS_SECRET, 'avatar').query({ tenantId: b.tenantId, uploadId, expiresAt: new Date(Date.now() + 60_000), maxBytes: bytes.byteLength });
    expect(await put(`${url.origin}${url.pathname}?${forB}`, bytes)).toMatchObject({ status: 403, body: { error: { details: { reason: UploadRefusal.ALREADY_USED } } } });
    expect(await avatarRows(b.tenantId)).toBe(0);
  });

  it('refuses bodies over the URL\'s size with 413, declared or streamed, storing nothing', async () => {
    const milo = await miloBytes();
    const files = await storedFiles();
    const small = await uploadUrl(b, 1000);
    expect(await put(small, milo)).toMatchObject({ status: 413, body: { error: { code: 'BAD_USER_INPUT', details: { reason: AvatarRejection.TOO_LARGE, maxBytes: 1000 } } } });

    // Chunked, without Content-Length: refused once the running total passes the limit.
    const chunkedUrl = new URL(await uploadUrl(b, 1000));
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(chunkedUrl, { method: 'PUT', headers: { 'content-type': 'model/gltf-binary', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      const chunk = milo.subarray(0, 600);
      req.write(chunk);
      req.write(chunk, () => setTimeout(() => req.destroyed || req.end(), 200));
    });
    expect(status).toBe(413);
    expect(await storedFiles()).toEqual(files);
    expect(await avatarRows(b.tenantId)).toBe(0);
  });

  it('refuses other content types with 415', async () => {
    const bytes = await tinyAvatar();
    expect(await put(await uploadUrl(b, bytes.byteLength), bytes, 'application/json')).toMatchObject({
      status: 415,
      body: { error: { details: { reason: UploadRefusal.UNSUPPORTED_MEDIA_TYPE } } },
    });
  });

  it('refuses invalid models with 422 and the reason, leaving no file and no avatar row', async () => {
    const files = await storedFiles();
    const garbage = new Uint8Array(2048).map((_, i) => (i * 31) % 256);
    const cases: [Uint8Array, string][] = [
      [garbage, AvatarRejection.INVALID_GLB],
      [await tinyAvatar({ skinned: false }), AvatarRejection.NOT_SKINNED],
      [await tinyAvatar({ clips: [] }), AvatarRejection.NO_ANIMATIONS],
      [await tinyAvatar({ clips: ['wave', 'wave'] }), AvatarRejection.BAD_CLIP_NAMES],
    ];
    for (const [bytes, reason] of cases) {
      const { status, body } = await upload(b, bytes);
      expect(status, reason).toBe(422);
      expect(body.error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.any(String), details: { reason } });
    }
    expect(await storedFiles()).toEqual(files);
    expect(await avatarRows(b.tenantId)).toBe(0);
  });

  it('dedupes identical uploads: one row per tenant, one file for everyone', async () => {
    const bytes = await tinyAvatar({ clips: ['idle', 'dedupe'] });
    const first = await upload(a, bytes, 'first.glb');
    const second = await upload(a, bytes, 'second.glb');
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.avatar).toEqual(first.body.avatar);
    const other = await upload(b, bytes);
    expect(other.status).toBe(201);
    expect(other.body.avatar.id).not.toBe(first.body.avatar.id);
    expect(other.body.avatar.contentHash).toBe(first.body.avatar.contentHash);
    expect((await storedFiles()).filter((f) => f.startsWith(first.body.avatar.contentHash))).toHaveLength(1);
  });
});

describe('serving avatar files', () => {
  it('serves by content hash with immutable caching, an ETag and the GLB media type', async () => {
    const { body } = await upload(a, await tinyAvatar({ clips: ['idle', 'served'] }));
    const identity = { 'accept-encoding': 'identity' };
    const response = await fetch(body.avatar.url, { headers: identity });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'model/gltf-binary',
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${body.avatar.contentHash}"`,
      'content-length': String(body.avatar.optimizedBytes),
      'access-control-allow-origin': '*',
    });
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(body.avatar.contentHash);
    const revalidated = await fetch(body.avatar.url, { headers: { 'if-none-match': `"${body.avatar.contentHash}"` } });
    expect(revalidated.status).toBe(304);
    const head = await fetch(body.avatar.url, { method: 'HEAD', headers: identity });
    expect(head.headers.get('content-length')).toBe(String(body.avatar.optimizedBytes));
  });

  it('sends a brotli or gzip copy, made once in the background, to clients that accept one', async () => {
    const packaged = new Uint8Array(await readFile(MILO_FILE));
    const url = `${harness.url}/assets/avatars/${sha256(packaged)}.glb`;
    const raw = (acceptEncoding: string) => new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      // node:http: fetch would decode the body and hide what went over the wire.
      request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) })).on('error', reject);
      }).on('error', reject).end();
    });
    // The first request starts the compression and is answered with the original right away.
    await expect.poll(async () => (await raw('gzip, deflate, br')).headers['content-encoding'], { timeout: 10_000 }).toBe('br');
    const br = await raw('gzip, deflate, br');
    expect(br.headers).toMatchObject({ 'content-type': 'model/gltf-binary', 'cache-control': 'public, max-age=31536000, immutable', etag: `"${sha256(packaged)}.br"` });
    expect(String(br.headers['vary'])).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(packaged.length / 2);
    expect(sha256(brotliDecompressSync(br.body))).toBe(sha256(packaged));
    await expect.poll(async () => (await raw('gzip')).headers['content-encoding'], { timeout: 10_000 }).toBe('gzip');
    expect(sha256(gunzipSync((await raw('gzip')).body))).toBe(sha256(packaged));
    const plain = await raw('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(sha256(plain.body)).toBe(sha256(packaged));
  });

  it('answers 404 for unknown hashes and 400 for anything that is not a hash', async () => {
    const unknown = await fetch(`${harness.url}/assets/avatars/${'0'.repeat(64)}.glb`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    for (const name of ['milo.glb', `${'A'.repeat(64)}.glb`, `${'0'.repeat(64)}`, '..%2F..%2Fetc%2Fpasswd']) {
      expect((await fetch(`${harness.url}/assets/avatars/${name}`)).status, name).toBe(400);
    }
  });

  it('serves the built-in avatars the same way and lists them publicly', async () => {
    const { data, errors } = await harness.gql({ kind: 'anonymous' }, BUILTINS);
    expect(errors).toBeUndefined();
    expect(data.builtinAvatars.map((x: { id: string }) => x.id)).toEqual(['milo', 'pip']);
    const milo = data.builtinAvatars[0];
    const packaged = new Uint8Array(await readFile(MILO_FILE));
    expect(milo).toMatchObject({ name: 'Milo', contentHash: sha256(packaged), url: `${harness.url}/assets/avatars/${sha256(packaged)}.glb` });
    expect(milo.clipNames).toHaveLength(20);
    expect(milo.blinkMorphTargets).toEqual(['blinkLeft', 'blinkRight']);
    expect(milo.suggestedMapping.idle).toBe('idle');
    const response = await fetch(milo.url);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(packaged))).toBe(true);
  });
});

describe('listing and deleting avatars', () => {
  it('lists only the tenant\'s avatars, newest first, in bounded pages', async () => {
    const c = await harness.createTenant();
    for (const clip of ['one', 'two', 'three']) await upload(c, await tinyAvatar({ clips: [clip] }), `${clip}.glb`);
    const first = await harness.gql(c.readKey, AVATARS, { first: 2 });
    expect(first.data.avatars.edges.map((e: any) => e.node.name)).toEqual(['three', 'two']);
    expect(first.data.avatars.pageInfo.hasNextPage).toBe(true);
    const rest = await harness.gql(c.readKey, AVATARS, { first: 2, after: first.data.avatars.pageInfo.endCursor });
    expect(rest.data.avatars.edges.map((e: any) => e.node.name)).toEqual(['one']);
    expect((await harness.gql(c.owner, AVATARS, { first: 500 })).errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it("answers NOT_FOUND for another tenant's avatar, to read or delete, and BAD_USER_INPUT for a malformed id", async () => {
    const { body } = await upload(a, await tinyAvatar({ clips: ['idle', 'private'] }));
    for (const [operation, principal] of [[AVATAR, b.owner], [DELETE, b.owner], [AVATAR, b.readKey]] as const) {
      const result = await harness.gql(principal, operation, { id: body.avatar.id });
      expect(result.errors![0]!.extensions.code).toBe('NOT_FOUND');
      expect(result.data ?? null).toBeNull();
    }
    expect((await harness.gql(a.owner, AVATAR, { id: 'not-an-id' })).errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect((await harness.gql(a.owner, AVATAR, { id: body.avatar.id })).data.avatar.id).toBe(body.avatar.id);
  });

  it('deletes from the list with bots:write, keeping the immutable file for bots published with it', async () => {
    const { body } = await upload(a, await tinyAvatar({ clips: ['idle', 'doomed'] }));
    expect((await harness.gql(a.viewer, DELETE, { id: body.avatar.id })).errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await harness.gql(a.owner, DELETE, { id: body.avatar.id })).data.deleteAvatar).toBe(body.avatar.id);
    expect((await harness.gql(a.owner, AVATAR, { id: body.avatar.id })).errors![0]!.extensions.code).toBe('NOT_FOUND');
    expect((await fetch(body.avatar.url)).status).toBe(200);
  });

  it('keeps avatar tables under forced row-level security', async () => {
    const tables = await ownerQuery<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      harness.databaseUrl,
      `select relname, relrowsecurity, relforcerowsecurity from pg_class where relname in ('avatar_asset', 'avatar_upload') order by relname`,
    );
    expect(tables).toEqual([
      { relname: 'avatar_asset', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'avatar_upload', relrowsecurity: true, relforcerowsecurity: true },
    ]);
    const [visible] = await harness.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from avatar_asset');
    expect(visible!.n).toBe(0);
  });
});
