import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { retryDelay } from './job-queue.ts';
import { jobsStreamConfig } from './stream-config.ts';

describe('jobs stream config', () => {
  it('is what nats/streams/jobs.json documents', async () => {
    const documented = JSON.parse(await readFile(new URL('../../../../nats/streams/jobs.json', import.meta.url), 'utf8'));
    expect(jobsStreamConfig()).toEqual(documented);
  });

  it('takes a stream name, subject prefix and duplicate window, and refuses unsafe ones', () => {
    const config = jobsStreamConfig({ streamName: 'TEST_1', subjectPrefix: 'jobs-test-1', duplicateWindowMs: 5000 });
    expect(config).toMatchObject({ name: 'TEST_1', subjects: ['jobs-test-1.>'], duplicate_window: 5_000_000_000 });
    expect(() => jobsStreamConfig({ streamName: 'A.B' })).toThrow(/stream name/);
    expect(() => jobsStreamConfig({ subjectPrefix: 'jobs.x' })).toThrow(/subject prefix/);
    expect(() => jobsStreamConfig({ subjectPrefix: '*' })).toThrow(/subject prefix/);
  });

  it('keeps one copy of each job unless a NATS cluster is given more (MASCOT_JOBS_STREAM_REPLICAS)', () => {
    expect(jobsStreamConfig().num_replicas).toBe(1);
    expect(jobsStreamConfig({ replicas: 3 }).num_replicas).toBe(3);
  });
});

describe('retryDelay', () => {
  it('uses the delay for the failed attempt and repeats the last one', () => {
    expect([1, 2, 3, 4, 10].map((attempt) => retryDelay([100, 200, 300], attempt))).toEqual([100, 200, 300, 300, 300]);
  });
});
