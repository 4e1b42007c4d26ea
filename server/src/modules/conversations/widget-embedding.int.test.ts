import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDraftChange } from '../../test/provider-chain.ts';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const START = /* GraphQL */ `
  mutation Start($embedId: String!, $visitorId: String, $hostOrigin: String) {
    startConversation(embedId: $embedId, visitorId: $visitorId, hostOrigin: $hostOrigin) {
      conversationId
      bot {
        name greeting language variantId
        theme { primaryColor backgroundColor textColor fontFamily launcher showBranding }
        avatar { modelUrl animationMap { slot clip } }
      }
    }
  }`;
const BUILTIN_AVATARS = /* GraphQL */ `query { builtinAvatars { id contentHash } }`;

const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example.net';

let server: TestServer;
let openBot: TenantFixture;
let guardedBot: TenantFixture;
let experimentBot: TenantFixture;

/** A published bot whose draft got `patch` merged into it before publishing. */
async function botWith(patch: (draft: Record<string, any>) => Record<string, any>): Promise<TenantFixture> {
  const bot = await publishedBot(server.graphqlUrl);
  await publishDraftChange(server.graphqlUrl, bot, patch);
  return bot;
}

/** startConversation as a browser page at `origin` would send it (no Origin: an SDK or server). */
async function start(variables: Record<string, unknown>, origin?: string) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: JSON.stringify({ query: START, variables }),
  });
  return (await response.json()) as { data?: { startConversation: any } | null; errors?: { extensions: Record<string, unknown> }[] };
}

const conversationsOf = (botId: string) =>
  ownerQuery<{ visitor_id: string | null; variant_id: string | null; host_origin: string | null }>(
    server.databaseUrl,
    'select visitor_id, variant_id, host_origin from conversation where bot_id = $1 order by created_at',
    [botId],
  );

beforeAll(async () => {
  server = await startTestServer();
  openBot = await publishedBot(server.graphqlUrl);
  guardedBot = await botWith((draft) => ({ ...draft, allowedOrigins: [SHOP] }));
  experimentBot = await botWith((draft) => ({
    ...draft,
    variants: [
      { id: 'warm', weight: 1, greeting: 'Hello friend, warm welcome!' },
      { id: 'brief', weight: 1, greeting: 'Hi.', personality: { language: 'de' } },
    ],
  }));
});
afterAll(() => server?.stop());

