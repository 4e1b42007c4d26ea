// The chat panel's Server mode through the main core against a real Mascot server whose tenant
// answers with OpenAI (a local server speaking OpenAI's streaming format, so the real SDK path runs).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_MODEL } from '@mascot/bot-bundle';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_ANSWER, startFakeOpenAiServer, type FakeProviderServer } from '../../../../server/src/test/fake-openai-server.ts';
import { signUpAccount, type Account } from '../../../../server/src/test/fixtures.ts';
import { startTestServer, type TestServer } from '../../../../server/src/test/test-server.ts';
import { failure, switchableNetwork } from '../../../test/core-test-kit.ts';
import { HANDBOOK, utf8 } from '../../../test/fixtures.ts';
import type { StudioEvent } from '../../shared/studio-events.ts';
import { createStudioCore, type StudioCore } from '../studio-core.ts';

let openai: FakeProviderServer;
let server: TestServer;
let owner: Account;
let workspaceDir: string;
let core: StudioCore;
let projectId: string;
const network = switchableNetwork();
const deltas = new Map<string, string[]>();

beforeAll(async () => {
  openai = await startFakeOpenAiServer();
  server = await startTestServer({ OPENAI_API_KEY: 'sk-studio-chat-0123456789', OPENAI_BASE_URL: openai.url, MASCOT_AI_RETRIES: '0' });
  owner = await signUpAccount(server.graphqlUrl, 'Acme');
  workspaceDir = await mkdtemp(path.join(tmpdir(), 'studio-chat-'));
  core = createStudioCore({ workspaceDir, inMemoryIndex: true, fetch: network.fetch });
  core.events.subscribe((event: StudioEvent) => {
    if (event.type === 'chatDelta') deltas.set(event.replyId, [...(deltas.get(event.replyId) ?? []), event.delta]);
  });
  await core.signIn({ serverUrl: server.url, email: owner.email, password: owner.password });
  const project = await core.createProject({ name: 'Milo' });
  projectId = project.id;
  await core.importKnowledge(projectId, { fileName: 'handbook.md', bytes: utf8(HANDBOOK) });
  // The tenant's provider chain for this bot: OpenAI first, the offline answerer as the last resort.
  await core.updateBundle(projectId, { ...project.bundle, providers: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'offline', model: OFFLINE_MODEL }] });
  await core.linkProject(projectId);
  expect((await core.sync(projectId)).status).toBe('synced');
});

afterAll(async () => {
  await core?.close();
  await server?.stop();
  await openai?.close();
  await rm(workspaceDir, { recursive: true, force: true });
});

beforeEach(() => {
  openai.reset();
  network.online = true;
});

describe("Studio's server chat", () => {
  it("streams the tenant provider's answer token by token, with sources, who answered and the cost", async () => {
    const replyId = randomUUID();
    const reply = await core.chatOnServer(projectId, { message: 'How much does the Pro plan cost?', replyId, history: [] });
    expect(reply).toMatchObject({
      text: FAKE_ANSWER,
      grounded: true,
      citations: [expect.objectContaining({ marker: 1, documentTitle: 'Acme Cloud handbook', sectionPath: ['Acme Cloud handbook', 'Pricing'] })],
      served: { provider: 'openai', model: 'gpt-4o-mini', costMicroUsd: expect.any(Number) },
    });
    expect(reply.served!.costMicroUsd).toBeGreaterThan(0);
    expect(reply.reaction.slot).toEqual(expect.any(String));
    expect(deltas.get(replyId)!.length).toBeGreaterThan(1);
    expect(deltas.get(replyId)!.join('')).toBe(FAKE_ANSWER);
    expect(openai.requests[0]!.headers.authorization).toBe('Bearer sk-studio-chat-0123456789');
  });

  it('answers from the bundle as edited in Studio, before any sync, with the conversation so far', async () => {
    const { bundle } = await core.openProject(projectId);
    await core.updateBundle(projectId, { ...bundle, personality: { ...bundle.personality, systemPrompt: 'You are Milo, still being written in Studio.' } });
    expect((await core.openProject(projectId)).dirty).toBe(true);
    await core.chatOnServer(projectId, {
      message: 'And the Starter plan?',
      replyId: randomUUID(),
      history: [{ role: 'visitor', text: 'How much does the Pro plan cost?' }, { role: 'bot', text: 'It costs 29 dollars per month.' }],
    });
    const body = JSON.stringify(openai.requests[0]!.body);
    expect(body).toContain('You are Milo, still being written in Studio.');
    expect(body).toContain('It costs 29 dollars per month.');
  });

  it('falls back along the chain when OpenAI fails, as visitors would see it', async () => {
    openai.setDefault({ status: 500 });
    const reply = await core.chatOnServer(projectId, { message: 'When is support open?', replyId: randomUUID(), history: [] });
    expect(reply.served!.provider).toBe('offline');
    expect(reply.text).toMatch(/8 am to 8 pm/);
    openai.setDefault({});
  });

  it('says clearly when the server cannot be reached, or the project is not linked', async () => {
    network.online = false;
    const offline = await failure(core.chatOnServer(projectId, { message: 'Hello?', replyId: randomUUID(), history: [] }));
    expect(offline).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/cannot be reached.*Local/) });
    expect(openai.requests).toHaveLength(0);
    network.online = true;

    const unlinked = await core.createProject({ name: 'Offline only' });
    const notLinked = await failure(core.chatOnServer(unlinked.id, { message: 'Hello?', replyId: randomUUID(), history: [] }));
    expect(notLinked).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/Link this project/) });
  });
});
