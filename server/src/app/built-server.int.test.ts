import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishedBot } from '../test/fixtures.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { SEND_MESSAGE } from '../test/operations.ts';
import { eventsOf, startVisitorSession, subscribeToEvents, textOf } from '../test/conversation-stream.ts';
import { assertFreshBuild, spawnServerProcess, type ServerProcess } from '../test/server-process.ts';

/*
 * Issue 20: production runs the build, not the sources. `npm run build` compiles the server into server/dist
 * (scripts/build-server.ts); this starts `node server/dist/main.js` — plain Node, no tsx — on the embedded
 * defaults, the way the container image runs it, and walks the quick-start path against it: the banner's
 * addresses answer, a visitor gets the demo bot's streamed, cited answer, an uploaded file is parsed in the
 * compiled worker thread, and SIGTERM exits 0. `npm test` builds before the integration tests run; run alone,
 * this needs `npm run build` first and says so when server/dist is missing or older than the sources.
 */

let dataDir: string;
let server: ServerProcess;
let startedInMs: number;

beforeAll(async () => {
  assertFreshBuild();
  dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-built-'));
  const spawnedAt = performance.now();
  server = await spawnServerProcess(
    { DATABASE_URL: '', NATS_URL: '', MASCOT_DATA_DIR: dataDir, MASCOT_SEED_DEMO: 'true', MASCOT_OFFLINE_TOKEN_DELAY_MS: '0' },
    { built: true },
  );
  startedInMs = performance.now() - spawnedAt;
}, 120_000);

afterAll(async () => {
  await server?.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A line of the banner main.ts prints for people, e.g. `Demo page (widget):  http://…/`. */
async function bannerValue(label: string): Promise<string> {
  const line = await server.waitForLog((entry) => typeof entry['text'] === 'string' && entry['text'].trim().startsWith(`${label}:`));
  return String(line['text']).trim().slice(label.length + 1).trim();
}

const CREATE_UPLOAD = /* GraphQL */ `
  mutation($botId: ID!, $input: KnowledgeUploadInput!) { createKnowledgeUpload(botId: $botId, input: $input) { uploadUrl job { id } } }`;
const JOB = /* GraphQL */ `query($id: ID!) { ingestionJob(id: $id) { status errorCode } }`;

describe('the built server (node server/dist/main.js)', { timeout: 60_000 }, () => {
  it('starts on the embedded defaults within a generous bound', () => {
    const running = server.logs.find((entry) => entry['msg'] === 'Mascot is running')!;
    expect(running['database']).toBe('embedded (PGlite + pgvector)');
    // A sanity bound for a loaded 2-core CI machine, not a benchmark: a first start also migrates a fresh PGlite.
    expect(startedInMs).toBeLessThan(60_000);
  });

  it('serves the demo page, the widget, the explorer and the API at the printed addresses', async () => {
    const demoPage = await bannerValue('Demo page (widget)');
    const page = await fetch(demoPage);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(await bannerValue('Demo bot embed id'));
    const origin = new URL(demoPage).origin;
    expect((await fetch(`${origin}/embed.js`)).status).toBe(200);
    const explorer = await fetch(await bannerValue('GraphQL API'), { headers: { accept: 'text/html' } });
    expect(explorer.status).toBe(200);
    expect(explorer.headers.get('content-type')).toMatch(/text\/html/);
    // Ready once the embedded database answers within the check's 2 s: it runs one transaction at a time, and the
    // demo conversations are still being seeded right after the banner.
    await vi.waitFor(async () => expect((await fetch(`${origin}/readyz`)).status).toBe(200), { timeout: 30_000, interval: 250 });
  });

  it("streams the demo bot's cited answer to a visitor", async () => {
    const session = await startVisitorSession(server.graphqlUrl, await bannerValue('Demo bot embed id'));
    const { client, recorder } = await subscribeToEvents(server.websocketUrl, session, null);
    try {
      await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' }, session.visitorToken);
      const completed = await recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted', 30_000);
      const reply = completed.conversationEvents.message!;
      expect(reply.text).toMatch(/29 dollars per month/);
      expect(textOf(eventsOf(recorder))).toBe(reply.text);
      expect((reply as unknown as { sources: unknown[] }).sources.length).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });

  it('parses an uploaded knowledge file in its compiled worker thread', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const bytes = new TextEncoder().encode('# Returns\n\nOnline orders can be returned within 45 days.\n');
    const { createKnowledgeUpload } = await graphqlOk(
      server.graphqlUrl,
      CREATE_UPLOAD,
      { botId: bot.botId, input: { fileName: 'returns.md', byteSize: bytes.byteLength } },
      bot.accessToken,
    );
    const put = await fetch(createKnowledgeUpload.uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBe(202);
    await vi.waitFor(
      async () => {
        const { ingestionJob } = await graphqlOk(server.graphqlUrl, JOB, { id: createKnowledgeUpload.job.id }, bot.accessToken);
        expect(ingestionJob).toMatchObject({ status: 'SUCCEEDED', errorCode: null });
      },
      { timeout: 30_000, interval: 200 },
    );
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
