import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';

/*
 * @mascot/sdk as a partner's web app ships it: the package's compiled output (the same `tsc -p tsconfig.build.json`
 * the tarball is packed from), bundled for browsers, running in Chromium against a real server — sign up, create and
 * publish a bot, then stream a visitor's answer over graphql-ws. The bundling runs in a child process (sdk-browser-bundle.ts). The page is served on the server's own origin
 * (the API sends no CORS headers, so a partner's page calls it from its own backend or origin).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SDK_DIR = path.join(ROOT, 'packages/sdk');
// Inside the package's node_modules: ignored by git, and the build's imports resolve from there as from dist/.
const OUT_DIR = path.join(SDK_DIR, 'node_modules/.cache/browser-test-dist');
const BUNDLER = path.join(ROOT, 'e2e/sdk-browser-bundle.ts');

let server: TestServer;
let browser: Browser;
let bundle: string;

beforeAll(async () => {
  // In a child process: see sdk-browser-bundle.ts for why.
  const { stdout: bundlePath } = await promisify(execFile)(process.execPath, ['--import', 'tsx', BUNDLER, OUT_DIR], { cwd: ROOT });
  bundle = await readFile(bundlePath, 'utf8');
  server = await startTestServer({ MASCOT_OFFLINE_TOKEN_DELAY_MS: '0' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(OUT_DIR, { recursive: true, force: true });
});

describe('the partner SDK in a browser', () => {
  it('signs up, publishes a bot and streams a visitor answer', async () => {
    expect(bundle).not.toMatch(/from ["']node:/); // nothing of Node's left in what browsers load
    // A page of the server's own origin, with the bundle loaded into it as a partner's page would load it. (A page
    // made up by Playwright's router cannot open WebSockets, and the server's pages forbid foreign scripts: bypassCSP.)
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.route(`${server.url}/sdk-probe/sdk.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }));
    await page.goto(`${server.url}/healthz`);
    await page.addScriptTag({ type: 'module', content: `import * as sdk from '/sdk-probe/sdk.js'; window.mascotSdk = sdk;` });
    await page.waitForFunction(() => 'mascotSdk' in globalThis);

    const result = await page.evaluate(async (url) => {
      const sdk = (globalThis as unknown as { mascotSdk: any }).mascotSdk;
      const anonymous = sdk.createMascotClient({ url });
      const { signUp } = await anonymous.request(sdk.SignUpDocument, {
        input: { email: `browser-${crypto.randomUUID()}@example.com`, password: 'correct horse battery', tenantName: 'Browser Co' },
      });
      const owner = sdk.createMascotClient({ url, auth: { accessToken: signUp.accessToken } });
      const { createBot: bot } = await owner.request(sdk.CreateBotDocument, { input: { name: 'Pip' } });
      await owner.request(sdk.AddKnowledgeTextDocument, { botId: bot.id, input: { title: 'Price list', text: '# Pricing\nThe Pro plan costs 29 dollars per month.' } });
      await owner.request(sdk.PublishBotDocument, { botId: bot.id });
      const { startConversation } = await anonymous.request(sdk.StartConversationDocument, { embedId: bot.embedId });
      const visitor = sdk.createMascotClient({ url, auth: { visitorToken: startConversation.visitorToken } });
      let streamed = '';
      for await (const { conversationEvents: event } of visitor.subscribe(sdk.ConversationEventsDocument, { conversationId: startConversation.conversationId })) {
        if (event.__typename === 'ConversationSubscribed') {
          await visitor.request(sdk.SendMessageDocument, { conversationId: startConversation.conversationId, text: 'How much is the Pro plan?' });
        } else if (event.__typename === 'ReplyDelta') {
          streamed += event.delta;
        } else if (event.__typename === 'ReplyCompleted') {
          await visitor.close();
          return { streamed, text: event.message.text as string, sources: event.message.sources.map((s: { documentTitle: string }) => s.documentTitle) };
        } else if (event.__typename === 'ReplyFailed') {
          throw new Error(`${event.code}: ${event.reason}`);
        }
      }
      throw new Error('the subscription ended without a reply');
    }, server.graphqlUrl);

    expect(result.text).toMatch(/29 dollars per month/);
    expect(result.streamed).toBe(result.text);
    expect(result.sources).toEqual(['Price list']);
  });
});
