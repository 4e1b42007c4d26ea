import { SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';

/** An attribute value: identifiers, counts, flags and names of things — never message text or secrets. */
export type SpanValue = string | number | boolean;

/** The little of a span the server uses; with tracing off, every span is the same do-nothing object. */
export interface TraceSpan {
  setAttribute(key: string, value: SpanValue): void;
  /** A moment inside the span (the first token of a reply). */
  addEvent(name: string): void;
  /** Marks the span failed with the error's code or class name only (messages can quote the visitor). */
  fail(error: unknown): void;
  end(): void;
}

const NOOP_SPAN: TraceSpan = Object.freeze({ setAttribute() {}, addEvent() {}, fail() {}, end() {} });

class OtelSpan implements TraceSpan {
  constructor(readonly span: Span) {}
  setAttribute(key: string, value: SpanValue): void {
    this.span.setAttribute(key, value);
  }
  addEvent(name: string): void {
    this.span.addEvent(name);
  }
  fail(error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    const type = typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown';
    this.span.setAttribute('error.type', type);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
  }
  end(): void {
    this.span.end();
  }
}

/**
 * Set by startTracing when an OTLP endpoint is configured, cleared when it stops. While unset, every
 * call below is a branch on this one variable: no span, context or attribute object is made, and the
 * OpenTelemetry SDK is never loaded (only the API, a few kilobytes).
 */
let tracer: Tracer | undefined;

export function setActiveTracer(next: Tracer | undefined): void {
  tracer = next;
}

export function tracingEnabled(): boolean {
  return tracer !== undefined;
}

/** Starts a span, child of the span active in this async context (if any). End it yourself. */
export function startSpan(name: string): TraceSpan {
  if (!tracer) return NOOP_SPAN;
  return new OtelSpan(tracer.startSpan(name));
}

/** Runs `work` with `span` active, so spans started inside it — across awaits too — are its children. */
export function withSpan<T>(span: TraceSpan, work: () => T): T {
  if (!(span instanceof OtelSpan)) return work();
  return context.with(trace.setSpan(context.active(), span.span), work);
}

/** A span around async work: active inside it, failed when it throws, ended when it settles. */
export function traced<T>(name: string, work: (span: TraceSpan) => Promise<T>): Promise<T> {
  // Not async itself: off, the caller gets `work`'s own promise, with no extra one wrapped around it.
  return tracer ? tracedWithSpan(name, work) : work(NOOP_SPAN);
}

async function tracedWithSpan<T>(name: string, work: (span: TraceSpan) => Promise<T>): Promise<T> {
  const span = startSpan(name);
  try {
    return await withSpan(span, () => work(span));
  } catch (error) {
    span.fail(error);
    throw error;
  } finally {
    span.end();
  }
}

/** The active trace and span ids, for log lines; undefined when tracing is off or no span is active. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  if (!tracer) return undefined;
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Sets an attribute on the active span (deep in a call path that has no span of its own to hand). */
export function annotateActiveSpan(key: string, value: SpanValue): void {
  if (!tracer) return;
  trace.getActiveSpan()?.setAttribute(key, value);
}

/** Marks the active span failed, as TraceSpan.fail does: the error's code or class name only. */
export function failActiveSpan(error: unknown): void {
  if (!tracer) return;
  const span = trace.getActiveSpan();
  if (span) new OtelSpan(span).fail(error);
}
