import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A test fixture of the parsers' own tests: real PDFs, generated, so no binary files are checked in.
import { makePdf } from '../../../../packages/knowledge-core/src/parsers/fixtures/make-pdf.ts';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, type EventRecorder } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { CREATE_UPLOAD, recordIngestionEvents, startKnowledgeUpload, type IngestionEventsRecording } from './ingestion-events.fixture.ts';

const JOB = /* GraphQL */ `query($id: ID!) { ingestionJob(id: $id) { status format documentId rowErrors { row message } errorCode } }`;
const SEARCH = /* GraphQL */ `
  query($botId: ID!, $query: String!) { searchKnowledge(botId: $botId, query: $query) { documentTitle page text sectionPath } }`;
const CANCEL = /* GraphQL */ `mutation($id: ID!) { cancelIngestion(id: $id) { status } }`;

let server: TestServer;
let bot: TenantFixture;
let events: EventRecorder<any>;
let recording: IngestionEventsRecording;

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
  recording = await recordIngestionEvents(server.websocketUrl, bot.accessToken, bot.botId);
  events = recording.events;
});
afterAll(async () => {
  await recording?.close();
  await server?.stop();
});

async function upload(fileName: string, bytes: Uint8Array, extra: Record<string, unknown> = {}) {
  const started = await startKnowledgeUpload(server.graphqlUrl, bot.accessToken, bot.botId, fileName, bytes, extra);
  return { jobId: started.jobId, url: started.url, response: await started.put() };
}

