import { beforeAll, describe, expect, it } from 'vitest';
import { subjects } from '@mascot/events';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, PUBLISH_BOT, START_CONVERSATION } from '../../test/operations.ts';
import { sharedTestServer } from '../../test/shared-test-server.ts';
import type { TestServer } from '../../test/test-server.ts';

const DRAFT = /* GraphQL */ `query($id: ID!) { bot(id: $id) { draft draftRevision liveVersion { number } } }`;
const UPDATE_DRAFT = /* GraphQL */ `
  mutation($botId: ID!, $bundle: JSONObject!, $expectedRevision: Int) {
    updateBotDraft(botId: $botId, bundle: $bundle, expectedRevision: $expectedRevision) { draftRevision greeting tone }
  }`;
const ROLLBACK = /* GraphQL */ `mutation($botId: ID!, $version: Int!) { rollbackBot(botId: $botId, version: $version) { number rolledBackFrom } }`;
const DIFF = /* GraphQL */ `
  query($botId: ID!, $from: Int!, $to: Int!) {
    botVersionDiff(botId: $botId, from: $from, to: $to) { changes { path kind before after } knowledgeAdded knowledgeRemoved }
  }`;
const VERSIONS = /* GraphQL */ `query($botId: ID!) { botVersions(botId: $botId) { edges { node { number rolledBackFrom knowledgeDocumentCount } } } }`;

let server: TestServer;
let bot: TenantFixture;
beforeAll(async () => {
  server = await sharedTestServer();
  bot = await publishedBot(server.graphqlUrl);
});

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
async function draft() {
  return (await graphqlOk(server.graphqlUrl, DRAFT, { id: bot.botId }, bot.accessToken)).bot;
}
async function greetingVisitorsSee() {
  return (await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId })).startConversation.bot.greeting;
}

describe('bot configuration and versions', () => {
  it('exposes the draft as a current-format bundle', async () => {
    const current = await draft();
    expect(current.draft).toMatchObject({ formatVersion: 2, name: 'Pip', personality: { tone: 'friendly' } });
    expect(current.liveVersion.number).toBe(1);
  });

  it('changes, publishes, diffs and rolls back, and visitors only ever see the live version', async () => {
    const before = await draft();
    const published = await greetingVisitorsSee();
    const changed = {
      ...before.draft,
      personality: { ...before.draft.personality, greeting: 'Ahoy! Pip here.', tone: 'playful' },
      allowedOrigins: ['https://shop.example.com'],
    };
    const updated = await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle: changed, expectedRevision: before.draftRevision }, bot.accessToken);
    expect(updated.updateBotDraft).toMatchObject({ greeting: 'Ahoy! Pip here.', tone: 'PLAYFUL', draftRevision: before.draftRevision + 1 });
    expect(await greetingVisitorsSee()).toBe(published); // drafts never leak

    await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: bot.botId, input: { title: 'Opening hours', text: 'We are open daily.' } }, bot.accessToken);
    const v2 = await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
    expect(v2.publishBot.number).toBe(2);
    expect(await greetingVisitorsSee()).toBe('Ahoy! Pip here.');

    const { botVersionDiff } = await graphqlOk(server.graphqlUrl, DIFF, { botId: bot.botId, from: 1, to: 2 }, bot.accessToken);
    const paths = botVersionDiff.changes.map((c: any) => `${c.kind} ${c.path}`);
    expect(paths).toEqual(expect.arrayContaining([
      'CHANGED personality.greeting', 'CHANGED personality.tone', 'ADDED allowedOrigins[https://shop.example.com]',
    ]));
    expect(botVersionDiff.changes.find((c: any) => c.path === 'personality.tone')).toMatchObject({ before: 'friendly', after: 'playful' });
    expect(botVersionDiff.knowledgeAdded).toHaveLength(1);
    expect(botVersionDiff.knowledgeRemoved).toEqual([]);

    const rolled = await graphqlOk(server.graphqlUrl, ROLLBACK, { botId: bot.botId, version: 1 }, bot.accessToken);
    expect(rolled.rollbackBot).toEqual({ number: 3, rolledBackFrom: 1 });
    expect(await greetingVisitorsSee()).toBe(published);
    const { botVersions } = await graphqlOk(server.graphqlUrl, VERSIONS, { botId: bot.botId }, bot.accessToken);
    expect(botVersions.edges.map((e: any) => [e.node.number, e.node.rolledBackFrom, e.node.knowledgeDocumentCount])).toEqual([
      [3, 1, 1], [2, null, 2], [1, null, 1],
    ]);
  });

  it('announces each new live version on the bus', async () => {
    const subscription = await server.bus.subscribe(subjects.botPublished(bot.tenantId, bot.botId));
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
    const iterator = subscription[Symbol.asyncIterator]();
    const { value } = await iterator.next();
    subscription.unsubscribe();
    expect(value).toMatchObject({ type: 'BotPublished', botId: bot.botId, tenantId: bot.tenantId, rolledBackFrom: null });
  });

  it('refuses an invalid bundle with field-level errors and keeps the draft', async () => {
    const before = await draft();
    const invalid = {
      ...before.draft,
      providers: [{ provider: 'openai-compatible', model: 'llama3' }],
      theme: { ...before.draft.theme, primaryColor: 'blue' },
    };
    const result = await graphqlRequest(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle: invalid }, bot.accessToken);
    expect(code(result)).toBe('BAD_USER_INPUT');
    const fields = (result.errors![0]!.extensions!['fieldErrors'] as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['bundle.providers.0.baseUrl', 'bundle.theme.primaryColor']));
    expect((await draft()).draftRevision).toBe(before.draftRevision);
  });

  it('refuses a stale revision with CONFLICT instead of overwriting', async () => {
    const before = await draft();
    const first = { ...before.draft, personality: { ...before.draft.personality, greeting: 'First editor' } };
    await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle: first, expectedRevision: before.draftRevision }, bot.accessToken);
    const second = { ...before.draft, personality: { ...before.draft.personality, greeting: 'Second editor' } };
    const stale = await graphqlRequest(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle: second, expectedRevision: before.draftRevision }, bot.accessToken);
    expect(code(stale)).toBe('CONFLICT');
    expect(stale.errors![0]!.extensions!['currentRevision']).toBe(before.draftRevision + 1);
    expect((await draft()).draft.personality.greeting).toBe('First editor');
  });

  it('answers NOT_FOUND for versions that do not exist', async () => {
    expect(code(await graphqlRequest(server.graphqlUrl, ROLLBACK, { botId: bot.botId, version: 99 }, bot.accessToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, DIFF, { botId: bot.botId, from: 1, to: 99 }, bot.accessToken))).toBe('NOT_FOUND');
  });
});

