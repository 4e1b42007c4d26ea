import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
// s3rver ships no types; its constructor options and run()/close() are all this kit uses.
// @ts-expect-error -- untyped package (README: "Running it programmatically")
import S3rver from 's3rver';
import type { S3StorageConfig } from '../core/storage/index.ts';

export interface TestS3Server {
  /** The settings a server needs to use this store (MASCOT_STORAGE=s3 and MASCOT_S3_*). */
  env: Record<string, string>;
  config: S3StorageConfig;
  stop(): Promise<void>;
}

const BUCKET = 'mascot-test';
// s3rver's fixed development credentials (its README): signatures are checked with them.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A real S3-compatible server (s3rver) on a random loopback port, with one empty bucket in a temporary directory. */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'mascot-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    env: {
      MASCOT_STORAGE: 's3',
      MASCOT_S3_BUCKET: BUCKET,
      MASCOT_S3_ENDPOINT: endpoint,
      MASCOT_S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      MASCOT_S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
    config: { kind: 's3', bucket: BUCKET, endpoint, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, prefix: '' },
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
