import type { TelemetryConfig } from '../config/index.ts';
// pino's type, not core/logging's re-export: core/logging imports this folder (trace ids on log lines).
import type { Logger } from 'pino';
import { propagateToOutgoingRequests } from './trace-context.ts';
import { setActiveTracer, tracingEnabled } from './tracing.ts';

export interface Tracing {
  /** Sends the spans still buffered and stops tracing (server shutdown). */
  stop(): Promise<void>;
}

const OFF: Tracing = { stop: async () => {} };

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured. The SDK, the exporter and the
 * AsyncLocalStorage context manager are imported here, on demand: a server without OTEL_* settings
 * never loads them. One tracer per process (the API is global); a second server in the same process
 * (tests) finds it running and leaves it to the first.
 */
export async function startTracing(config: TelemetryConfig, logger: Logger): Promise<Tracing> {
  if (!config.enabled) return OFF;
  if (tracingEnabled()) {
    logger.warn('tracing is already running in this process; this server reports through it');
    return OFF;
  }
  const [api, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, sdk, { resourceFromAttributes }, exporterModule] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    config.protocol === 'http/json' ? import('@opentelemetry/exporter-trace-otlp-http') : import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  const exporter = new exporterModule.OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers });
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(config.sampleRatio) }),
    // Batched off the reply path: spans are queued in memory and sent every few seconds.
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: config.exportDelayMs })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  api.context.setGlobalContextManager(contextManager);
  api.trace.setGlobalTracerProvider(provider);
  // W3C traceparent in from callers (continueIncomingTrace) and out to providers and webhooks.
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const stopPropagating = propagateToOutgoingRequests();
  setActiveTracer(provider.getTracer('mascot-server'));
  // The URL says where; headers may carry a collector's key and are never logged.
  logger.info({ tracesUrl: config.tracesUrl, protocol: config.protocol, sampleRatio: config.sampleRatio }, 'OpenTelemetry tracing on');
  return {
    async stop() {
      setActiveTracer(undefined);
      stopPropagating();
      try {
        await provider.shutdown();
      } finally {
        api.trace.disable();
        api.propagation.disable();
        api.context.disable();
      }
    },
  };
}
