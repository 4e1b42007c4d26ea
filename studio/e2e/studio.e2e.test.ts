// A designer's whole loop in the real renderer (Chromium), window.studio backed by the real
// main-process core through the test bridge, publishing to a real Mascot server: create a project
// offline, use the built-in avatar, map and preview slots, add a document, chat locally with cited
// answers, then sign in, publish, see the diff, roll back — and ask the published bot through the
// widget contract; chat through the server with the tenant's provider (a local OpenAI stand-in), and
// watch the sync queue wait for the network. Screenshots land in docs/studio/ for the README.
import { OFFLINE_MODEL } from '@mascot/bot-bundle';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANSWER, startFakeOpenAiServer, type FakeProviderServer } from '../../server/src/test/fake-openai-server.ts';
import { graphqlOk } from '../../server/src/test/graphql-test-client.ts';
import { signUpAccount, type Account } from '../../server/src/test/fixtures.ts';
import { startTestServer, type TestServer } from '../../server/src/test/test-server.ts';
import type { StudioCore } from '../src/main/studio-core.ts';
import { switchableNetwork } from '../test/core-test-kit.ts';
import { HANDBOOK } from '../test/fixtures.ts';
import { askThroughWidget } from '../test/widget-contract.ts';
import type { TestBridge } from './test-bridge.ts';
import { recordFailure, startStudioHarness, type StudioHarness } from './studio-harness.ts';

let openai: FakeProviderServer;
let server: TestServer;
let owner: Account;
const network = switchableNetwork();
let harness: StudioHarness;
let core: StudioCore;
let bridge: TestBridge;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  openai = await startFakeOpenAiServer();
  server = await startTestServer({ OPENAI_API_KEY: 'sk-studio-e2e-0123456789', OPENAI_BASE_URL: openai.url, MASCOT_AI_RETRIES: '0' });
  owner = await signUpAccount(server.graphqlUrl, 'Acme');
  harness = await startStudioHarness({ fetch: network.fetch });
  ({ core, bridge, page, pageErrors } = harness);
});

afterAll(async () => {
  await harness?.close();
  await server?.stop();
  await openai?.close();
});

// A failing step leaves what the designer saw: the page's error notes and a screenshot.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await recordFailure(page, context.task.name);
});

const tab = (name: string) => page.getByRole('tab', { name }).click();
const shoot = (name: string) => harness.shoot(name);

async function projectId(): Promise<string> {
  const [project] = await core.listProjects();
  return project!.id;
}

async function setGreeting(greeting: string) {
  await tab('Personality');
  await page.getByLabel('Greeting').fill(greeting);
  // Autosaved a moment after typing stops.
  await expect.poll(async () => (await core.openProject(await projectId())).bundle.personality.greeting, { timeout: 10_000 }).toBe(greeting);
}