describe('bot avatars', () => {
  const BUILTINS = /* GraphQL */ `query { builtinAvatars { id contentHash clipNames } }`;

  it('takes a built-in avatar with its 20 slots mapped, and freezes the model in the published version', async () => {
    const { builtinAvatars } = await graphqlOk(server.graphqlUrl, BUILTINS, {}, bot.accessToken);
    const milo = builtinAvatars.find((a: any) => a.id === 'milo');
    expect(milo.clipNames).toHaveLength(20);
    const before = await draft();
    const animationMap = Object.fromEntries(milo.clipNames.map((clip: string) => [clip, clip]));
    const bundle = { ...before.draft, avatar: { kind: 'builtin', id: 'milo', animationMap }, theme: { ...before.draft.theme, launcher: 'avatar' } };
    await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle }, bot.accessToken);
    const { publishBot } = await graphqlOk(server.graphqlUrl, `mutation($botId: ID!) { publishBot(botId: $botId) { avatarHash } }`, { botId: bot.botId }, bot.accessToken);
    expect(publishBot.avatarHash).toBe(milo.contentHash);
  });

  it('refuses unknown avatars and clips the model does not have, with field errors', async () => {
    const before = await draft();
    const noSuchModel = { ...before.draft, avatar: { ...before.draft.avatar, kind: 'uploaded', assetHash: 'a'.repeat(64) } };
    delete (noSuchModel.avatar as Record<string, unknown>)['id'];
    const missing = await graphqlRequest(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle: noSuchModel }, bot.accessToken);
    expect(missing.errors![0]!.extensions!['fieldErrors']).toEqual([expect.objectContaining({ field: 'bundle.avatar.assetHash' })]);
    const badClip = { ...before.draft, avatar: { ...before.draft.avatar, animationMap: { ...before.draft.avatar.animationMap, laugh: 'Dance_Macarena' } } };
    const clip = await graphqlRequest(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle: badClip }, bot.accessToken);
    expect(clip.errors![0]!.extensions!['fieldErrors']).toEqual([expect.objectContaining({ field: 'bundle.avatar.animationMap.laugh' })]);
  });
});
