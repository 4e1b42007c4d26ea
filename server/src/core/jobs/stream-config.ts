import type { StreamConfig } from '@nats-io/jetstream';

export const DEFAULT_JOBS_STREAM = 'MASCOT_JOBS';
export const DEFAULT_JOBS_SUBJECT_PREFIX = 'jobs';

const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SUBJECT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

export type JobsStreamConfig = Partial<StreamConfig> & Pick<StreamConfig, 'name' | 'subjects' | 'duplicate_window'>;

export const nanos = (ms: number) => Math.round(ms * 1_000_000);

export interface JobsStreamNames {
  streamName?: string;
  subjectPrefix?: string;
  duplicateWindowMs?: number;
  /** Servers of a NATS cluster holding each job (1 on a single server). */
  replicas?: number;
}

/**
 * The jobs stream, as documented in nats/streams/jobs.json (a unit test keeps the two equal):
 * WorkQueue retention (a message is removed once acknowledged or terminated), file storage, and a
 * duplicate window for Nats-Msg-Id deduplication. Each queue is the subject `<prefix>.<queue>`.
 */
export function jobsStreamConfig(names: JobsStreamNames = {}): JobsStreamConfig {
  const name = names.streamName ?? DEFAULT_JOBS_STREAM;
  const prefix = names.subjectPrefix ?? DEFAULT_JOBS_SUBJECT_PREFIX;
  if (!STREAM_NAME.test(name)) throw new TypeError(`Invalid stream name ${JSON.stringify(name)}: use [A-Za-z0-9_-].`);
  if (!SUBJECT_TOKEN.test(prefix)) throw new TypeError(`Invalid subject prefix ${JSON.stringify(prefix)}: use one token of [A-Za-z0-9_-].`);
  return {
    name,
    description: 'Mascot background jobs: one durable pull consumer per queue, subject <prefix>.<queue>',
    subjects: [`${prefix}.>`],
    retention: 'workqueue',
    max_consumers: -1,
    max_msgs_per_subject: -1,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    max_msg_size: -1,
    storage: 'file',
    discard: 'old',
    num_replicas: names.replicas ?? 1,
    duplicate_window: nanos(names.duplicateWindowMs ?? 120_000),
    sealed: false,
    deny_delete: false,
    deny_purge: false,
    allow_rollup_hdrs: false,
    allow_direct: false,
    mirror_direct: false,
  };
}
