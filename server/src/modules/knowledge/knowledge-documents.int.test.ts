import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A test fixture of the parsers' own tests: real PDFs, generated, so no binary files are checked in.
import { makePdf } from '../../../../packages/knowledge-core/src/parsers/fixtures/make-pdf.ts';
import { PRICING_TEXT, publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, PUBLISH_BOT } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { recordIngestionEvents, startKnowledgeUpload, type IngestionEventsRecording } from './ingestion-events.fixture.ts';

const DOCUMENTS = /* GraphQL */ `
  query($botId: ID!, $first: Int, $after: String) {
    knowledgeDocuments(botId: $botId, first: $first, after: $after) {
      edges { cursor node { id title status error { code message } source { kind fileName format } sizeBytes chunkCount ingestionJobId createdAt updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
const DOCUMENTS_BACKWARD = /* GraphQL */ `
  query($botId: ID!, $last: Int, $before: String) {
    knowledgeDocuments(botId: $botId, last: $last, before: $before) {
      totalCount
      edges { node { title } }
      pageInfo { hasNextPage hasPreviousPage startCursor }
    }
  }`;
const DELETE_DOCUMENT = /* GraphQL */ `mutation($id: ID!) { deleteKnowledgeDocument(id: $id) { id title status source { kind } } }`;
const DIFF = /* GraphQL */ `
  query($botId: ID!, $from: Int!, $to: Int!) {
    botVersionDiff(botId: $botId, from: $from, to: $to) {
      knowledgeAdded knowledgeRemoved
      knowledgeAddedDocuments { id title deleted }
      knowledgeRemovedDocuments { id title deleted }
    }
  }`;

type Entry = {
  id: string; title: string; status: string; error: { code: string; message: string } | null;
  source: { kind: string; fileName: string | null; format: string | null }; sizeBytes: number; chunkCount: number;
  ingestionJobId: string | null; createdAt: string; updatedAt: string;
};
type Result = { errors?: { extensions?: { code?: string } }[] };
const code = (result: Result) => result.errors?.[0]?.extensions?.code;

let server: TestServer;
let bot: TenantFixture;
let recording: IngestionEventsRecording;
beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
  recording = await recordIngestionEvents(server.websocketUrl, bot.accessToken, bot.botId);
});
afterAll(async () => {
  await recording?.close();
  await server?.stop();
});

const list = (variables: Record<string, unknown>, token = bot.accessToken) => graphqlRequest(server.graphqlUrl, DOCUMENTS, { botId: bot.botId, ...variables }, token);

/** Every entry, page by page, checking each page's size and continuation. */
async function allPages(first: number): Promise<{ entries: Entry[]; pages: number }> {
  const entries: Entry[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const { knowledgeDocuments }: { knowledgeDocuments: { edges: { node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await graphqlOk(server.graphqlUrl, DOCUMENTS, { botId: bot.botId, first, after }, bot.accessToken);
    expect(knowledgeDocuments.edges.length).toBeLessThanOrEqual(first);
    entries.push(...knowledgeDocuments.edges.map((e) => e.node));
    if (!knowledgeDocuments.pageInfo.hasNextPage) return { entries, pages };
    expect(knowledgeDocuments.edges.length).toBe(first);
    after = knowledgeDocuments.pageInfo.endCursor;
  }
}

describe('knowledgeDocuments', { timeout: 120_000 }, () => {
  it('lists text documents, uploads on their way, ingested files and failed files, newest first, page by page', async () => {
    const extra = ['Opening hours', 'Shipping'];
    for (const title of extra) {
      await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: bot.botId, input: { title, text: `${title}: we answer every weekday.` } }, bot.accessToken);
    }
    const file = await startKnowledgeUpload(server.graphqlUrl, bot.accessToken, bot.botId, 'returns.md', new TextEncoder().encode('# Returns\n\nReturns are free within 45 days.\n'));
    const secret = await startKnowledgeUpload(server.graphqlUrl, bot.accessToken, bot.botId, 'secret.pdf', await makePdf([[{ text: 'Secret pricing' }]], { userPassword: 'hunter2' }));
    expect((await secret.put()).status).toBe(202);
    expect((await recording.finished(secret.jobId)).ingestionEvents.status).toBe('FAILED');

    // The markdown upload is still waiting for its bytes: listed as ingesting under its job (the failed PDF is newer).
    const newest = (await graphqlOk(server.graphqlUrl, DOCUMENTS, { botId: bot.botId, first: 2 }, bot.accessToken)).knowledgeDocuments.edges;
    expect(newest.map((e: { node: Entry }) => e.node.id)).toEqual([secret.jobId, file.jobId]);
    expect(newest[1].node).toMatchObject({
      id: file.jobId, ingestionJobId: file.jobId, title: 'returns.md', status: 'INGESTING', error: null, chunkCount: 0,
      source: { kind: 'FILE', fileName: 'returns.md', format: null },
    });
    expect((await file.put()).status).toBe(202);
    const ingested = await recording.finished(file.jobId);
    expect(ingested.ingestionEvents.status).toBe('SUCCEEDED');

    const { entries, pages } = await allPages(2);
    expect(pages).toBe(3);
    // Newest first, each entry once: the file's document was stored after the failed upload was started.
    expect(entries.map((e) => e.title)).toEqual(['Returns', 'secret.pdf', 'Shipping', 'Opening hours', 'Price list']);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    // Backward from the oldest, two at a time: the same entries, each page in list order, all counted.
    const backward: string[][] = [];
    for (let before: string | undefined; ;) {
      const { knowledgeDocuments: page } = await graphqlOk(server.graphqlUrl, DOCUMENTS_BACKWARD, { botId: bot.botId, last: 2, before }, bot.accessToken);
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasNextPage).toBe(before !== undefined);
      backward.unshift(page.edges.map((e: { node: Entry }) => e.node.title));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward.flat()).toEqual(entries.map((e) => e.title));
    expect(backward[0]).toHaveLength(1);

    const byTitle = new Map(entries.map((e) => [e.title, e]));
    expect(byTitle.get('Price list')).toMatchObject({
      status: 'READY', error: null, source: { kind: 'TEXT', fileName: null, format: null }, sizeBytes: Buffer.byteLength(PRICING_TEXT), ingestionJobId: null,
    });
    expect(byTitle.get('Price list')!.chunkCount).toBeGreaterThan(0);
    expect(byTitle.get('Returns')).toMatchObject({
      id: ingested.ingestionEvents.documentId, status: 'READY', ingestionJobId: file.jobId, source: { kind: 'FILE', fileName: 'returns.md', format: 'markdown' },
    });
    expect(byTitle.get('Returns')!.chunkCount).toBeGreaterThan(0);
    expect(byTitle.get('secret.pdf')).toMatchObject({
      id: secret.jobId, status: 'FAILED', chunkCount: 0, ingestionJobId: secret.jobId, error: { code: 'FILE_ENCRYPTED' }, source: { kind: 'FILE', fileName: 'secret.pdf', format: 'pdf' },
    });
    expect(byTitle.get('secret.pdf')!.error!.message).not.toBe('');
  });

  it('dismisses a failed upload by deleting its entry, and refuses to delete one still on its way', async () => {
    const failed = await startKnowledgeUpload(server.graphqlUrl, bot.accessToken, bot.botId, 'locked.pdf', await makePdf([[{ text: 'Locked' }]], { userPassword: 'pw' }));
    await failed.put();
    expect((await recording.finished(failed.jobId)).ingestionEvents.status).toBe('FAILED');
    const pending = await startKnowledgeUpload(server.graphqlUrl, bot.accessToken, bot.botId, 'later.md', new TextEncoder().encode('# Later\n\nSoon.'));
    const ids = async () => (await allPages(100)).entries.map((e) => e.id);
    expect(await ids()).toEqual(expect.arrayContaining([failed.jobId, pending.jobId]));

    const dismissed = await graphqlOk(server.graphqlUrl, DELETE_DOCUMENT, { id: failed.jobId }, bot.accessToken);
    expect(dismissed.deleteKnowledgeDocument).toEqual({ id: failed.jobId, title: 'locked.pdf', status: 'FAILED', source: { kind: 'FILE' } });
    expect(code(await graphqlRequest(server.graphqlUrl, DELETE_DOCUMENT, { id: pending.jobId }, bot.accessToken))).toBe('CONFLICT');
    expect(code(await graphqlRequest(server.graphqlUrl, DELETE_DOCUMENT, { id: failed.jobId }, bot.accessToken))).toBe('NOT_FOUND');
    const remaining = await ids();
    expect(remaining).not.toContain(failed.jobId);
    expect(remaining).toContain(pending.jobId);
  });

  it('refuses bad paging input, unknown bots and other tenants\' bots with typed errors', async () => {
    expect(code(await list({ first: 0 }))).toBe('BAD_USER_INPUT');
    expect(code(await list({ first: 101 }))).toBe('BAD_USER_INPUT');
    expect(code(await list({ after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
    expect(code(await list({ botId: 'nope' }))).toBe('BAD_USER_INPUT');
    expect(code(await list({ botId: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');
    const stranger = await publishedBot(server.graphqlUrl);
    expect(code(await list({}, stranger.accessToken))).toBe('NOT_FOUND');
  });

  it('names the documents of a version diff, and marks those deleted since', async () => {
    const tenant = await publishedBot(server.graphqlUrl);
    const token = tenant.accessToken;
    const [priceList] = (await graphqlOk(server.graphqlUrl, DOCUMENTS, { botId: tenant.botId }, token)).knowledgeDocuments.edges.map((e: { node: Entry }) => e.node);
    const { addKnowledgeText: hours } = await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: tenant.botId, input: { title: 'Opening hours', text: 'Open daily from nine.' } }, token);
    const deleted = await graphqlOk(server.graphqlUrl, DELETE_DOCUMENT, { id: priceList.id }, token);
    expect(deleted.deleteKnowledgeDocument).toEqual({ id: priceList.id, title: 'Price list', status: 'READY', source: { kind: 'TEXT' } });
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: tenant.botId }, token);

    const { botVersionDiff } = await graphqlOk(server.graphqlUrl, DIFF, { botId: tenant.botId, from: 1, to: 2 }, token);
    expect(botVersionDiff).toEqual({
      knowledgeAdded: [hours.id],
      knowledgeRemoved: [priceList.id],
      knowledgeAddedDocuments: [{ id: hours.id, title: 'Opening hours', deleted: false }],
      knowledgeRemovedDocuments: [{ id: priceList.id, title: null, deleted: true }],
    });
    // Another tenant reading the same diff numbers of its own bot never sees these titles.
    const stranger = await publishedBot(server.graphqlUrl);
    expect(code(await graphqlRequest(server.graphqlUrl, DIFF, { botId: tenant.botId, from: 1, to: 2 }, stranger.accessToken))).toBe('NOT_FOUND');
  });
});
