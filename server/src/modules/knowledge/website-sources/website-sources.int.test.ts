import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inTenant } from '../../../core/db/index.ts';
import { publishedBot, type TenantFixture } from '../../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient, type EventRecorder } from '../../../test/graphql-test-client.ts';
import { PUBLISH_BOT, SEND_MESSAGE, START_CONVERSATION } from '../../../test/operations.ts';
import { ownerQuery } from '../../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { shopPage as page, sitemapOf as urlset, startTestSite, windows1252, type TestSite } from '../../../test/test-site.ts';

// Sites served by the test itself on loopback; the server may reach them because the operator setting
// (MASCOT_OUTBOUND_ALLOWED_PRIVATE) allows exactly the site's origin, and nothing else on loopback.

const ADD = /* GraphQL */ `
  mutation($botId: ID!, $input: WebsiteSourceInput!) { addWebsiteSource(botId: $botId, input: $input) { id syncJobId syncStatus } }`;
const SOURCES = /* GraphQL */ `
  query($botId: ID!) { websiteSources(botId: $botId) {
    id syncStatus syncJobId lastSyncedAt lastSyncOutcome lastSyncError { code message } nextSyncAt pageCount errorCount pageErrors { url code message }
  } }`;
const SYNC = /* GraphQL */ `mutation($id: ID!) { syncWebsiteSource(id: $id) { id syncJobId syncStatus } }`;
const DELETE = /* GraphQL */ `mutation($id: ID!) { deleteWebsiteSource(id: $id) { id pageCount } }`;
const SEARCH = /* GraphQL */ `
  query($botId: ID!, $query: String!) { searchKnowledge(botId: $botId, query: $query) { documentTitle documentUrl text } }`;
const DOCUMENTS = /* GraphQL */ `
  query($botId: ID!) { knowledgeDocuments(botId: $botId, first: 50) { edges { node { title status source { kind format url } } } } }`;
const INGESTION = /* GraphQL */ `
  subscription($botId: ID!) { ingestionEvents(botId: $botId) { jobId status chunksDone errorCode websiteSourceId pageUrl } }`;
const REPLIES = /* GraphQL */ `
  subscription($conversationId: ID!) { conversationEvents(conversationId: $conversationId) {
    __typename ... on ReplyCompleted { message { text sources { documentTitle url } } }
  } }`;

let server: TestServer;
let site: TestSite;
let internal: TestSite;
let shop: TenantFixture;
let other: TenantFixture;
let sourceId: string;

async function sources(fixture: TenantFixture) {
  return (await graphqlOk(server.graphqlUrl, SOURCES, { botId: fixture.botId }, fixture.accessToken)).websiteSources as any[];
}

/** Waits until the source's sync `syncJobId` has finished, and answers the source. */
async function synced(fixture: TenantFixture, id: string, syncJobId: string) {
  return vi.waitFor(async () => {
    const source = (await sources(fixture)).find((s) => s.id === id);
    expect(source).toMatchObject({ syncJobId, syncStatus: 'IDLE' });
    return source;
  }, { timeout: 120_000, interval: 200 });
}

const pagesOf = async (id: string) =>
  ownerQuery<{ url: string; document_id: string | null; error_code: string | null }>(server.databaseUrl, 'select url, document_id, error_code from website_page where source_id = $1 order by url', [id]);
