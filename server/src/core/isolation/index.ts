export { IsolatedTaskError, IsolationFailure, runIsolated, workerBeside, type IsolationFailureCode, type IsolationLimits } from './run-isolated.ts';
export { serveIsolatedTask, type IsolatedReply, type SerializedError } from './isolated-task.ts';