describe("a designer's loop in Studio", () => {
  it('creates a project offline', async () => {
    await page.goto(bridge.url);
    await page.getByLabel('New bot name').fill('Milo');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Milo' }).isVisible(), { timeout: 10_000 }).toBe(true);
  });

  it("uses the built-in avatar and plays it with the widget's runtime: slot previews and cues", async () => {
    await page.getByRole('button', { name: 'Use Milo' }).click();
    const preview = page.getByTestId('avatar-preview');
    await expect.poll(() => preview.getAttribute('data-loaded'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => preview.locator('canvas').count(), { timeout: 10_000 }).toBe(1);
    const map = (await core.openProject(await projectId())).bundle.avatar.animationMap;
    expect(await preview.getAttribute('data-slot')).toBe('idle');
    expect(await preview.getAttribute('data-playing')).toBe(map.idle);
    // The scene runs: the runtime's rig is advanced frame after frame.
    const frames = Number(await preview.getAttribute('data-frames'));
    await expect.poll(async () => Number(await preview.getAttribute('data-frames')), { timeout: 10_000 }).toBeGreaterThan(frames);

    // A gesture plays once, then avatar-runtime's director hands back to the idle loop, as in the widget.
    await page.getByRole('button', { name: 'Preview greet_wave' }).click();
    await expect.poll(() => preview.getAttribute('data-playing'), { timeout: 10_000 }).toBe(map.greet_wave);
    await expect.poll(() => preview.getAttribute('data-slot'), { timeout: 15_000 }).toBe('idle');
    expect(await preview.getAttribute('data-playing')).toBe(map.idle);
    // A looping slot is held until the next request.
    await page.getByRole('button', { name: 'Preview talk', exact: true }).click();
    await expect.poll(() => preview.getAttribute('data-slot'), { timeout: 10_000 }).toBe('talk');
    expect(await preview.getAttribute('data-playing')).toBe(map.talk);

    // Remap a slot by hand: the bundle follows, and undo brings the suggestion back.
    const select = page.getByLabel('Clip for celebrate');
    const other = (await select.locator('option').allTextContents()).find((clip) => clip !== map.celebrate && !clip.startsWith('('))!;
    await select.selectOption(other);
    await expect.poll(async () => (await core.openProject(await projectId())).bundle.avatar.animationMap.celebrate, { timeout: 10_000 }).toBe(other);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => select.inputValue(), { timeout: 10_000 }).toBe(map.celebrate);

    await page.getByLabel('Try a visitor sentence').fill('Hello there!');
    await page.getByRole('button', { name: 'React' }).click();
    await expect.poll(() => page.getByTestId('reaction').textContent(), { timeout: 10_000 }).toMatch(/^greet_wave/);
    // The cue goes through the runtime's director: the held talk gives way to the greeting.
    await expect.poll(() => preview.getAttribute('data-slot'), { timeout: 10_000 }).toBe('greet_wave');
    expect(await preview.getAttribute('data-playing')).toBe(map.greet_wave);
    await page.waitForTimeout(500); // let the crossfade settle for the screenshot
    await shoot('avatar');
  });

  it('lists the project in the gallery with its avatar thumbnail, and duplicates and deletes a copy', async () => {
    // The Character tab took a picture of the avatar for the gallery.
    await expect.poll(async () => (await core.listProjects())[0]!.thumbnail?.byteLength ?? 0, { timeout: 10_000 }).toBeGreaterThan(1_000);
    await page.getByRole('button', { name: '← Projects' }).click();
    const gallery = page.getByRole('list', { name: 'Projects' });
    const card = gallery.getByRole('listitem', { name: 'Milo', exact: true });
    await expect.poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(240);
    expect(await card.textContent()).toMatch(/Edited (now|\d+ (seconds?|minutes?) ago) · local only/);

    await page.getByRole('button', { name: 'Duplicate Milo', exact: true }).click();
    const copy = gallery.getByRole('listitem', { name: 'Milo (copy)', exact: true });
    await copy.waitFor({ timeout: 10_000 });
    expect(await copy.locator('img').count()).toBe(1);
    await shoot('gallery');
    await page.getByRole('button', { name: 'Delete Milo (copy)', exact: true }).click();
    // Asked once more before anything is deleted.
    await page.getByRole('group', { name: 'Delete Milo (copy)?' }).getByRole('button', { name: 'Delete Milo (copy)' }).click();
    await expect.poll(() => gallery.getByRole('listitem').count(), { timeout: 10_000 }).toBe(1);
    expect((await core.listProjects()).map((p) => p.name)).toEqual(['Milo']);

    await page.getByRole('button', { name: 'Open Milo', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Milo' }).isVisible(), { timeout: 10_000 }).toBe(true);
  });

  it('edits the personality with autosave, undo and redo', async () => {
    const original = (await core.openProject(await projectId())).bundle.personality.greeting;
    await setGreeting('Beep! I know everything about Acme Cloud.');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByLabel('Greeting').inputValue(), { timeout: 10_000 }).toBe(original);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => page.getByLabel('Greeting').inputValue(), { timeout: 10_000 }).toBe('Beep! I know everything about Acme Cloud.');
    await shoot('personality');
  });

  it('adds a document, inspects its passages and runs a test search', async () => {
    await tab('Knowledge');
    await page.getByLabel('Import a document').setInputFiles({ name: 'handbook.md', mimeType: 'text/markdown', buffer: Buffer.from(HANDBOOK) });
    const documents = page.getByRole('table', { name: 'Documents' });
    // The first import opens the project's index (PGlite) and loads the parsers: allow it time.
    await expect.poll(() => documents.textContent(), { timeout: 30_000 }).toMatch(/Acme Cloud handbook/);
    await documents.getByRole('button', { name: /passages/ }).click();
    await expect.poll(() => page.getByLabel('Passages').textContent(), { timeout: 10_000 }).toMatch(/Support/);
    await page.getByLabel('Test search').fill('When is support open?');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Search results' }).locator('li').first().textContent(), { timeout: 10_000 }).toMatch(/8 am to 8 pm/);
    await shoot('knowledge');
  });

  it('chats with the bot locally and gets cited answers', async () => {
    await tab('Chat');
    await page.getByLabel('Message').fill('How much does the Pro plan cost?');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('log');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toMatch(/29 dollars per month/);
    const transcript = (await log.textContent())!;
    expect(transcript).toMatch(/\[1\]/);
    expect(transcript).toMatch(/Sources\[1\] Acme Cloud handbook/);
    await shoot('chat');
  });

  it('goes online: signs in, links, publishes, and the bot answers through the widget', async () => {
    await tab('Publish');
    await page.getByLabel('Server').fill(server.url);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Create the bot on the server and link it' }).click();
    await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 10_000 }).toMatch(/bot_/);
    await expect.poll(() => page.getByText('(nothing published yet)').count(), { timeout: 10_000 }).toBe(1);

    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByTestId('published').textContent(), { timeout: 30_000 }).toMatch(/Version 1 is live/);

    const { link } = await core.openProject(await projectId());
    const reply = await askThroughWidget(server.graphqlUrl, link!.embedId, 'How much does the Pro plan cost?');
    expect(reply.text).toMatch(/29 dollars per month/);
    expect(reply.sources[0]).toMatchObject({ documentTitle: 'Acme Cloud handbook' });
    expect(reply.greeting).toBe('Beep! I know everything about Acme Cloud.');
  });

  it('shows the diff against the live version, publishes it, and rolls back', async () => {
    await setGreeting('Hi! Ask me about plans and support.');
    await tab('Publish');
    const pending = page.getByRole('table', { name: 'Pending changes' });
    await expect.poll(() => pending.textContent(), { timeout: 10_000 }).toMatch(/personality\.greeting.*changed.*Beep! I know everything about Acme Cloud\..*Hi! Ask me about plans and support\./);
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByTestId('published').textContent(), { timeout: 30_000 }).toMatch(/Version 2 is live/);
    await expect.poll(() => page.getByRole('table', { name: 'Published changes' }).textContent(), { timeout: 10_000 }).toMatch(/personality\.greeting/);
    await shoot('publish');

    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await expect.poll(() => page.getByTestId('published').textContent(), { timeout: 30_000 }).toMatch(/Version 3 is live \(version 1 again\)/);
    const { link } = await core.openProject(await projectId());
    expect((await askThroughWidget(server.graphqlUrl, link!.embedId, 'hello')).greeting).toBe('Beep! I know everything about Acme Cloud.');
  });

  it('shows a conflict when the bot changed on the server, and overwrites only when told to', async () => {
    const { link } = await core.openProject(await projectId());
    const query = 'query($id: ID!) { bot(id: $id) { draft } }';
    const { bot } = await graphqlOk(server.graphqlUrl, query, { id: link!.botId }, owner.accessToken);
    await graphqlOk(server.graphqlUrl, 'mutation($botId: ID!, $bundle: JSONObject!) { updateBotDraft(botId: $botId, bundle: $bundle) { id } }', {
      botId: link!.botId, bundle: { ...bot.draft, personality: { ...bot.draft.personality, greeting: 'Edited in the admin.' } },
    }, owner.accessToken);

    await setGreeting('Edited in Studio.');
    await tab('Publish');
    await page.getByRole('button', { name: 'Sync' }).click();
    const status = page.getByRole('status');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('conflict');
    await expect.poll(() => page.getByRole('table', { name: 'Server changes' }).textContent(), { timeout: 10_000 }).toMatch(/Edited in Studio\..*Edited in the admin\./);
    await shoot('conflict');

    await page.getByRole('button', { name: 'Keep mine (overwrite the server)' }).click();
    await expect.poll(async () => (await graphqlOk(server.graphqlUrl, query, { id: link!.botId }, owner.accessToken)).bot.draft.personality.greeting, { timeout: 10_000 }).toBe('Edited in Studio.');
    expect(pageErrors).toEqual([]);
  });

  it("chats through the server: the draft answers with the tenant's provider, streamed into the chat", async () => {
    // The draft names the tenant's chain: OpenAI (a local stand-in speaking its wire format), then offline.
    const id = await projectId();
    const { bundle } = await core.openProject(id);
    await core.updateBundle(id, { ...bundle, providers: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'offline', model: OFFLINE_MODEL }] });
    openai.setDefault({ tokenDelayMs: 30 });
    await tab('Chat');
    await page.getByRole('radio', { name: 'Server' }).click();
    // Every text the streaming reply shows, recorded as it changes.
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { streamed: string[] }).streamed = []);
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="streaming"]')?.textContent;
        if (text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByLabel('Message').fill('How much does the Pro plan cost?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('served').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('served').textContent()).toMatch(/answered by openai \(gpt-4o-mini\), \$0\.\d{6}/);
    const transcript = (await page.getByRole('log').textContent())!;
    expect(transcript).toContain(FAKE_ANSWER);
    expect(transcript).toMatch(/Sources\[1\] Acme Cloud handbook/);
    const streamed = await page.evaluate(() => (window as unknown as { streamed: string[] }).streamed);
    expect(streamed.some((text) => text.length > 1 && FAKE_ANSWER.startsWith(text) && text !== FAKE_ANSWER)).toBe(true);
    expect(openai.requests).toHaveLength(1);
    await shoot('chat-server');
  });

  it('shows the sync queue as main pushes it: waiting for the network, then up to date once it is back', async () => {
    await setGreeting('Written on a plane.');
    await tab('Publish');
    network.online = false;
    await page.getByRole('button', { name: 'Sync' }).click();
    const queue = page.getByTestId('sync-queue');
    await expect.poll(() => queue.getAttribute('data-state'), { timeout: 10_000 }).toBe('waiting-for-network');
    expect(await queue.textContent()).toMatch(/^Waiting for the network — The server cannot be reached/);
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 10_000 }).toMatch(/sync queued/);
    await shoot('sync-queue');

    network.online = true;
    await core.queue.flush(); // what the queue's timer does in the app
    await expect.poll(() => queue.getAttribute('data-state'), { timeout: 10_000 }).toBe('synced');
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 10_000 }).toBe('Synced');
    const { link } = await core.openProject(await projectId());
    const { bot } = await graphqlOk(server.graphqlUrl, 'query($id: ID!) { bot(id: $id) { draft } }', { id: link!.botId }, owner.accessToken);
    expect(bot.draft.personality.greeting).toBe('Written on a plane.');
    expect(pageErrors).toEqual([]);
  });
});
