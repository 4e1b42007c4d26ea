import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/index.ts';
import { publishedBot } from '../../test/fixtures.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { onlySpanNamed, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../test/otlp-receiver.ts';
import { SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { loadConfig } from '../config/index.ts';
import { startTracing } from './start-tracing.ts';
import { startSpan, tracingEnabled, withSpan } from './tracing.ts';

const QUESTION = 'How much does the Pro plan cost per month?';

describe('a visitor message traced end to end and exported over OTLP', { timeout: 120_000 }, () => {
  let receiver: OtlpReceiver;
  let server: TestServer;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    server = await startTestServer({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=test-key',
      OTEL_SERVICE_NAME: 'mascot-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    const bot = await publishedBot(server.graphqlUrl);
    const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: startConversation.conversationId, text: QUESTION }, startConversation.visitorToken);
    // The reply is stored last: once its span is in, the whole trace is.
    await vi.waitFor(() => expect(receiver.spans().map((s) => s.name)).toContain('mascot.reply.store'), { timeout: 30_000, interval: 50 });
    spans = receiver.spans();
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  const named = (name: string) => onlySpanNamed(spans, name);

  it('has the mutation as root and retrieval, provider call (with its first token) and storing as children of the reply', () => {
    const mutation = named('graphql.mutation sendMessage');
    const reply = named('mascot.reply');
    const retrieval = named('mascot.retrieval');
    const provider = named('mascot.provider');
    const store = named('mascot.reply.store');
    expect(mutation.parentSpanId).toBe('');
    expect(reply.parentSpanId).toBe(mutation.spanId);
    for (const child of [retrieval, provider, store]) expect(child.parentSpanId, child.name).toBe(reply.spanId);
    for (const span of [reply, retrieval, provider, store]) expect(span.traceId, span.name).toBe(mutation.traceId);
    expect(provider.events).toEqual(['first_token']);
  });

  it('carries identifiers and outcomes as attributes, and the service name as a resource', () => {
    expect(named('mascot.reply').attributes).toMatchObject({ 'mascot.conversation_id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'mascot.reply.source': 'provider' });
    expect(named('mascot.provider').attributes).toMatchObject({ 'mascot.provider': 'offline' });
    expect(named('mascot.reply').resource).toMatchObject({ 'service.name': 'mascot-under-test' });
  });

  it('never exports the message text or the collector key, and sends the configured headers', () => {
    const body = receiver.exports.map((e) => e.body.toString('utf8')).join('\n');
    expect(body).not.toContain('Pro plan');
    expect(body).not.toContain('test-key');
    expect(receiver.exports.every((e) => e.headers['x-collector-key'] === 'test-key')).toBe(true);
  });
});

describe('tracing settings', () => {
  it('are off by default: spans are one shared do-nothing object, and nothing is loaded or sent', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.telemetry).toEqual({ enabled: false });
    await startTracing(config.telemetry, createLogger('silent'));
    expect(tracingEnabled()).toBe(false);
    expect(startSpan('a')).toBe(startSpan('b'));
  });

  it('export OTLP/HTTP protobuf by default, to the endpoint the standard variables name', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const config = loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces` });
      expect(config.telemetry).toMatchObject({ enabled: true, protocol: 'http/protobuf', tracesUrl: `${receiver.url}/v1/traces` });
      const tracing = await startTracing(config.telemetry, createLogger('silent'));
      // Log lines written inside a span carry its trace and span ids; others none.
      const lines: Record<string, unknown>[] = [];
      const logger = createLogger('info', 'mascot', { traceIds: true, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
      const span = startSpan('mascot.protobuf-check');
      withSpan(span, () => logger.info('inside'));
      logger.info('outside');
      span.end();
      expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/), span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(lines[1]!['trace_id']).toBeUndefined();
      await tracing.stop(); // flushes
      expect(tracingEnabled()).toBe(false);
      expect(receiver.exports).toHaveLength(1);
      expect(receiver.exports[0]!.headers['content-type']).toBe('application/x-protobuf');
      // Protobuf keeps strings as UTF-8 bytes: the span's name is in the body as written.
      expect(receiver.exports[0]!.body.includes(Buffer.from('mascot.protobuf-check'))).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('refuse what they cannot do with a clear message', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/gRPC is not supported/);
    expect(() => loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must start with http/);
    expect(() => loadConfig({ NODE_ENV: 'test', MASCOT_STORAGE: 's3' })).toThrow(/MASCOT_S3_BUCKET: required/);
  });
});
