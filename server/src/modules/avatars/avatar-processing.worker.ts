// Worker thread: validates and optimises one uploaded GLB off the server's main thread (started by
// processAvatarInWorker through core/isolation). Decoding, welding, resampling and texture work hold
// the CPU for seconds on a large model; the owner stops it by time and memory.
import { serveIsolatedTask } from '../../core/isolation/index.ts';
import type { AvatarProcessingRequest, ProcessedAvatar } from './avatar-processing.ts';
import { optimizeAvatar } from './glb-optimization.ts';
import { inspectAvatarGlb } from './glb-validation.ts';

serveIsolatedTask<AvatarProcessingRequest, ProcessedAvatar>(async ({ bytes, budgets }) => {
  const inspection = await inspectAvatarGlb(bytes, budgets);
  const optimized = await optimizeAvatar(inspection.document);
  const { triangleCount, clipNames, clipDurations, morphTargets, textureCount } = inspection;
  return {
    value: { optimized, triangleCount, clipNames, clipDurations, morphTargets, textureCount },
    transfer: [optimized.buffer as ArrayBuffer],
  };
});
