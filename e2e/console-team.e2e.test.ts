// The Console's Team and integrations screen in real Chromium against a real server (issue 17): an owner
// invites a member, creates an API key (its secret shown once, then used, then revoked), and sends a test
// event to a webhook endpoint — a local HTTP receiver — seeing the delivery arrive and its attempts.
// Screenshots land in docs/console/ when MASCOT_UPDATE_SCREENSHOTS=1.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount } from '../server/src/test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../server/src/test/graphql-test-client.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../server/src/test/webhook-receiver.ts';
import { launchChromium } from './chromium.ts';
import { expectNoSeriousAxeViolations, openConsole, ownerMember, watchProblems, type ConsoleMember } from './console-page.ts';

const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/console')
  : path.join(tmpdir(), 'mascot-console-screenshots');
/** Generous: these tests share two cores with other suites; things must only arrive, not be fast. */
const SLOW_MACHINE_TIMEOUT = 45_000;

let server: TestServer;
let browser: Browser;
let receiver: WebhookReceiver;
let owner: ConsoleMember;

beforeAll(async () => {
  server = await startTestServer({
    // The receiver listens on loopback, which only an operator's explicit exemption allows.
    MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    MASCOT_WEBHOOK_POLL_MS: '100',
  });
  receiver = await startWebhookReceiver();
  owner = ownerMember(await signUpAccount(server.graphqlUrl, 'Team Co'));
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await server?.stop();
});

const tab = (page: Page, name: string) => page.getByRole('tab', { name });