const documentExists = async (id: string) =>
  (await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from knowledge_document where id = $1', [id]))[0]!.n === 1;

beforeAll(async () => {
  site = await startTestSite();
  // Another loopback server, not allowed by the operator: a redirect into it must never reach it.
  internal = await startTestSite((_req, res) => res.end('internal secrets'));
  // A quick sweep, so the scheduled re-sync and the takeover of an abandoned sync are seen within the test.
  server = await startTestServer({ MASCOT_OUTBOUND_ALLOWED_PRIVATE: site.origin, MASCOT_WEBSITE_SYNC_SWEEP_MS: '300' });
  shop = await publishedBot(server.graphqlUrl);
  other = await publishedBot(server.graphqlUrl);
  const o = site.origin;
  // The MascotBot group applies (the catch-all group would disallow everything).
  site.routes.set('/robots.txt', { type: 'text/plain', body: 'User-agent: MascotBot\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n' });
  site.routes.set('/sitemap.xml', {
    type: 'application/xml',
    body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${o}/sitemap-docs.xml</loc></sitemap><sitemap><loc>${o}/sitemap-help.xml</loc></sitemap></sitemapindex>`,
  });
  site.routes.set('/sitemap-docs.xml', { type: 'application/xml', body: urlset(o, ['/docs/returns', '/docs/shipping', '/docs/warranty', '/private/internal', '/moved', '/metadata']) });
  site.routes.set('/sitemap-help.xml', { type: 'application/xml', body: urlset(o, ['/help/contact']) });
  site.routes.set('/docs/returns', {
    body: page('Returns policy | Example Shop', '<h1>Returns policy</h1><h2>Online orders</h2><p>Online orders can be returned within 45 days of delivery for a full refund. Keep the receipt with the parcel.</p>'),
  });
  site.routes.set('/docs/shipping', { body: page('Shipping | Example Shop', '<h1>Shipping</h1><p>Standard shipping takes 3 to 5 working days within Germany.</p>') });
  site.routes.set('/docs/warranty', { body: page('Warranty | Example Shop', '<h1>Warranty</h1><p>Every bicycle frame carries a ten year warranty.</p>') });
  site.routes.set('/help/contact', { body: page('Contact | Example Shop', '<h1>Contact</h1><p>Write to the support team at help@example.test, they answer within a day.</p>') });
  site.routes.set('/private/internal', { body: page('Internal', '<p>Staff discount codes are kept here.</p>') });
  site.routes.set('/moved', { status: 302, location: `${internal.origin}/secret` });
  site.routes.set('/metadata', { status: 301, location: 'http://169.254.169.254/latest/meta-data/' });
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([site?.close(), internal?.close()]);
});

describe('website sources', { timeout: 240_000 }, () => {
  it('refuses bad input and destinations the outbound policy does not allow, with typed errors', async () => {
    const add = (input: Record<string, unknown>) => graphqlRequest(server.graphqlUrl, ADD, { botId: shop.botId, input }, shop.accessToken);
    const both = await add({ startUrl: `${site.origin}/`, sitemapUrl: `${site.origin}/sitemap.xml` });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'startUrl' }] });
    const ftp = await add({ startUrl: 'ftp://example.com/' });
    expect(ftp.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const pattern = await add({ startUrl: `${site.origin}/`, includePatterns: ['docs/**'] });
    expect(pattern.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'includePatterns.0' }] });
    const loopback = await add({ startUrl: `${internal.origin}/` });
    expect(loopback.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DESTINATION_NOT_ALLOWED' });
    const metadata = await add({ sitemapUrl: 'http://169.254.169.254/sitemap.xml' });
    expect(metadata.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DESTINATION_NOT_ALLOWED' });
    expect(await sources(shop)).toEqual([]);
  });

  it('learns the pages of a sitemap index, honouring robots.txt, dropping page chrome, refusing redirects to private addresses', async () => {
    const { addWebsiteSource } = await graphqlOk(server.graphqlUrl, ADD, { botId: shop.botId, input: { sitemapUrl: `${site.origin}/sitemap.xml` } }, shop.accessToken);
    sourceId = addWebsiteSource.id;
    const source = await synced(shop, sourceId, addWebsiteSource.syncJobId);
    expect(source).toMatchObject({ lastSyncOutcome: 'SUCCEEDED', lastSyncError: null, pageCount: 4, errorCount: 2 });
    expect(Date.parse(source.nextSyncAt) - Date.parse(source.lastSyncedAt)).toBe(24 * 3_600_000);
    expect(source.pageErrors).toEqual([
      { url: `${site.origin}/metadata`, code: 'DESTINATION_NOT_ALLOWED', message: expect.stringContaining('169.254.169.254') },
      { url: `${site.origin}/moved`, code: 'DESTINATION_NOT_ALLOWED', message: expect.stringContaining(internal.origin) },
    ]);
    // Both sitemaps of the index were read; the disallowed page and the redirect targets never were.
    expect(site.hits.get('/sitemap-docs.xml')).toBe(1);
    expect(site.hits.get('/sitemap-help.xml')).toBe(1);
    expect(site.hits.get('/private/internal')).toBeUndefined();
    expect(internal.hits.size).toBe(0);
    expect((await pagesOf(sourceId)).map((p) => p.url)).toEqual(
      ['/docs/returns', '/docs/shipping', '/docs/warranty', '/help/contact', '/metadata', '/moved'].map((p) => `${site.origin}${p}`),
    );

    const { searchKnowledge } = await graphqlOk(server.graphqlUrl, SEARCH, { botId: shop.botId, query: 'How many days to return an online order?' }, shop.accessToken);
    expect(searchKnowledge[0]).toMatchObject({ documentTitle: 'Returns policy | Example Shop', documentUrl: `${site.origin}/docs/returns` });
    const chunks = await ownerQuery<{ text: string }>(server.databaseUrl, `select c.text from knowledge_chunk c join knowledge_document d on d.id = c.document_id where d.source_url like $1`, [`${site.origin}%`]);
    const learnt = chunks.map((c) => c.text).join('\n');
    expect(learnt).toContain('returned within 45 days');
    for (const chrome of ['cookies', 'Imprint', 'Home']) expect(learnt).not.toContain(chrome);

    const { knowledgeDocuments } = await graphqlOk(server.graphqlUrl, DOCUMENTS, { botId: shop.botId }, shop.accessToken);
    const pages = knowledgeDocuments.edges.map((e: any) => e.node).filter((n: any) => n.source.kind === 'URL');
    expect(pages.map((n: any) => n.title).sort()).toEqual(['Contact | Example Shop', 'Returns policy | Example Shop', 'Shipping | Example Shop', 'Warranty | Example Shop']);
    expect(pages.find((n: any) => n.title === 'Returns policy | Example Shop')).toMatchObject({ status: 'READY', source: { kind: 'URL', url: `${site.origin}/docs/returns` } });
  });

  it('re-syncs on demand: an unchanged page costs a 304, a changed one is learnt again, removed ones are removed', async () => {
    const client = wsClient(server.websocketUrl, shop.accessToken);
    const events: EventRecorder<any> = recordSubscription(client, INGESTION, { botId: shop.botId });
    const before = new Map((await pagesOf(sourceId)).map((p) => [p.url.slice(site.origin.length), p.document_id]));
    site.routes.set('/docs/shipping', { body: page('Shipping | Example Shop', '<h1>Shipping</h1><p>Express shipping delivers the next working day for 9 euros.</p>') });
    site.routes.delete('/help/contact'); // answers 404 now
    site.routes.set('/sitemap-docs.xml', { type: 'application/xml', body: urlset(site.origin, ['/docs/returns', '/docs/shipping', '/moved', '/metadata']) }); // warranty gone
    const returnsNotModified = site.notModified.get('/docs/returns') ?? 0;

    const { syncWebsiteSource } = await graphqlOk(server.graphqlUrl, SYNC, { id: sourceId }, shop.accessToken);
    expect(['QUEUED', 'RUNNING']).toContain(syncWebsiteSource.syncStatus);
    const source = await synced(shop, sourceId, syncWebsiteSource.syncJobId);
    expect(source).toMatchObject({ lastSyncOutcome: 'SUCCEEDED', pageCount: 2, errorCount: 2 });

    const after = new Map((await pagesOf(sourceId)).map((p) => [p.url.slice(site.origin.length), p.document_id]));
    // Unchanged: answered 304 to the conditional request, and its document (its embeddings) kept as it was.
    expect(site.notModified.get('/docs/returns')).toBe(returnsNotModified + 1);
    expect(after.get('/docs/returns')).toBe(before.get('/docs/returns'));
    // Changed: a new document replaces the old one.
    expect(after.get('/docs/shipping')).not.toBe(before.get('/docs/shipping'));
    expect(await documentExists(before.get('/docs/shipping')!)).toBe(false);
    const { searchKnowledge } = await graphqlOk(server.graphqlUrl, SEARCH, { botId: shop.botId, query: 'express shipping next day price' }, shop.accessToken);
    expect(searchKnowledge[0]).toMatchObject({ documentUrl: `${site.origin}/docs/shipping`, text: expect.stringContaining('9 euros') });
    // Gone (404, and no longer in the sitemap): page and document removed.
    for (const gone of ['/help/contact', '/docs/warranty']) {
      expect(after.has(gone)).toBe(false);
      expect(await documentExists(before.get(gone)!)).toBe(false);
    }
    // Progress and per-page errors reached the ingestion subscription.
    const ofSync = await vi.waitFor(() => {
      const seen = events.events.map((e) => e.ingestionEvents).filter((e) => e.jobId === syncWebsiteSource.syncJobId);
      expect(seen.at(-1)).toMatchObject({ status: 'SUCCEEDED', websiteSourceId: sourceId, chunksDone: 5 });
      return seen;
    }, { timeout: 10_000 });
    expect(ofSync).toContainEqual(expect.objectContaining({ status: 'RUNNING', errorCode: 'DESTINATION_NOT_ALLOWED', pageUrl: `${site.origin}/moved` }));
    expect(internal.hits.size).toBe(0);
    await events.close();
    await client.dispose();
  });

  it('answers a visitor from the site once published, citing the page by title and URL', async () => {
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: shop.botId }, shop.accessToken);
    const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: shop.embedId });
    const client = wsClient(server.websocketUrl, startConversation.visitorToken);
    const replies = recordSubscription<any>(client, REPLIES, { conversationId: startConversation.conversationId });
    await replies.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: startConversation.conversationId, text: 'how many days do i have to return an online order?' }, startConversation.visitorToken);
    const completed = await replies.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted', 60_000);
    const { message } = completed.conversationEvents;
    expect(message.text).toContain('45 days');
    expect(message.sources).toContainEqual({ documentTitle: 'Returns policy | Example Shop', url: `${site.origin}/docs/returns` });
    await replies.close();
    await client.dispose();
  });

  it('crawls from a start URL on the same site only, within depth and patterns', async () => {
    const o = site.origin;
    site.routes.set('/guide/', { body: page('Guide', `<h1>Guide</h1><p><a href="/guide/a">A</a> <a href="/guide/old/x">Old</a> <a href="http://example.invalid/elsewhere">Elsewhere</a> <a href="${internal.origin}/x">Internal</a></p>`) });
    site.routes.set('/guide/a', { body: page('Guide A', '<h1>Assembly</h1><p>Assembly takes about twenty minutes with the included tools.</p><p><a href="/guide/b">B</a></p>') });
    site.routes.set('/guide/b', { body: page('Guide B', '<h1>Too deep</h1><p>This page is two clicks from the start.</p>') });
    site.routes.set('/guide/old/x', { body: page('Old', '<p>Outdated.</p>') });
    const { addWebsiteSource } = await graphqlOk(server.graphqlUrl, ADD, {
      botId: other.botId,
      input: { startUrl: `${o}/guide/`, maxDepth: 1, includePatterns: ['/guide/**'], excludePatterns: ['/guide/old/**'] },
    }, other.accessToken);
    const source = await synced(other, addWebsiteSource.id, addWebsiteSource.syncJobId);
    expect(source).toMatchObject({ lastSyncOutcome: 'SUCCEEDED', pageCount: 2, errorCount: 0 });
    expect((await pagesOf(addWebsiteSource.id)).map((p) => p.url)).toEqual([`${o}/guide/`, `${o}/guide/a`]);
    expect(site.hits.get('/guide/b')).toBeUndefined();
    expect(site.hits.get('/guide/old/x')).toBeUndefined();
    expect(internal.hits.size).toBe(0);
  });

  it("reads pages in the charset they declare, by the Content-Type header or the page's <meta>", async () => {
    const bakery = await publishedBot(server.graphqlUrl);
    // ISO-8859-1 in the header (read as windows-1252, as browsers do); the second page says it only in a <meta>.
    site.routes.set('/latin/', {
      type: 'text/html; charset=ISO-8859-1',
      body: windows1252(page('Café menu', '<h1>Café menu</h1><p>Our crème brûlée costs 5 € – served warm.</p><p><a href="/latin/hours">Hours</a></p>')),
    });
    site.routes.set('/latin/hours', {
      type: 'text/html',
      body: windows1252(`<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Öffnungszeiten</title></head><body><main><h1>Öffnungszeiten</h1><p>Geöffnet täglich außer Montag, Grüße vom Bäcker.</p></main></body></html>`),
    });
    const { addWebsiteSource } = await graphqlOk(server.graphqlUrl, ADD, { botId: bakery.botId, input: { startUrl: `${site.origin}/latin/`, maxDepth: 1, includePatterns: ['/latin/**'] } }, bakery.accessToken);
    const source = await synced(bakery, addWebsiteSource.id, addWebsiteSource.syncJobId);
    expect(source).toMatchObject({ lastSyncOutcome: 'SUCCEEDED', pageCount: 2, errorCount: 0 });
    const search = async (query: string) => (await graphqlOk(server.graphqlUrl, SEARCH, { botId: bakery.botId, query }, bakery.accessToken)).searchKnowledge as { documentTitle: string; text: string }[];
    const [dessert] = await search('crème brûlée price');
    expect(dessert).toMatchObject({ documentTitle: 'Café menu' });
    expect(dessert!.text).toContain('Our crème brûlée costs 5 € – served warm.');
    const [hours] = await search('Öffnungszeiten Montag');
    expect(hours).toMatchObject({ documentTitle: 'Öffnungszeiten' });
    expect(hours!.text).toContain('Geöffnet täglich außer Montag, Grüße vom Bäcker.');
  });

  it('re-syncs when a source is due, and takes over a sync whose instance stopped', async () => {
    const [crawl] = await sources(other);
    const due = async (sql: string) => ownerQuery(server.databaseUrl, sql, [crawl.id]);
    const notModified = site.notModified.get('/guide/a') ?? 0;
    // Due: the sweep queues a new sync, which asks conditionally and finds nothing changed.
    await due(`update website_source set next_sync_at = now() - interval '1 second' where id = $1`);
    const scheduled = await vi.waitFor(async () => {
      const source = (await sources(other)).find((s) => s.id === crawl.id);
      expect(source.syncJobId).not.toBe(crawl.syncJobId);
      expect(source).toMatchObject({ syncStatus: 'IDLE', lastSyncOutcome: 'SUCCEEDED', pageCount: 2 });
      return source;
    }, { timeout: 120_000, interval: 250 });
    expect(Date.parse(scheduled.lastSyncedAt)).toBeGreaterThan(Date.parse(crawl.lastSyncedAt));
    expect(site.notModified.get('/guide/a')).toBe(notModified + 1);
    // A sync left running by an instance that stopped (its lease ran out) is run by this one.
    await due(`update website_source set sync_status = 'running', lease_until = now() - interval '1 minute' where id = $1`);
    const resumed = await vi.waitFor(async () => {
      const source = (await sources(other)).find((s) => s.id === crawl.id);
      expect(source).toMatchObject({ syncJobId: scheduled.syncJobId, syncStatus: 'IDLE' });
      expect(Date.parse(source.lastSyncedAt)).toBeGreaterThan(Date.parse(scheduled.lastSyncedAt));
      return source;
    }, { timeout: 120_000, interval: 250 });
    expect(resumed.pageCount).toBe(2);
  });

  it('keeps tenants apart in the API and by row-level security', async () => {
    const foreign = await graphqlRequest(server.graphqlUrl, SYNC, { id: sourceId }, other.accessToken);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const listing = await graphqlRequest(server.graphqlUrl, SOURCES, { botId: shop.botId }, other.accessToken);
    expect(listing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const removal = await graphqlRequest(server.graphqlUrl, DELETE, { id: sourceId }, other.accessToken);
    expect(removal.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Raw SQL naming the other tenant's rows sees none of them and changes none.
    const seen = await inTenant(server.orm.em.fork(), other.tenantId, async (tx) => ({
      sources: await tx.execute<{ n: number }[]>('select count(*)::int as n from website_source where id = ?', [sourceId]),
      pages: await tx.execute<{ n: number }[]>('select count(*)::int as n from website_page where source_id = ?', [sourceId]),
      updated: await tx.execute(`update website_source set max_pages = 1 where id = ?`, [sourceId], 'run'),
    }));
    expect(seen).toMatchObject({ sources: [{ n: 0 }], pages: [{ n: 0 }], updated: { affectedRows: 0 } });
    const [owner] = await ownerQuery<{ max_pages: number; pages: number }>(server.databaseUrl,
      'select max_pages, (select count(*)::int from website_page where source_id = $1) as pages from website_source where id = $1', [sourceId]);
    expect(owner).toEqual({ max_pages: 100, pages: 4 });
  });

  it('deletes a source with every page learnt from it', async () => {
    const documents = (await pagesOf(sourceId)).map((p) => p.document_id).filter((id): id is string => id !== null);
    expect(documents).toHaveLength(2);
    const { deleteWebsiteSource } = await graphqlOk(server.graphqlUrl, DELETE, { id: sourceId }, shop.accessToken);
    expect(deleteWebsiteSource).toEqual({ id: sourceId, pageCount: 2 });
    for (const id of documents) expect(await documentExists(id)).toBe(false);
    expect(await pagesOf(sourceId)).toEqual([]);
    expect(await sources(shop)).toEqual([]);
    const { searchKnowledge } = await graphqlOk(server.graphqlUrl, SEARCH, { botId: shop.botId, query: 'return an online order within days' }, shop.accessToken);
    expect(searchKnowledge.every((p: any) => p.documentUrl === null)).toBe(true);
  });
});
