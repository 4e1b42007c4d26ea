// The Console's Analytics, Leads and Knowledge gaps screens in real Chromium against a real server (issue 17).
// The data is the demo tenant's fortnight of conversations, written by the demo seed through the real
// write paths (rows + the domain-event outbox that feeds analytics), inside a 30-day window: an analyst reads
// every figure and chart, and each number shown equals what the GraphQL API answers for the same range.
// Screenshots land in docs/console/ when MASCOT_UPDATE_SCREENSHOTS=1.
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EMAIL } from '../server/src/app/demo-seed.ts';
import { graphqlOk } from '../server/src/test/graphql-test-client.ts';
import { LOG_IN, SEND_MESSAGE, START_CONVERSATION } from '../server/src/test/operations.ts';
import { ownerQuery } from '../server/src/test/owner-database.ts';
import { eventsOf, startVisitorSession, subscribeToEvents, textOf } from '../server/src/test/conversation-stream.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { formatAverage, formatCount, formatMs, formatPercent, formatUsd } from '../server/console/src/screens/analytics/format.ts';
import { launchChromium } from './chromium.ts';
import { expectNoSeriousAxeViolations, invitedMember, openConsole, watchProblems, type ConsoleMember } from './console-page.ts';

const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(import.meta.dirname, '../docs/console')
  : path.join(tmpdir(), 'mascot-console-screenshots');
const PASSWORD = 'demo-password-for-console-tests';
const DAY_MS = 86_400_000;
const range = { from: new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) };

const FIGURES = `conversations messages visitorMessages uniqueVisitors ttftMedianMs ttftP95Ms handedOffConversations
  resolvedWithoutHandoffShare sentiment { positive neutral negative } leads unansweredQuestions costUsd
  feedback { helpfulAnswers unhelpfulAnswers helpfulShare csatResponses csatAverage csatSatisfiedShare }`;
const TENANT_REPORT = `query($from: String!, $to: String!) { tenantAnalytics(from: $from, to: $to) { days { day ${FIGURES} } totals { ${FIGURES} } } }`;
const BOT_REPORT = `query($botId: ID!, $from: String!, $to: String!) { botAnalytics(botId: $botId, from: $from, to: $to) { days { day ${FIGURES} } totals { ${FIGURES} } } }`;

type Day = Record<string, any>;

let server: TestServer;
let browser: Browser;
let owner: ConsoleMember;
let botId: string;

