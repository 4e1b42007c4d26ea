import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeOpenAiServer, type FakeProviderServer } from '../test/fake-openai-server.ts';
import { publishedBot } from '../test/fixtures.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { onlySpanNamed, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../test/otlp-receiver.ts';
import { SEND_MESSAGE, START_CONVERSATION } from '../test/operations.ts';
import { publishProviderChain } from '../test/provider-chain.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

/*
 * Issue 20: W3C Trace Context across the server's edges. A caller's `traceparent` on the sendMessage request
 * makes the server's spans part of the caller's trace (the mutation's span is the caller span's child), and the
 * provider request the reply makes carries the trace on to the provider, naming the server's reply span as its
 * parent. Checked with a local OTLP receiver and a local server speaking OpenAI's wire protocol.
 */

const W3C_TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('W3C trace context in and out', { timeout: 120_000 }, () => {
  let receiver: OtlpReceiver;
  let openai: FakeProviderServer;
  let server: TestServer;
  const callerTraceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    [receiver, openai] = await Promise.all([startOtlpReceiver(), startFakeOpenAiServer()]);
    server = await startTestServer({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OPENAI_API_KEY: 'sk-trace-context-0123456789',
      OPENAI_BASE_URL: openai.url,
    });
    const bot = await publishedBot(server.graphqlUrl);
    await publishProviderChain(server.graphqlUrl, bot, [{ provider: 'openai', model: 'gpt-4o-mini' }]);
    const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${session.visitorToken}`,
        traceparent: `00-${callerTraceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({ query: SEND_MESSAGE, variables: { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' } }),
    });
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(receiver.spans().map((s) => s.name)).toContain('mascot.reply.store'), { timeout: 30_000, interval: 50 });
    spans = receiver.spans();
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([receiver?.close(), openai?.close()]);
  });

  const named = (name: string) => onlySpanNamed(spans, name);

  it("continues the caller's trace: the mutation's span is the child of the caller's span", () => {
    const mutation = named('graphql.mutation sendMessage');
    expect(mutation.traceId).toBe(callerTraceId);
    expect(mutation.parentSpanId).toBe(callerSpanId);
    for (const name of ['mascot.reply', 'mascot.retrieval', 'mascot.provider', 'mascot.reply.store']) expect(named(name).traceId, name).toBe(callerTraceId);
  });

  it("sends the trace on to the provider, with the reply's span as the parent", () => {
    const completions = openai.requests.filter((request) => request.path.endsWith('/chat/completions'));
    expect(completions).toHaveLength(1);
    const [, traceId, parentId] = String(completions[0]!.headers.traceparent).match(W3C_TRACEPARENT) ?? [];
    expect(traceId).toBe(callerTraceId);
    // The span active when the request went out: the reply's (mascot.provider is started beside it, not made active).
    expect(parentId).toBe(named('mascot.reply').spanId);
  });

  it('sends no trace context to the OTLP collector itself', () => {
    expect(receiver.exports.every((e) => e.headers.traceparent === undefined)).toBe(true);
  });
});
