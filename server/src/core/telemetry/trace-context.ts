import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation } from '@opentelemetry/api';
import { tracingEnabled } from './tracing.ts';

/**
 * W3C Trace Context (`traceparent`, `tracestate`) across the server's edges, while tracing is on:
 * - in: a request that arrives with a `traceparent` is handled inside that remote span's context, so the
 *   server's spans (the `graphql.mutation …` root, the reply under it) join the caller's trace;
 * - out: every HTTP request the process makes through undici — `fetch` (the OpenAI and Anthropic SDKs) and the
 *   outbound policy's dispatcher (webhooks, OpenAI-compatible endpoints, website sources) — carries the
 *   active span's context, so the provider's or receiver's side of a call joins the same trace.
 * Off, a request costs one branch and nothing subscribes to undici's channel.
 */

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Wraps the HTTP server's request handler: with tracing on, the handler runs in the incoming trace's context. */
export function continueIncomingTrace(handler: RequestHandler): RequestHandler {
  return (req, res) => {
    if (!tracingEnabled() || req.headers.traceparent === undefined) {
      handler(req, res);
      return;
    }
    const incoming = propagation.extract(context.active(), req.headers);
    // Body chunks and 'finish' arrive on the socket's own async context; binding the emitters runs their
    // listeners in the request's trace too, as OpenTelemetry's HTTP instrumentation does.
    context.bind(incoming, req);
    context.bind(incoming, res);
    context.with(incoming, () => handler(req, res));
  };
}

/** The slice of an undici request the channel hands out that headers are added through (undici 6 and 7). */
interface UndiciRequest {
  addHeader?: (name: string, value: string) => unknown;
  headers?: string | string[];
}

const UNDICI_REQUEST_CREATED = 'undici:request:create';

/** Adds the active context's `traceparent` (and `tracestate`) to an outgoing undici request, if a span is active. */
function injectIntoOutgoing(message: unknown): void {
  const request = (message as { request?: UndiciRequest }).request;
  if (!request) return;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  for (const [name, value] of Object.entries(carrier)) {
    if (typeof request.addHeader === 'function') request.addHeader(name, value);
    else if (Array.isArray(request.headers)) request.headers.push(name, value);
    else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
  }
}

/**
 * Starts adding trace context to outgoing requests; returns the stop function. Node's built-in fetch and the
 * undici package publish on the same named channel, so one subscription covers both.
 */
export function propagateToOutgoingRequests(): () => void {
  subscribe(UNDICI_REQUEST_CREATED, injectIntoOutgoing);
  return () => void unsubscribe(UNDICI_REQUEST_CREATED, injectIntoOutgoing);
}
