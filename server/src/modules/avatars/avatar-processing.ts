import type { AvatarBudgets } from '@mascot/glb-rules';
import { DomainError } from '../../core/errors/index.ts';
import { IsolatedTaskError, IsolationFailure, runIsolated, workerBeside, type IsolationLimits } from '../../core/isolation/index.ts';
import { AvatarProcessingStopped, avatarRejected } from './avatars.errors.ts';
import type { AvatarInspection } from './glb-validation.ts';

/** A GLB for the worker; `bytes` is moved to it (the caller's copy becomes empty). */
export interface AvatarProcessingRequest {
  bytes: Uint8Array;
  budgets: AvatarBudgets;
}

/** What the validator learnt about an accepted model, and the optimised GLB to store. */
export type ProcessedAvatar = Omit<AvatarInspection, 'document'> & { optimized: Uint8Array };

/** Time and memory of one upload's validation and optimisation (MASCOT_AVATAR_PROCESS_*). */
export const DEFAULT_AVATAR_PROCESSING_LIMITS: IsolationLimits = { timeoutMs: 120_000, maxMemoryMb: 1024 };

const WORKER = workerBeside(import.meta.url, 'avatar-processing.worker');

/**
 * inspectAvatarGlb then optimizeAvatar, in a worker thread within `limits` (docs/ARCHITECTURE.md: every
 * untrusted file is parsed off the main thread with limits). Refusals come back as the same
 * BAD_USER_INPUT DomainErrors the validator throws; a worker stopped by its limits is refused with
 * `details.reason` AVATAR_PROCESSING_TIMEOUT or AVATAR_PROCESSING_OUT_OF_MEMORY.
 */
export async function processAvatarInWorker(bytes: Uint8Array, budgets: AvatarBudgets, limits: IsolationLimits): Promise<ProcessedAvatar> {
  const own = new Uint8Array(bytes); // a private copy whose memory moves to the worker
  try {
    return await runIsolated<ProcessedAvatar>(WORKER, { bytes: own, budgets } satisfies AvatarProcessingRequest, limits, [own.buffer]);
  } catch (error) {
    if (error instanceof IsolatedTaskError && error.remoteName === 'DomainError') {
      throw new DomainError(error.fields['code'] as DomainError['code'], error.message, error.fields['details'] as DomainError['details']);
    }
    if (error instanceof IsolationFailure && error.code === 'TIMEOUT') {
      throw avatarRejected(AvatarProcessingStopped.TIMEOUT, `Processing the model took longer than ${Math.round(limits.timeoutMs / 1000)} s; simplify it and upload it again.`, {}, { cause: error });
    }
    if (error instanceof IsolationFailure && error.code === 'OUT_OF_MEMORY') {
      throw avatarRejected(AvatarProcessingStopped.OUT_OF_MEMORY, `Processing the model needed more than ${limits.maxMemoryMb} MB of memory; simplify it and upload it again.`, {}, { cause: error });
    }
    throw error;
  }
}