// Embedding a thousand rows is CPU work; on a loaded 2-core machine it can take a while.
const finished = (jobId: string) => recording.finished(jobId, 150_000);
const documentCount = async () =>
  (await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from knowledge_document where bot_id = $1', [bot.botId]))[0]!.n;

describe('knowledge ingestion', { timeout: 180_000 }, () => {
  it('ingests a Markdown file through a signed upload, with progress events, into searchable knowledge', async () => {
    const text = '# Returns\n\n## Online orders\n\nOnline orders can be returned within 45 days for a full refund.\n';
    const { jobId, response } = await upload('returns.md', new TextEncoder().encode(text));
    expect(response.status).toBe(202);
    const done = await finished(jobId);
    expect(done.ingestionEvents).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
    const statuses = events.events.filter((e) => e.ingestionEvents.jobId === jobId).map((e) => e.ingestionEvents.status);
    expect(statuses).toEqual(expect.arrayContaining(['QUEUED', 'RUNNING', 'SUCCEEDED']));
    const { searchKnowledge } = await graphqlOk(server.graphqlUrl, SEARCH, { botId: bot.botId, query: 'How many days to return an online order?' }, bot.accessToken);
    expect(searchKnowledge[0]).toMatchObject({ documentTitle: 'Returns', sectionPath: ['Returns', 'Online orders'] });
  });

  it('keeps PDF page numbers for citations', async () => {
    const pdf = await makePdf([
      [{ text: 'Warranty', size: 20 }, { text: 'Frames are covered for ten years from purchase.' }],
      [{ text: 'Batteries', size: 16 }, { text: 'Batteries are covered for two years or 500 charge cycles.' }],
    ]);
    const { jobId } = await upload('warranty.pdf', pdf, { title: 'Warranty terms' });
    expect((await finished(jobId)).ingestionEvents.status).toBe('SUCCEEDED');
    const { searchKnowledge } = await graphqlOk(server.graphqlUrl, SEARCH, { botId: bot.botId, query: 'battery charge cycles' }, bot.accessToken);
    expect(searchKnowledge[0]).toMatchObject({ documentTitle: 'Warranty terms', page: 2 });
  });

  it('imports a thousand-row CSV with progress, reporting bad rows without sinking the file', async () => {
    const rows = ['question,answer'];
    for (let i = 1; i <= 1000; i++) rows.push(i % 143 === 0 ? `Question ${i} without an answer,` : `What is item ${i}?,Item ${i} costs ${i} euros.`);
    const { jobId } = await upload('faq.csv', new TextEncoder().encode(rows.join('\n')), { csv: { mode: 'QA' } });
    expect((await finished(jobId)).ingestionEvents.status).toBe('SUCCEEDED');
    const progress = events.events.filter((e) => e.ingestionEvents.jobId === jobId && e.ingestionEvents.status === 'RUNNING');
    expect(progress.length).toBeGreaterThan(1);
    const { ingestionJob } = await graphqlOk(server.graphqlUrl, JOB, { id: jobId }, bot.accessToken);
    expect(ingestionJob.format).toBe('csv');
    expect(ingestionJob.rowErrors.map((e: any) => e.row)).toEqual([143, 286, 429, 572, 715, 858]);
  });

  it('fails an encrypted PDF with a typed error and stores nothing', async () => {
    const before = await documentCount();
    const pdf = await makePdf([[{ text: 'Secret pricing' }]], { userPassword: 'hunter2' });
    const { jobId } = await upload('secret.pdf', pdf);
    expect((await finished(jobId)).ingestionEvents).toMatchObject({ status: 'FAILED', errorCode: 'FILE_ENCRYPTED' });
    expect(await documentCount()).toBe(before);
  });

  it('refuses unsupported and oversized files at upload, and signed URLs work once', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const unsupported = await upload('logo.png', png);
    expect(unsupported.response.status).toBe(422);
    const text = new TextEncoder().encode('# Hours\n\nOpen every day from 9 to 5.');
    const ok = await upload('hours.md', text);
    expect(ok.response.status).toBe(202);
    const again = await fetch(ok.url, { method: 'PUT', body: text });
    expect(again.status).toBe(409);
    const tampered = await fetch(ok.url.replace(/sig=[^&]+/, 'sig=AAAA'), { method: 'PUT', body: text });
    expect(tampered.status).toBe(403);
    const { createKnowledgeUpload } = await graphqlOk(server.graphqlUrl, CREATE_UPLOAD, { botId: bot.botId, input: { fileName: 'a.md', byteSize: 10 } }, bot.accessToken);
    const tooBig = await fetch(createKnowledgeUpload.uploadUrl, { method: 'PUT', body: new Uint8Array(11).fill(65) });
    expect(tooBig.status).toBe(413);
  });

  it('stores the same file once (idempotent by content hash)', async () => {
    const text = new TextEncoder().encode('# Shipping\n\nWe ship to 30 countries within 3 days.');
    const first = await upload('shipping.md', text);
    const second = await upload('shipping-copy.md', text);
    const [a, b] = await Promise.all([finished(first.jobId), finished(second.jobId)]);
    expect(a.ingestionEvents.documentId).toBe(b.ingestionEvents.documentId);
  });

  it('cancels a job before its file arrives, and the URL stops working', async () => {
    const { createKnowledgeUpload } = await graphqlOk(server.graphqlUrl, CREATE_UPLOAD, { botId: bot.botId, input: { fileName: 'late.md', byteSize: 20 } }, bot.accessToken);
    const { cancelIngestion } = await graphqlOk(server.graphqlUrl, CANCEL, { id: createKnowledgeUpload.job.id }, bot.accessToken);
    expect(cancelIngestion.status).toBe('CANCELLED');
    const put = await fetch(createKnowledgeUpload.uploadUrl, { method: 'PUT', body: new TextEncoder().encode('# Late\n\nToo late.') });
    expect(put.status).toBe(409);
  });

  it('refuses uploads into another tenant\'s bot', async () => {
    const other = await publishedBot(server.graphqlUrl);
    const result = await graphqlRequest(server.graphqlUrl, CREATE_UPLOAD, { botId: other.botId, input: { fileName: 'x.md', byteSize: 5 } }, bot.accessToken);
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
