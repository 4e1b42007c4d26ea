export type {
  ConsumeOptions,
  EnqueueOptions,
  Job,
  JobConsumer,
  JobHandler,
  JobQueue,
  JobQueueBaseOptions,
} from './job-queue.ts';
export { JobAttemptsExhaustedError } from './job-queue.ts';
export { createInProcessJobQueue, type InProcessJobQueueOptions } from './in-process-job-queue.ts';
export {
  connectJetStreamJobQueue,
  createJetStreamJobQueue,
  type JetStreamJobQueueOptions,
} from './jetstream-job-queue.ts';
export { DEFAULT_JOBS_STREAM, DEFAULT_JOBS_SUBJECT_PREFIX, jobsStreamConfig } from './stream-config.ts';
export { startRepeatingSweep } from './repeating-sweep.ts';