beforeAll(async () => {
  server = await startTestServer({ MASCOT_SEED_DEMO: 'true', MASCOT_DEMO_PASSWORD: PASSWORD });
  expect(await server.demo!.conversationsSeeded).toBeGreaterThan(0);
  const { logIn } = await graphqlOk(server.graphqlUrl, LOG_IN, { input: { email: DEMO_EMAIL, password: PASSWORD } });
  owner = { email: DEMO_EMAIL, password: PASSWORD, userId: logIn.user.id, accessToken: logIn.accessToken, refreshToken: logIn.refreshToken };
  const { bots } = await graphqlOk(server.graphqlUrl, `{ bots(first: 5) { edges { node { id } } } }`, {}, owner.accessToken);
  botId = bots.edges[0].node.id;
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The totals tiles as the API's figures read on screen (the screen's own formatting). */
function expectedTiles(t: Day): Record<string, string> {
  return {
    conversations: formatCount(t.conversations),
    messages: formatCount(t.messages),
    'unique-visitors': formatCount(t.uniqueVisitors),
    'resolved-share': formatPercent(t.resolvedWithoutHandoffShare),
    'handoff-rate': formatPercent(t.conversations ? t.handedOffConversations / t.conversations : null),
    'ttft-median': formatMs(t.ttftMedianMs),
    'ttft-p95': formatMs(t.ttftP95Ms),
    'helpful-share': formatPercent(t.feedback.helpfulShare),
    csat: formatAverage(t.feedback.csatAverage),
    leads: formatCount(t.leads),
    unanswered: formatCount(t.unansweredQuestions),
    cost: formatUsd(t.costUsd),
  };
}

/** Every chart's series per day, from the API, formatted as the chart's table shows them. */
function expectedTables(days: Day[]): Record<string, string[][]> {
  const share = (d: Day) => (d.conversations > 0 ? formatPercent(d.handedOffConversations / d.conversations) : '—');
  const nullable = (value: string) => (value === '—' ? '—' : value);
  const rows = (f: (d: Day) => string[]) => days.map((d) => [d.day, ...f(d)]);
  return {
    conversations: rows((d) => [formatCount(d.conversations), formatCount(d.messages)]),
    visitors: rows((d) => [formatCount(d.uniqueVisitors)]),
    handoffs: rows((d) => [nullable(formatPercent(d.resolvedWithoutHandoffShare)), share(d)]),
    ttft: rows((d) => [formatMs(d.ttftMedianMs), formatMs(d.ttftP95Ms)]),
    sentiment: rows((d) => [formatCount(d.sentiment.positive), formatCount(d.sentiment.neutral), formatCount(d.sentiment.negative)]),
    feedback: rows((d) => [formatCount(d.feedback.helpfulAnswers), formatCount(d.feedback.unhelpfulAnswers)]),
    leads: rows((d) => [formatCount(d.leads)]),
    unanswered: rows((d) => [formatCount(d.unansweredQuestions)]),
    cost: rows((d) => [formatUsd(d.costUsd)]),
  };
}

async function readTiles(page: Page, ids: string[]): Promise<Record<string, string>> {
  const shown: Record<string, string> = {};
  for (const id of ids) {
    // The tile's value without its hint line.
    shown[id] = await page.getByTestId(`stat-${id}`).evaluate((element) => (element.firstChild?.textContent ?? '').trim());
  }
  return shown;
}

async function readTable(page: Page, chart: string): Promise<string[][]> {
  return page.getByTestId(`chart-${chart}`).locator('tbody tr').evaluateAll((rows) =>
    // Runs in the page (DOM types are not in the Node test project's lib).
    rows.map((row) => Array.from((row as unknown as { querySelectorAll(s: string): Iterable<{ textContent: string | null }> }).querySelectorAll('td'), (cell) => (cell.textContent ?? '').trim())),
  );
}

describe('the Console analytics', () => {
  it("shows an analyst every figure and chart of a month, equal to the API's, per tenant and per bot, with live counters and a CSV", async () => {
    const analyst = await invitedMember(server.graphqlUrl, owner.accessToken, 'ANALYST');
    const page = await openConsole(browser, server.url, analyst, { path: '/analytics' });
    const problems = watchProblems(page);

    const { tenantAnalytics } = await graphqlOk(server.graphqlUrl, TENANT_REPORT, range, analyst.accessToken);
    expect(tenantAnalytics.totals.conversations).toBeGreaterThan(20);
    const tiles = expectedTiles(tenantAnalytics.totals);
    await page.getByTestId('stat-conversations').waitFor();
    expect(await readTiles(page, Object.keys(tiles))).toEqual(tiles);
    // Charts are drawn (uPlot canvases) with their text alternatives.
    await expect.poll(() => page.locator('.chart__canvas canvas').count()).toBeGreaterThanOrEqual(9);
    expect(await page.getByTestId('chart-conversations-summary').textContent()).toContain(`${formatCount(tenantAnalytics.totals.conversations)} conversations`);
    await expectNoSeriousAxeViolations(page, 'analytics, charts');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'analytics.png') });
    // Scrolls the content pane only (scrollIntoView also nudges the document, which the shell keeps still).
    await page.getByRole('heading', { name: 'Per day' }).evaluate((heading) => {
      heading.scrollIntoView();
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0);
    });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'analytics-charts.png') });

    // Every chart's numbers, day by day, as tables.
    await page.getByRole('button', { name: 'Show tables' }).click();
    const tables = expectedTables(tenantAnalytics.days);
    for (const [chart, expected] of Object.entries(tables)) {
      expect(await readTable(page, chart), chart).toEqual(expected);
    }
    await expectNoSeriousAxeViolations(page, 'analytics, tables');

    // Costs per provider and model, as the API sums them.
    const { costsByModel } = await graphqlOk(
      server.graphqlUrl,
      `query($from: String!, $to: String!) { costsByModel(from: $from, to: $to) { provider model replies inputTokens outputTokens costUsd } }`,
      range,
      analyst.accessToken,
    );
    expect(costsByModel.length).toBeGreaterThan(0);
    const modelRows = await page.getByTestId('costs-by-model').locator('tbody tr').evaluateAll((rows) =>
      rows.map((row) => Array.from((row as unknown as { querySelectorAll(s: string): Iterable<{ textContent: string | null }> }).querySelectorAll('td'), (cell) => (cell.textContent ?? '').trim()).slice(0, 6)),
    );
    expect(modelRows).toEqual(costsByModel.map((c: Day) => [c.provider, c.model, formatCount(c.replies), formatCount(c.inputTokens), formatCount(c.outputTokens), formatUsd(c.costUsd)]));

    // One bot: its own report.
    await page.getByLabel('Bot', { exact: true }).selectOption(botId);
    const { botAnalytics } = await graphqlOk(server.graphqlUrl, BOT_REPORT, { botId, ...range }, analyst.accessToken);
    await expect.poll(() => readTiles(page, Object.keys(tiles))).toEqual(expectedTiles(botAnalytics.totals));

    // Today, live: the analyticsCounters subscription's first reading equals today's row of the report.
    const today = botAnalytics.days.at(-1);
    await expect.poll(() => page.getByTestId('live-conversations').first().textContent()).toBe(formatCount(today.conversations));
    expect(await page.getByTestId('live-messages').first().textContent()).toBe(formatCount(today.messages));

    // CSV: the server's export for the same bot and range.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^mascot-analytics-bot-.*\.csv$/);
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(1 + 30 + 1);
    expect(lines.at(-1)).toMatch(new RegExp(`^total,${botAnalytics.totals.conversations},`));
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

