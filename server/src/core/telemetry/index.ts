export {
  activeTraceIds,
  annotateActiveSpan,
  failActiveSpan,
  startSpan,
  traced,
  tracingEnabled,
  withSpan,
  type SpanValue,
  type TraceSpan,
} from './tracing.ts';
export { startTracing, type Tracing } from './start-tracing.ts';
export { continueIncomingTrace } from './trace-context.ts';
