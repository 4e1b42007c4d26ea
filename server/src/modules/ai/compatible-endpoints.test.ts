import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { ProviderEntry } from '@mascot/bot-bundle';
import type { AiConfig } from '../../core/config/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import { OutboundPolicy, parseAllowList, type HostResolver } from '../../core/outbound/index.ts';
import { FAKE_ANSWER, startFakeOpenAiServer, type FakeProviderServer } from '../../test/fake-openai-server.ts';
import type { ReplyRequest, ReplyStream } from './ai-provider.ts';
import { CompatibleEndpoints } from './compatible-endpoints.ts';
import { createOfflineProvider } from './offline-provider.ts';
import { createProviderRouter } from './provider-router.ts';

// A bot's OpenAI-compatible base URL is tenant input (issue 15, finding 1): the real openai SDK against a
// local fake provider on loopback, which only the operator's allowlist may open to bots.
const SYSTEM_PROMPT = 'Internal instructions: the staff discount code is OTTER-42.';

let fake: FakeProviderServer;
let port: number;
let redirector: Server;
let redirectorOrigin: string;
const logLines: string[] = [];
const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
const policies: OutboundPolicy[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  port = Number(new URL(fake.url).port);
  // A public-looking endpoint that bounces the call to the internal service.
  redirector = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(307, { location: `${fake.url}/chat/completions` }).end());
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  redirectorOrigin = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all(policies.map((p) => p.close()));
  await fake?.close();
  await new Promise((resolve) => redirector?.close(resolve));
});
beforeEach(() => {
  fake.reset();
  fake.setDefault({});
  logLines.length = 0;
});

function endpoints(options: { allowPrivate?: string; allowedOrigins?: string[]; apiKey?: string; resolve?: HostResolver } = {}) {
  const outbound = new OutboundPolicy({ allowPrivate: parseAllowList(options.allowPrivate).rules, ...(options.resolve ? { resolve: options.resolve } : {}) });
  policies.push(outbound);
  const compatible = new CompatibleEndpoints({ apiKey: options.apiKey, allowedOrigins: options.allowedOrigins ?? [] }, outbound);
  policies.push(compatible.policy);
  return compatible;
}

function router(compatible: CompatibleEndpoints, ai: Partial<AiConfig> = {}) {
  return createProviderRouter({
    ai: {
      openai: { apiKey: undefined, baseUrl: undefined },
      anthropic: { apiKey: undefined, baseUrl: undefined },
      openaiCompatible: { apiKey: undefined, allowedOrigins: [] },
      firstTokenTimeoutMs: 2_000,
      idleTimeoutMs: 2_000,
      retries: 1,
      offlineLastResort: true,
      ...ai,
    },
    compatible,
    offline: createOfflineProvider({ tokenDelayMs: 0 }),
    logger,
    backoff: { initialDelayMs: 1, maxDelayMs: 20 },
  });
}

const entry = (baseUrl: string): ProviderEntry => ({ provider: 'openai-compatible', model: 'llama3.1:8b', baseUrl });

function request(chain: ProviderEntry[]): ReplyRequest {
  return {
    question: 'How much does the Pro plan cost?',
    history: [],
    passages: [{ id: 'p1', documentTitle: 'Price list', sectionPath: [], page: null, text: 'The Pro plan costs 29 dollars per month.', score: 1 }],
    persona: { botName: 'Pip', tone: 'friendly', systemPrompt: SYSTEM_PROMPT, unknownAnswer: null, offerHuman: true },
    chain,
    signal: new AbortController().signal,
  };
}

async function read(stream: ReplyStream): Promise<string> {
  let text = '';
  for await (const token of stream.tokens) text += token;
  return text;
}

async function saveError(compatible: CompatibleEndpoints, baseUrl: string) {
  const error = await compatible.assertAllowed(baseUrl, 'bundle.providers.0.baseUrl').then(() => undefined, (e: unknown) => e);
  return error instanceof DomainError ? { code: error.code, reason: error.details['reason'], fields: error.details.fieldErrors?.map((f) => f.field) } : error;
}