const LEADS = `query($filter: LeadFilterInput) { leads(first: 100, filter: $filter) { totalCount edges { node { id name handledAt } } } }`;
const SUBMIT_CONTACT = `mutation($conversationId: ID!, $input: ContactDetailsInput!) { submitContactDetails(conversationId: $conversationId, input: $input) { leadId } }`;
const leadRange = { from: `${range.from}T00:00:00.000Z`, to: new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS).toISOString() };

describe('the Console leads', () => {
  it('lists the open leads, marks one handled, and exports them with formulas made inert', async () => {
    const page = await openConsole(browser, server.url, owner, { path: '/leads' });
    const problems = watchProblems(page);
    const demoLeads = await graphqlOk(server.graphqlUrl, LEADS, { filter: { ...leadRange, handled: false } }, owner.accessToken);
    await expect.poll(() => page.getByTestId('leads-count').textContent()).toBe(`${demoLeads.leads.totalCount} leads`);
    await expectNoSeriousAxeViolations(page, 'leads');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'leads.png') });

    // A visitor whose name a spreadsheet would run as a formula.
    const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: server.demo!.embedId });
    await graphqlOk(server.graphqlUrl, SUBMIT_CONTACT, {
      conversationId: startConversation.conversationId,
      input: { name: '=HYPERLINK("http://evil.example","Click")', email: 'formula@example.com', consent: true },
    }, startConversation.visitorToken);
    await page.reload();
    const open = await graphqlOk(server.graphqlUrl, LEADS, { filter: { ...leadRange, handled: false } }, owner.accessToken);
    expect(open.leads.totalCount).toBe(demoLeads.leads.totalCount + 1);
    await expect.poll(() => page.getByTestId('leads-count').textContent()).toBe(`${open.leads.totalCount} leads`);
    expect(await page.locator('tbody tr').count()).toBe(open.leads.totalCount);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(1 + open.leads.totalCount);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);

    const first = open.leads.edges[0].node;
    await page.getByRole('button', { name: `Mark handled: ${first.name}` }).click();
    await expect.poll(async () => (await graphqlOk(server.graphqlUrl, LEADS, { filter: { ...leadRange, handled: true } }, owner.accessToken)).leads.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(first.id);
    await expect.poll(() => page.getByTestId('leads-count').textContent()).toBe(`${open.leads.totalCount - 1} leads`);
    await page.getByLabel('Status').selectOption('handled');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the Console knowledge gaps', () => {
  it('lists the questions the knowledge missed, grouped by meaning; "answer this" and publishing make the bot answer it', async () => {
    const page = await openConsole(browser, server.url, owner, { path: '/knowledge-gaps' });
    const problems = watchProblems(page);
    const { unansweredQuestions } = await graphqlOk(
      server.graphqlUrl,
      `query($botId: ID!, $from: String!, $to: String!) { unansweredQuestions(botId: $botId, from: $from, to: $to) { question } }`,
      { botId, ...range },
      owner.accessToken,
    );
    expect(unansweredQuestions.length).toBeGreaterThan(0);
    const gapRows = page.getByRole('tabpanel').locator('tbody tr');
    await expect.poll(() => gapRows.count()).toBeGreaterThan(0);
    const gap = (await gapRows.first().locator('td').first().evaluate((cell) => cell.firstChild?.textContent ?? '')).trim();
    expect(unansweredQuestions.map((q: { question: string }) => q.question.toLowerCase())).toContain(gap.toLowerCase());
    const gapsBefore = await gapRows.count();
    await expect.poll(() => page.getByTestId('gap-conversations').locator('li').count()).toBeGreaterThan(0);
    await expectNoSeriousAxeViolations(page, 'knowledge gaps');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-gaps.png') });

    const answer = 'Yes: Acme Cloud connects to it through our certified connector, included in every paid plan.';
    await page.getByLabel('Answer', { exact: true }).fill(answer);
    await page.getByRole('button', { name: 'Add to the draft' }).click();
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText(/Published version \d+/).waitFor();
    // The answered gap leaves the list.
    await page.getByRole('tab', { name: /Unanswered/ }).click();
    await expect.poll(() => gapRows.count()).toBe(gapsBefore - 1);

    // A visitor asking it now gets the curated answer.
    const session = await startVisitorSession(server.graphqlUrl, server.demo!.embedId);
    const { client, recorder } = await subscribeToEvents(server.websocketUrl, session, null);
    try {
      await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: gap }, session.visitorToken);
      await recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted', 30_000);
      expect(textOf(eventsOf(recorder))).toContain('certified connector');
    } finally {
      await client.dispose();
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the Console platform view', () => {
  it('is listed for platform admins only and shows every active tenant', async () => {
    const analyst = await invitedMember(server.graphqlUrl, owner.accessToken, 'ANALYST');
    const plain = await openConsole(browser, server.url, analyst, { path: '/analytics' });
    expect(await plain.getByRole('link', { name: 'Platform' }).count()).toBe(0);
    await plain.context().close();

    await ownerQuery(server.databaseUrl, `update app_user set is_platform_admin = true where id = $1`, [owner.userId]);
    const page = await openConsole(browser, server.url, owner, { path: '/platform' });
    const problems = watchProblems(page);
    await page.getByRole('cell', { name: 'Demo Company' }).waitFor();
    const { platformAnalytics } = await graphqlOk(server.graphqlUrl, `query($from: String!, $to: String!) { platformAnalytics(from: $from, to: $to) { tenants { tenantName conversations } } }`, range, owner.accessToken);
    const demo = platformAnalytics.tenants.find((t: { tenantName: string }) => t.tenantName === 'Demo Company');
    const row = page.getByRole('row', { name: /Demo Company/ });
    expect(await row.locator('td').nth(3).textContent()).toBe(formatCount(demo.conversations));
    await expectNoSeriousAxeViolations(page, 'platform');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'platform.png') });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