describe('the public bot a visitor gets', () => {
  it('carries language, theme and no avatar for a bot without one', async () => {
    const { data } = await start({ embedId: openBot.embedId });
    expect(data!.startConversation.bot).toEqual({
      name: 'Pip',
      greeting: expect.stringMatching(/Pip/),
      language: 'en',
      variantId: null,
      theme: { primaryColor: '#4f46e5', backgroundColor: '#ffffff', textColor: '#111827', fontFamily: 'system', launcher: 'bubble', showBranding: true },
      avatar: null,
    });
  });

  it('points a built-in avatar at its same-origin GLB and hides branding for white label', async () => {
    const { builtinAvatars } = await graphqlOk(server.graphqlUrl, BUILTIN_AVATARS, {}, openBot.accessToken);
    const milo = builtinAvatars.find((avatar: { id: string }) => avatar.id === 'milo');
    const bot = await botWith((draft) => ({
      ...draft,
      avatar: { ...draft['avatar'], kind: 'builtin', id: 'milo', animationMap: { ...draft['avatar'].animationMap } },
      theme: { ...draft['theme'], whiteLabel: true, primaryColor: '#0f766e' },
    }));
    const { data } = await start({ embedId: bot.embedId });
    const { avatar, theme } = data!.startConversation.bot;
    expect(avatar.modelUrl).toBe(`/assets/avatars/${milo.contentHash}.glb`);
    expect(avatar.animationMap).toHaveLength(20);
    expect(avatar.animationMap[0]).toEqual({ slot: 'idle', clip: null });
    expect(theme).toMatchObject({ primaryColor: '#0f766e', showBranding: false });
    const glb = await fetch(`${server.url}${avatar.modelUrl}`);
    expect(glb.status).toBe(200);
    expect(Buffer.from(await glb.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('glTF');
  });
});

describe('visitor id and sticky A/B variant', () => {
  it('gives one visitor the same variant every time and records visitor and variant', async () => {
    const first = await start({ embedId: experimentBot.embedId, visitorId: 'visitor-sticky-01' });
    const again = await start({ embedId: experimentBot.embedId, visitorId: 'visitor-sticky-01' });
    const bot = first.data!.startConversation.bot;
    expect(['warm', 'brief']).toContain(bot.variantId);
    expect(again.data!.startConversation.bot).toEqual(bot);
    // The variant's overrides are applied to what the visitor sees.
    expect(bot.greeting).toBe(bot.variantId === 'warm' ? 'Hello friend, warm welcome!' : 'Hi.');
    expect(bot.language).toBe(bot.variantId === 'warm' ? 'en' : 'de');
    const rows = await conversationsOf(experimentBot.botId);
    expect(rows.slice(-2)).toEqual([
      { visitor_id: 'visitor-sticky-01', variant_id: bot.variantId, host_origin: null },
      { visitor_id: 'visitor-sticky-01', variant_id: bot.variantId, host_origin: null },
    ]);
  });

  it('spreads different visitors over both variants', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 24 && seen.size < 2; i++) {
      const { data } = await start({ embedId: experimentBot.embedId, visitorId: `spread-visitor-${i}` });
      seen.add(data!.startConversation.bot.variantId);
    }
    expect([...seen].sort()).toEqual(['brief', 'warm']);
  });

  it.each(['short', 'has spaces in it', 'x'.repeat(65), 'semi;colon-id'])('refuses visitor id %j and stores nothing', async (visitorId) => {
    const before = (await conversationsOf(openBot.botId)).length;
    const { data, errors } = await start({ embedId: openBot.embedId, visitorId });
    expect(data).toBeNull();
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'visitorId' }] });
    expect(await conversationsOf(openBot.botId)).toHaveLength(before);
  });
});

describe("the bot's origin allowlist", () => {
  const refused = { code: 'FORBIDDEN', reason: 'ORIGIN_NOT_ALLOWED' };

  it('admits a page on the list calling directly and records it as the host', async () => {
    const { data, errors } = await start({ embedId: guardedBot.embedId, visitorId: 'visitor-shop-01' }, SHOP);
    expect(errors).toBeUndefined();
    expect(data!.startConversation.conversationId).toBeTruthy();
    expect((await conversationsOf(guardedBot.botId)).at(-1)).toMatchObject({ host_origin: SHOP, visitor_id: 'visitor-shop-01' });
  });

  it('refuses a foreign page off the list, whatever hostOrigin it claims, and stores nothing', async () => {
    const before = (await conversationsOf(guardedBot.botId)).length;
    for (const hostOrigin of [null, SHOP]) {
      const { data, errors } = await start({ embedId: guardedBot.embedId, hostOrigin }, EVIL);
      expect(data).toBeNull();
      expect(errors![0]!.extensions).toMatchObject(refused);
    }
    expect(await conversationsOf(guardedBot.botId)).toHaveLength(before);
  });

  it('lets the widget iframe (our own origin) start only for a host page on the list', async () => {
    const own = new URL(server.url).origin;
    expect((await start({ embedId: guardedBot.embedId }, own)).errors![0]!.extensions).toMatchObject(refused);
    expect((await start({ embedId: guardedBot.embedId, hostOrigin: EVIL }, own)).errors![0]!.extensions).toMatchObject(refused);
    const admitted = await start({ embedId: guardedBot.embedId, hostOrigin: 'HTTPS://Shop.Example.com/' }, own);
    expect(admitted.errors).toBeUndefined();
    expect((await conversationsOf(guardedBot.botId)).at(-1)!.host_origin).toBe(SHOP);
  });

  it('checks a claimed host origin even without an Origin header (SDKs, servers)', async () => {
    expect((await start({ embedId: guardedBot.embedId, hostOrigin: EVIL })).errors![0]!.extensions).toMatchObject(refused);
    expect((await start({ embedId: guardedBot.embedId })).errors).toBeUndefined();
  });

  it('refuses a hostOrigin that is not an origin', async () => {
    const { errors } = await start({ embedId: openBot.embedId, hostOrigin: 'https://shop.example.com/path' });
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'hostOrigin' }] });
  });

  it('admits every page when the list is empty', async () => {
    const { errors } = await start({ embedId: openBot.embedId, hostOrigin: EVIL }, EVIL);
    expect(errors).toBeUndefined();
    expect((await conversationsOf(openBot.botId)).at(-1)!.host_origin).toBe(EVIL);
  });
});

