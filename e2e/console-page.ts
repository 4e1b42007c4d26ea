// Browser helpers for the Console's tests (server/console): a member of a tenant with a given role, the
// Console opened signed in as them, problems the page reports, and an axe check.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { signUpAccount, type Account } from '../server/src/test/fixtures.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { ACCEPT_INVITATION, INVITE_MEMBER } from '../server/src/test/operations.ts';

export type ConsoleRole = 'OWNER' | 'ADMIN' | 'DESIGNER' | 'AGENT' | 'ANALYST' | 'VIEWER';

/** A member signed in to one tenant: the tokens the Console keeps in sessionStorage. */
export interface ConsoleMember {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

/** The desktop and tablet sizes the Console is built for. */
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const TABLET: BrowserContextOptions = { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The owner's Account as a ConsoleMember (their tokens are for their own tenant). */
export const ownerMember = (owner: Account): ConsoleMember => ({ ...owner });

/**
 * A new account that joins the tenant of `ownerToken` with `role` (invitation accepted), signed in to that
 * tenant. Its own sign-up tenant stays its first one, so a plain logIn would land there: the Console's tenant
 * switcher, or these tokens, reach the invited tenant.
 */
export async function invitedMember(graphqlUrl: string, ownerToken: string, role: ConsoleRole): Promise<ConsoleMember> {
  const account = await signUpAccount(graphqlUrl, `${role.toLowerCase()}'s own`);
  const { inviteMember } = await graphqlOk(graphqlUrl, INVITE_MEMBER, { input: { email: account.email, role } }, ownerToken);
  const { acceptInvitation } = await graphqlOk(graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, account.accessToken);
  return { email: account.email, password: account.password, userId: account.userId, accessToken: acceptInvitation.accessToken, refreshToken: acceptInvitation.refreshToken };
}

/** Key and shape of the Console's session in sessionStorage (server/console/src/app/session.ts). */
const SESSION_KEY = 'mascot-console:session';

/**
 * A new browser context with the Console open at `path` (under /console), signed in as `member`: the
 * tokens are put in the tab's sessionStorage before the app starts, as a sign-in would. Resolves when the
 * shell shows the member.
 */
export async function openConsole(
  browser: Browser,
  serverUrl: string,
  member: ConsoleMember,
  { path = '/', context: contextOptions = DESKTOP }: { path?: string; context?: BrowserContextOptions } = {},
): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', ...contextOptions });
  await context.addInitScript(
    ({ key, value }) => {
      // Runs in the page (DOM types are not in the Node test project's lib).
      const page = globalThis as unknown as { location: { pathname: string }; sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } };
      if (page.location.pathname.startsWith('/console') && !page.sessionStorage.getItem(key)) page.sessionStorage.setItem(key, value);
    },
    { key: SESSION_KEY, value: JSON.stringify({ accessToken: member.accessToken, refreshToken: member.refreshToken }) },
  );
  const page = await context.newPage();
  await page.goto(`${serverUrl}/console${path === '/' ? '/' : path}`);
  await page.getByTestId('signed-in-member').filter({ hasText: member.email }).waitFor({ timeout: 20_000 });
  return page;
}

/** Console errors, CSP violations and failed requests of a page: the Console must run without any. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content.Security.Policy/i.test(text) || message.type() === 'error') problems.push(`${text} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, so the Console's CSP, which forbids
 * inline scripts, does not have to be loosened for it) and fails on serious or critical violations.
 */
export async function expectNoSeriousAxeViolations(page: Page, context = 'page'): Promise<void> {
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> } };
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), context).toEqual([]);
}
