// The live preview's stand-in for a Mascot server, through the core as Studio uses it: the host page with
// the real loader, the loader's configuration following the draft (placement, theme, variant, teaser), and
// a visitor's conversation over the server's own GraphQL schema (HTTP mutations, graphql-ws events)
// answered by the offline answerer from the project's knowledge.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDBOOK, utf8 } from '../../../test/fixtures.ts';
import { createStudioCore, type StudioCore } from '../studio-core.ts';

let workspaceDir: string;
let core: StudioCore;
let projectId: string;
const opened: string[] = [];

beforeAll(async () => {
  workspaceDir = await mkdtemp(path.join(tmpdir(), 'studio-preview-'));
  core = createStudioCore({ workspaceDir, inMemoryIndex: true, openExternal: async (url) => void opened.push(url) });
  const project = await core.createProject({ name: 'Milo' });
  projectId = project.id;
  await core.importKnowledge(projectId, { fileName: 'handbook.md', bytes: utf8(HANDBOOK) });
  await core.updateBundle(projectId, {
    ...project.bundle,
    placement: { ...project.bundle.placement, include: ['/help/*'], position: 'bottom-left', delaySeconds: 2 },
    theme: { ...project.bundle.theme, primaryColor: '#0f766e' },
    variants: [{ id: 'control', weight: 1 }, { id: 'short', weight: 1, greeting: 'Quick question?' }],
    engagement: { teaser: { enabled: true, delaySeconds: 3, text: null, pages: [] }, sound: false },
  });
});

afterAll(async () => {
  await core?.close();
  await rm(workspaceDir, { recursive: true, force: true });
});

const post = async (url: string, query: string, variables: Record<string, unknown>) =>
  (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as {
    data?: Record<string, Record<string, unknown>>;
    errors?: { message: string }[];
  };

describe('the live preview server', () => {
  it('serves a host page with the real loader under the CSP recipe, and the draft as the loader reads it', async () => {
    const { url } = await core.previewPage(projectId, { variantId: 'short', pagePath: '/help/returns' });
    const page = await fetch(url);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/);
    const html = await page.text();
    const embedId = /data-bot="([^"]+)"/.exec(html)![1]!;
    expect(embedId).toMatch(/^[0-9a-f]{32}~short$/);
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/embed.js`)).status).toBe(200);

    const config = await (await fetch(`${origin}/widget/config/${encodeURIComponent(embedId)}?visitor=v1`)).json();
    expect(config).toMatchObject({
      placement: { include: ['/help/*'], position: 'bottom-left', delaySeconds: 2 },
      theme: { primaryColor: '#0f766e', launcher: 'bubble' },
      variantId: 'short',
      engagement: { teaser: { text: 'Quick question?', delaySeconds: 3 } },
    });
    // Unknown pages and tokens are not previews.
    expect((await fetch(`${origin}/help/returns?mascot-preview=${'0'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${origin}/widget/config/${'0'.repeat(32)}`)).status).toBe(404);
  });

  it('follows the draft: a saved edit is what the next request sees', async () => {
    const { bundle } = await core.openProject(projectId);
    await core.updateBundle(projectId, { ...bundle, theme: { ...bundle.theme, primaryColor: '#be185d', colorScheme: 'dark' } });
    const { url } = await core.previewPage(projectId, { variantId: null, pagePath: '/' });
    const embedId = new URL(url).searchParams.get('mascot-preview')!;
    const config = await (await fetch(`${new URL(url).origin}/widget/config/${embedId}`)).json();
    expect(config.theme.primaryColor).toBe('#be185d');
  });

  it("answers a visitor through the widget's GraphQL: the reply streams as deltas and cites the knowledge", async () => {
    const { url } = await core.previewPage(projectId, { variantId: 'short', pagePath: '/' });
    const origin = new URL(url).origin;
    const embedId = new URL(url).searchParams.get('mascot-preview')!;
    const started = await post(`${origin}/graphql`,
      'mutation($embedId: String!) { startConversation(embedId: $embedId) { conversationId visitorToken bot { name greeting variantId theme { primaryColor colorScheme showBranding } avatar { modelUrl } } } }',
      { embedId });
    expect(started.errors).toBeUndefined();
    const session = started.data!['startConversation']!;
    expect(session['bot']).toEqual({ name: 'Milo', greeting: 'Quick question?', variantId: 'short', theme: { primaryColor: '#be185d', colorScheme: 'dark', showBranding: true }, avatar: null });

    const ws = createClient({ url: `${origin.replace('http', 'ws')}/graphql`, connectionParams: { visitorToken: session['visitorToken'] } });
    const events: { __typename: string; delta?: string; message?: { text: string; role: string; sources: { documentTitle: string }[] } }[] = [];
    const completed = new Promise<void>((resolve, reject) => {
      ws.subscribe(
        {
          query: 'subscription($id: ID!) { conversationEvents(conversationId: $id) { __typename ... on ReplyDelta { delta } ... on ReplyCompleted { message { text role sources { documentTitle } } } } }',
          variables: { id: session['conversationId'] },
        },
        {
          next: ({ data }) => {
            const event = (data as { conversationEvents: (typeof events)[number] }).conversationEvents;
            events.push(event);
            if (event.__typename === 'ConversationSubscribed') {
              void post(`${origin}/graphql`, 'mutation($id: ID!, $text: String!) { sendMessage(conversationId: $id, text: $text) { role text } }',
                { id: session['conversationId'], text: 'How much does the Pro plan cost?' }).then((sent) => {
                expect(sent.data!['sendMessage']).toEqual({ role: 'VISITOR', text: 'How much does the Pro plan cost?' });
              }, reject);
            }
            if (event.__typename === 'ReplyCompleted') resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await completed;
    await ws.dispose();
    const deltas = events.filter((e) => e.__typename === 'ReplyDelta').map((e) => e.delta).join('');
    const reply = events.find((e) => e.__typename === 'ReplyCompleted')!.message!;
    expect(reply.text).toMatch(/29 dollars per month/);
    expect(deltas).toBe(reply.text);
    expect(events.filter((e) => e.__typename === 'ReplyDelta').length).toBeGreaterThan(1);
    expect(reply).toMatchObject({ role: 'ASSISTANT', sources: [{ documentTitle: 'Acme Cloud handbook' }] });
  });

  it('opens a test page in the system browser', async () => {
    const { url } = await core.openTestPage(projectId, { variantId: null, pagePath: '/pricing' });
    expect(opened).toEqual([url]);
    expect(new URL(url).pathname).toBe('/pricing');
  });

  it('keeps answers about the bundle in order: each edit, undo and redo counts up', async () => {
    const { bundle, editSequence: before } = await core.openProject(projectId);
    const edited = await core.updateBundle(projectId, { ...bundle, name: 'Milo the second' });
    const undone = await core.undo(projectId);
    expect([edited.editSequence, undone.editSequence]).toEqual([before + 1, before + 2]);
  });
});