describe('widget HTTP routes', () => {
  const config = (embedId: string, query: string, origin?: string) =>
    fetch(`${server.url}/widget/config/${embedId}${query}`, { headers: origin ? { origin } : {} });

  it('gives an allowed page the placement, launcher theme and the same sticky variant as the session', async () => {
    const response = await config(experimentBot.embedId, '?visitor=visitor-sticky-01', SHOP);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    const body = await response.json();
    const { data } = await start({ embedId: experimentBot.embedId, visitorId: 'visitor-sticky-01' });
    expect(body).toEqual({
      placement: { include: [], exclude: [], delaySeconds: 0, position: 'bottom-right', devices: ['desktop', 'tablet', 'mobile'] },
      theme: { primaryColor: '#4f46e5', backgroundColor: '#ffffff', textColor: '#111827', launcher: 'bubble' },
      variantId: data!.startConversation.bot.variantId,
      engagement: { teaser: null, sound: false },
      originAllowed: true,
    });
  });

  it('answers a page off the allowlist with a 403 it cannot read, and no configuration', async () => {
    const response = await config(guardedBot.embedId, '', EVIL);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toEqual({ error: { code: 'ORIGIN_NOT_ALLOWED', message: expect.any(String) } });
    // Same-origin requests carry no Origin header: the origin parameter stands in for it.
    expect((await config(guardedBot.embedId, `?origin=${encodeURIComponent(EVIL)}`)).status).toBe(403);
    expect((await config(guardedBot.embedId, `?origin=${encodeURIComponent(SHOP)}`)).status).toBe(200);
  });

  it('answers bad and unknown ids with a JSON error code and a 4xx status', async () => {
    const unknown = await config('bot_doesnotexist123', '', SHOP);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('NOT_FOUND');
    const malformed = await config('not-an-embed-id', '', SHOP);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error.code).toBe('BAD_USER_INPUT');
    const badVisitor = await config(openBot.embedId, '?visitor=no', SHOP);
    expect(badVisitor.status).toBe(400);
  });

  it("frames the chat app only on the bot's allowed origins", async () => {
    const frameAncestors = async (query: string) =>
      /frame-ancestors ([^;]+)/.exec((await fetch(`${server.url}/widget/${query}`)).headers.get('content-security-policy') ?? '')?.[1];
    expect(await frameAncestors(`?bot=${guardedBot.embedId}&host=${encodeURIComponent(SHOP)}`)).toBe(SHOP);
    expect(await frameAncestors(`?bot=${openBot.embedId}`)).toBe('*');
    // Unknown ids still get the app (which shows its own error and starts nothing), framed by nobody.
    expect(await frameAncestors('?bot=bot_doesnotexist123')).toBe("'none'");
  });

  // Issue 15, finding 3; every shape is in app/widget-routes.test.ts, these against the real lookup.
  it.each([
    ['a repeated bot', (open: string, guarded: string) => `/widget/?bot=${guarded}&bot=${open}`],
    ['a repeated bot, the open one first', (open: string, guarded: string) => `/widget/?bot=${open}&bot=${guarded}`],
    // fetch removes dot segments itself, as browsers do; these reach the server as written.
    ['a double slash', (_open: string, guarded: string) => `/widget//?bot=${guarded}`],
    ['an encoded slash', (_open: string, guarded: string) => `/widget/assets%2F..%2Findex.html?bot=${guarded}`],
  ])('refuses %s with a 400 JSON error a foreign page cannot frame', async (_shape, url) => {
    const response = await fetch(`${server.url}${url(openBot.embedId, guardedBot.embedId)}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(((await response.json()) as any).error).toMatchObject({ code: 'BAD_REQUEST', details: { reason: 'AMBIGUOUS_WIDGET_URL' } });
  });
});