/** A screenshot of the screen without the notices of what the test just did. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

describe('the Console team and integrations', () => {
  it('lets an owner invite a member, create, use and revoke an API key, and send a test webhook', async () => {
    const page = await openConsole(browser, server.url, owner, { path: '/team' });
    const problems = watchProblems(page);
    page.on('dialog', (dialog) => void dialog.accept());

    // Members: invite an agent; the link to pass on is shown.
    await page.getByLabel('E-mail').fill('new.agent@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('AGENT');
    await page.getByRole('button', { name: 'Invite' }).click();
    await expect.poll(() => page.getByTestId('invite-url').first().textContent()).toMatch(/invit/i);
    const { members } = await graphqlOk(server.graphqlUrl, `{ members(first: 10) { totalCount } }`, {}, owner.accessToken);
    expect(members.totalCount).toBe(1); // invited, not yet joined
    // A second invitation, withdrawn: its row leaves the pending list, as on the server.
    await page.getByLabel('E-mail').fill('mistake@example.com');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('button', { name: 'Withdraw the invitation of mistake@example.com' }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Withdraw the invitation/ }).count()).toBe(1);
    const { invitations } = await graphqlOk(server.graphqlUrl, `{ invitations(first: 10) { edges { node { email role } } } }`, {}, owner.accessToken);
    expect(invitations.edges.map((e: { node: unknown }) => e.node)).toEqual([{ email: 'new.agent@example.com', role: 'AGENT' }]);
    await expectNoSeriousAxeViolations(page, 'members');
    await screenshot(page, 'team-members.png');

    // API keys: create with scopes; the secret is shown once and works; revoking stops it.
    await tab(page, 'API keys').click();
    await page.getByLabel('Name').fill('CRM sync');
    await page.getByLabel('Analytics').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('api-key-secret').textContent())!;
    expect(secret).toMatch(/^mk_/);
    await expectNoSeriousAxeViolations(page, 'new key dialog');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await graphqlOk(server.graphqlUrl, `{ bots(first: 1) { edges { node { id } } } }`, {}, secret);
    const lastUsed = page.getByRole('row', { name: /CRM sync/ }).getByTestId('key-last-used');
    // Last use is recorded in the background; the list shows it when read again.
    await expect.poll(async () => {
      await tab(page, 'Members').click();
      await tab(page, 'API keys').click();
      return lastUsed.textContent();
    }, { timeout: SLOW_MACHINE_TIMEOUT }).not.toBe('Never');
    await expectNoSeriousAxeViolations(page, 'api keys');
    await screenshot(page, 'team-api-keys.png');
    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await page.getByRole('row', { name: /CRM sync/ }).getByText(/Revoked/).waitFor();
    await expect.poll(async () => (await graphqlRequest(server.graphqlUrl, `{ bots(first: 1) { totalCount } }`, {}, secret)).errors?.[0]?.extensions?.code)
      .toBe('UNAUTHENTICATED');

    // Webhooks: add the receiver, send a test event, see it delivered with its attempt.
    await tab(page, 'Webhooks').click();
    await page.getByLabel('Endpoint URL').fill(`${receiver.url}/mascot`);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.getByTestId('webhook-secret').textContent()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('button', { name: 'Send test event' }).click();
    const [received] = await receiver.waitFor(1, SLOW_MACHINE_TIMEOUT);
    expect(JSON.parse(received!.body).type).toBe('webhook.test');
    expect(received!.headers['webhook-signature']).toMatch(/^v1,/);
    await expect.poll(() => page.getByTestId('delivery-status').first().textContent(), { timeout: SLOW_MACHINE_TIMEOUT }).toBe('delivered');
    await page.getByRole('button', { name: /^1 · HTTP 200/ }).click();
    await page.getByRole('table', { name: 'Attempts of the delivery' }).getByText('HTTP 200').waitFor();
    await expectNoSeriousAxeViolations(page, 'webhooks');
    await screenshot(page, 'team-webhooks.png');
    // Replaying sends the same message again.
    await page.getByRole('button', { name: /Replay the webhook\.test delivery/ }).click();
    await receiver.waitFor(2, SLOW_MACHINE_TIMEOUT);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(received!.headers['webhook-id']);

    // Audit log and plan usage.
    await tab(page, 'Audit log').click();
    await page.getByText('api_key.revoked').waitFor();
    await expectNoSeriousAxeViolations(page, 'audit log');
    await screenshot(page, 'team-audit-log.png');
    await tab(page, 'Plan and usage').click();
    const { usage } = await graphqlOk(server.graphqlUrl, `{ usage { plan bots { used } } }`, {}, owner.accessToken);
    expect(await page.getByTestId('plan-name').textContent()).toBe(usage.plan);
    await page.getByRole('meter', { name: 'Bots' }).waitFor();
    await expectNoSeriousAxeViolations(page, 'plan and usage');
    await screenshot(page, 'team-usage.png');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('lets an owner keep the team’s canned replies: add, refuse a taken shortcut, edit, delete', async () => {
    const page = await openConsole(browser, server.url, owner, { path: '/team?tab=replies' });
    const problems = watchProblems(page);
    page.on('dialog', (dialog) => void dialog.accept());
    const cannedReplies = async () =>
      (await graphqlOk(server.graphqlUrl, `{ cannedReplies { shortcut text } }`, {}, owner.accessToken)).cannedReplies;
    await page.getByText('No canned replies yet').waitFor();

    for (const [shortcut, text] of [['/Greeting', 'Hi! Thanks for waiting — how can I help?'], ['hours', 'We are open 9 to 5, Monday to Friday.']]) {
      await page.getByLabel('Shortcut').fill(shortcut!);
      await page.getByLabel('Reply text').fill(text!);
      await page.getByRole('button', { name: 'Add reply' }).click();
      await page.getByRole('row', { name: new RegExp(`/${shortcut!.replace('/', '').toLowerCase()}`) }).waitFor();
    }
    expect(await cannedReplies()).toEqual([
      { shortcut: 'greeting', text: 'Hi! Thanks for waiting — how can I help?' },
      { shortcut: 'hours', text: 'We are open 9 to 5, Monday to Friday.' },
    ]);
    // A shortcut in use is refused, and the API's reason is shown.
    await page.getByLabel('Shortcut').fill('hours');
    await page.getByLabel('Reply text').fill('Another text');
    await page.getByRole('button', { name: 'Add reply' }).click();
    await page.getByText('The shortcut /hours is already in use.').waitFor();
    await page.getByLabel('Shortcut').fill('');
    await page.getByLabel('Reply text').fill('');
    await expectNoSeriousAxeViolations(page, 'canned replies');
    await screenshot(page, 'team-canned-replies.png');

    await page.getByRole('button', { name: 'Edit /hours' }).click();
    expect(await page.getByLabel('Reply text').inputValue()).toBe('We are open 9 to 5, Monday to Friday.');
    await page.getByLabel('Reply text').fill('We are open 8 to 6, Monday to Saturday.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('row', { name: /8 to 6/ }).waitFor();
    await page.getByRole('button', { name: 'Delete /greeting' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Delete /greeting' }).count()).toBe(0);
    expect(await cannedReplies()).toEqual([{ shortcut: 'hours', text: 'We are open 8 to 6, Monday to Saturday.' }]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
