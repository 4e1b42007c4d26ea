import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Kind, parse } from 'graphql';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { explorerRoutes } from '../server/src/app/explorer-routes.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // The explorer is served from server/explorer/dist: `npm run build` (the root test script builds first).
  server = await startTestServer({ MASCOT_SEED_DEMO: 'true', MASCOT_OFFLINE_TOKEN_DELAY_MS: '5' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Console errors and CSP reports of a page: the explorer must load without either. */
function watchConsole(page: Page) {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content.Security.Policy/i.test(text) || message.type() === 'error') {
      problems.push(`${text} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

/** An editor's visible text (Monaco renders spaces as non-breaking ones). */
const editorText = async (page: Page, selector: string) =>
  (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
const resultText = (page: Page) => editorText(page, '.result-window');

const executeButton = (page: Page) => page.getByRole('button', { name: /^Execute query/ });

interface GraphqlRequest {
  query: string;
  operationName?: string | null;
}
interface GraphqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/** The operation names a document defines (undefined for an anonymous one). */
const operationNamesOf = (query: string) =>
  parse(query)
    .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => operation.name?.value);

/** Every POST to /graphql the page sends from now on, with its JSON answer, in order of sending. */
function recordGraphqlRequests(page: Page) {
  const answered: { request: GraphqlRequest; answer: GraphqlAnswer }[] = [];
  const onResponse = async (response: Response) => {
    const request = response.request();
    if (request.method() !== 'POST' || new URL(request.url()).pathname !== '/graphql') return;
    const body = request.postDataJSON() as GraphqlRequest;
    if (body.operationName?.startsWith('Introspection')) return;
    answered.push({ request: body, answer: (await response.json()) as GraphqlAnswer });
  };
  page.on('response', onResponse);
  return { answered, stop: () => page.off('response', onResponse) };
}

/** The part of Monaco's API (GraphiQL's globalThis.__MONACO) the tests use to fill editors. */
interface MonacoGlobal {
  editor: { getModels(): { uri: { path: string }; getValue(): string; setValue(value: string): void }[] };
}

describe('the GraphQL explorer', () => {
  it('says how to build it when it is not built, and leaves API requests to the next handler', async () => {
    const app = express();
    app.use(explorerRoutes('/nonexistent/explorer/dist'));
    app.use((_req, res) => void res.status(418).send('next handler'));
    const http = createServer(app);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html,*/*;q=0.8' } });
      expect(page.status).toBe(503);
      expect(await page.text()).toBe('The explorer is not built. Run: npm run build');
      const apiRequests: RequestInit[] = [
        { headers: { accept: 'application/json' } },
        { headers: { accept: '*/*' } },
        { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/json' }, body: '{}' },
      ];
      for (const init of apiRequests) expect((await fetch(`${base}/graphql`, init)).status).toBe(418);
      expect((await fetch(`${base}/graphql?query=%7B__typename%7D`, { headers: { accept: 'text/html' } })).status).toBe(418);
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('is what a browser gets at /graphql, while API clients still reach Apollo', async () => {
    const html = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
    const body = await html.text();
    expect(body).toContain('/graphql/explorer/assets/');
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(body).not.toMatch(/https?:\/\//); // no CDN

    const asset = body.match(/\/graphql\/explorer\/assets\/[^"]+\.js/)![0];
    const script = await fetch(`${server.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');

    const api = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    const post = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('signs in with the demo account and runs the examples without CSP violations', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    const response = await page.goto(`${server.url}/graphql`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    // First visit: the Mascot panel is open and the example tabs are there.
    const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
    await expect.poll(() => signIn.isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByRole('tab').count()).toBeGreaterThanOrEqual(9);

    await page.getByLabel('Email').fill(server.demo!.email);
    await page.getByLabel('Password', { exact: true }).fill(server.demo!.password!);
    await signIn.click();
    const status = page.getByTestId('mascot-auth-status');
    await expect.poll(() => status.innerText(), { timeout: 20_000 }).toMatch(/Authorization: Bearer/);

    // Examples clicked and executed at once, several in a row (issue 22: Execute right after an
    // example opened used to send the previous tab's operation name). Every request on the wire must
    // name an operation of its own document, and each answer is the example's own data.
    const sent = recordGraphqlRequests(page);
    const examples = [
      { button: /^Me and my bots/, field: 'me' },
      { button: /^Create a bot/, field: 'createBot' },
      { button: /^Me and my bots/, field: 'me' },
      { button: /^Create a bot/, field: 'createBot' },
      { button: /^Me and my bots/, field: 'me' },
    ];
    for (const [index, example] of examples.entries()) {
      await page.getByRole('button', { name: example.button }).click();
      await executeButton(page).click();
      await expect.poll(() => sent.answered.length, { timeout: 20_000 }).toBe(index + 1);
      const { request, answer } = sent.answered[index]!;
      expect(operationNamesOf(request.query)).toContain(request.operationName);
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toHaveProperty(example.field);
    }
    // The Authorization header the panel put in the headers editor reached the server.
    expect(JSON.stringify(sent.answered[0]!.answer.data)).toContain(server.demo!.email);
    await expect.poll(() => resultText(page), { timeout: 20_000 }).toContain(server.demo!.email);
    expect(await resultText(page)).toContain('"embedId"');
    sent.stop();

    // A query typed into a new tab, which gets the same Authorization header.
    await page.getByRole('button', { name: 'New tab' }).click();
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('query Typename { __typename ');
    await page.keyboard.press('Escape'); // close the completion popup
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => resultText(page), { timeout: 20_000 }).toMatch(/"__typename": "Query"/);

    expect(problems).toEqual([]);
    await page.close();
  });

  it('streams a reply on the conversationEvents subscription, authorised by the visitor token', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/graphql`);
    await expect.poll(() => page.locator('.result-window .monaco-editor').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.evaluate(() => '__MONACO' in globalThis)).toBe(true);

    // Fill the active tab's editors through Monaco (GraphiQL exposes it as globalThis.__MONACO) and run.
    const run = async (operationName: string, query: string, variables: object) => {
      await page.evaluate(
        ([q, v]) => {
          const monaco = (globalThis as unknown as { __MONACO: MonacoGlobal }).__MONACO;
          for (const model of monaco.editor.getModels()) {
            if (model.uri.path.endsWith('operation.graphql')) model.setValue(q!);
            if (model.uri.path.endsWith('variables.json')) model.setValue(v!);
          }
        },
        [query, JSON.stringify(variables)],
      );
      // The tab is titled after the operation once GraphiQL has parsed the new document.
      await expect.poll(() => page.locator('.graphiql-tab-active').innerText()).toContain(operationName);
      await executeButton(page).click();
    };

    await run(
      'Start',
      'mutation Start($embedId: String!) { startConversation(embedId: $embedId) { conversationId visitorToken } }',
      { embedId: server.demo!.embedId },
    );
    await expect.poll(() => resultText(page), { timeout: 20_000 }).toMatch(/"visitorToken"/);
    const started = JSON.parse(await page.evaluate(() => {
      const monaco = (globalThis as unknown as { __MONACO: MonacoGlobal }).__MONACO;
      return monaco.editor.getModels().find((model) => model.uri.path.endsWith('response.json'))!.getValue();
    })) as { data: { startConversation: { conversationId: string; visitorToken: string } } };
    const { conversationId, visitorToken } = started.data.startConversation;

    // The panel takes the visitor token from the response and puts it in the Authorization header.
    const panel = page.getByRole('button', { name: 'Use token from the last response' });
    if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Sign in and examples' }).click();
    await panel.click();
    await expect.poll(() => page.getByTestId('mascot-auth-status').innerText()).toMatch(/Authorization: Bearer/);

    // The subscription runs over graphql-ws, authorised by connectionParams.authorization ...
    await run(
      'Events',
      `subscription Events($conversationId: ID!) {
        conversationEvents(conversationId: $conversationId) {
          __typename
          ... on ReplyCompleted { message { text sources { marker documentTitle } } }
        }
      }`,
      { conversationId },
    );
    await expect.poll(() => resultText(page), { timeout: 20_000 }).toMatch(/ConversationSubscribed/);

    // ... so a visitor message sent meanwhile streams its reply into the result pane.
    const sent = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${visitorToken}` },
      body: JSON.stringify({
        query: 'mutation ($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { id } }',
        variables: { c: conversationId, t: 'How much does the Pro plan cost?' },
      }),
    });
    expect(((await sent.json()) as { errors?: unknown }).errors).toBeUndefined();
    await expect.poll(() => resultText(page), { timeout: 30_000 }).toMatch(/ReplyCompleted/);
    expect(await resultText(page)).toMatch(/29 dollars per month/);

    // An example whose tab was overwritten opens again in a new tab from the panel's list.
    const tabs = await page.getByRole('tab').count();
    await page.getByRole('button', { name: /^Sign up/ }).click();
    await expect.poll(() => page.getByRole('tab').count()).toBe(tabs + 1);
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('mutation SignUp');
    await expect.poll(() => page.locator('.graphiql-tab-active').innerText()).toContain('SignUp');

    expect(problems).toEqual([]);
    await page.close();
  });
});