describe('OpenAI-compatible base URLs: at send time', () => {
  it('never posts the prompt to loopback in any spelling when the operator allowed nothing; the chain moves on', async () => {
    const compatible = endpoints();
    for (const host of ['127.0.0.1', '2130706433', '0x7f.1', '127.1', '[::ffff:127.0.0.1]', 'localhost']) {
      const stream = await router(compatible).streamReply(request([entry(`http://${host}:${port}/v1`)]));
      expect(stream.provider, host).toBe('offline');
      expect(await read(stream)).toMatch(/29 dollars/);
    }
    expect(fake.requests).toHaveLength(0);
    // Refused once, not retried: a refusal says nothing about the endpoint's health.
    expect(logLines.filter((line) => line.includes('"kind":"refused"'))).toHaveLength(6);
  });

  it('refuses a host name that resolves to loopback', async () => {
    const resolve: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const stream = await router(endpoints({ resolve })).streamReply(request([entry(`http://llm.example.test:${port}/v1`)]));
    expect(stream.provider).toBe('offline');
    expect(fake.requests).toHaveLength(0);
  });

  it('does not follow a redirect from an allowed endpoint into another one', async () => {
    const stream = await router(endpoints({ allowPrivate: redirectorOrigin })).streamReply(request([entry(`${redirectorOrigin}/v1`)]));
    expect(stream.provider).toBe('offline');
    expect(fake.requests).toHaveLength(0);
  });

  it('calls a private endpoint the operator allowed, by MASCOT_OUTBOUND_ALLOWED_PRIVATE or OPENAI_COMPATIBLE_ALLOWED_ORIGINS', async () => {
    const origin = new URL(fake.url).origin;
    const byOutbound = await router(endpoints({ allowPrivate: origin })).streamReply(request([entry(fake.url)]));
    expect(byOutbound.provider).toBe('openai-compatible');
    expect(await read(byOutbound)).toBe(FAKE_ANSWER);
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer none');

    const listed = endpoints({ allowedOrigins: [origin], apiKey: 'compat-key-0123456789' });
    const byListing = await router(listed, { openaiCompatible: { apiKey: 'compat-key-0123456789', allowedOrigins: [origin] } })
      .streamReply(request([entry(fake.url)]));
    expect(await read(byListing)).toBe(FAKE_ANSWER);
    expect(fake.requests[1]!.headers.authorization).toBe('Bearer compat-key-0123456789');
    // Another port of the same host is still refused.
    const elsewhere = await router(endpoints({ allowPrivate: origin })).streamReply(request([entry(`${redirectorOrigin}/v1`)]));
    expect(elsewhere.provider).toBe('offline');
  });
});

describe('OpenAI-compatible base URLs: when a bundle is saved', () => {
  it('refuses loopback, private, numeric and IPv6-mapped base URLs with BAD_USER_INPUT and DESTINATION_NOT_ALLOWED', async () => {
    const compatible = endpoints();
    for (const baseUrl of [
      'http://127.0.0.1:11434/v1', 'http://2130706433/v1', 'http://0x7f.1/v1', 'http://[::ffff:127.0.0.1]/v1', 'http://[::1]:8000/v1',
      'http://10.0.0.8/v1', 'http://169.254.169.254/latest', `http://localhost:${port}/v1`,
    ]) {
      expect(await saveError(compatible, baseUrl), baseUrl).toEqual({ code: 'BAD_USER_INPUT', reason: 'DESTINATION_NOT_ALLOWED', fields: ['bundle.providers.0.baseUrl'] });
    }
  });

  it('accepts public endpoints, allowed private ones, and names that do not resolve yet (checked again at send time)', async () => {
    const compatible = endpoints({ allowPrivate: 'http://127.0.0.1:11434' });
    await expect(compatible.assertAllowed('https://93.184.216.34/v1', 'f')).resolves.toBeUndefined();
    await expect(compatible.assertAllowed('http://127.0.0.1:11434/v1', 'f')).resolves.toBeUndefined();
    await expect(compatible.assertAllowed('https://llm.invalid/v1', 'f')).resolves.toBeUndefined();
  });

  it('refuses an origin outside OPENAI_COMPATIBLE_ALLOWED_ORIGINS when the operator set that list', async () => {
    const compatible = endpoints({ allowedOrigins: ['https://llm.example.com'] });
    expect(await saveError(compatible, 'https://93.184.216.34/v1')).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DESTINATION_NOT_ALLOWED' });
    await expect(compatible.assertAllowed('https://llm.example.com/v1', 'f')).resolves.toBeUndefined();
  });
});
