// Every editor group of Studio in the real renderer (Chromium) against the real main-process core: a
// change autosaved into the bundle, a field error in the bundle's own words beside the field, and undo.
// Then the live preview (the real widget build on a mock host page) follows theme, placement and variant
// edits and answers from the project's knowledge; files dropped on the drop zones are imported; the embed
// snippet appears after publishing to a real server; the layout holds at 1024×700; axe finds nothing, light or dark.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import type { BotBundle } from '@mascot/bot-bundle';
import type { Frame, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makePdf, proseLines } from '../../packages/knowledge-core/src/parsers/fixtures/make-pdf.ts';
import { signUpAccount, type Account } from '../../server/src/test/fixtures.ts';
import { graphqlOk } from '../../server/src/test/graphql-test-client.ts';
import { startTestServer, type TestServer } from '../../server/src/test/test-server.ts';
import type { StudioCore } from '../src/main/studio-core.ts';
import { recordFailure, startStudioHarness, type StudioHarness } from './studio-harness.ts';

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let harness: StudioHarness;
let core: StudioCore;
let page: Page;
let server: TestServer;
let owner: Account;
const opened: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUpAccount(server.graphqlUrl, 'Bakery');
  harness = await startStudioHarness({ openExternal: async (url) => void opened.push(url) });
  ({ core, page } = harness);
});

afterAll(async () => {
  await harness?.close();
  await server?.stop();
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await recordFailure(page, context.task.name);
});

const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
const undo = () => page.getByRole('button', { name: 'Undo' }).click();

async function saved(): Promise<BotBundle> {
  const [project] = await core.listProjects();
  return (await core.openProject(project!.id)).bundle;
}

/** Waits until the saved bundle satisfies `check` (autosave runs half a second after the last edit). */
async function untilSaved<T>(read: (bundle: BotBundle) => T, expected: T): Promise<void> {
  await expect.poll(async () => read(await saved()), { timeout: 10_000 }).toEqual(expected);
}

/** The error shown beside the field labelled `label` (its aria-describedby). */
async function fieldError(label: string | RegExp): Promise<string> {
  const ids = (await page.getByLabel(label, { exact: typeof label === 'string' }).first().getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(ids.split(' ').filter((id) => id.endsWith('-error')).map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(' ');
}

async function axeViolations(): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function dropFile(zone: Locator, file: { name: string; type: string; bytes: Uint8Array }): Promise<void> {
  const transfer = await page.evaluateHandle(({ name, type, data }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name, { type }));
    return dt;
  }, { name: file.name, type: file.type, data: Buffer.from(file.bytes).toString('base64') });
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

/** The launcher the real loader drew on the preview's host page (inside <mascot-widget>'s open shadow root). */
function launcher(device: 'desktop' | 'phone'): Locator {
  return page.frameLocator(`[data-testid="preview-${device}"]`).locator('mascot-widget #l');
}

async function launcherColor(device: 'desktop' | 'phone'): Promise<string> {
  return launcher(device).evaluate((el) => getComputedStyle(el).backgroundColor);
}

async function previewFrame(device: 'desktop' | 'phone'): Promise<Frame> {
  const handle = await page.getByTestId(`preview-${device}`).elementHandle();
  return (await handle!.contentFrame())!;
}

describe('Studio editors', () => {
  it('creates a project with the built-in avatar', async () => {
    await page.goto(harness.bridge.url);
    await page.getByLabel('New bot name').fill('Pip');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('button', { name: 'Use Milo' }).click();
    await expect.poll(async () => (await saved()).avatar.kind, { timeout: 10_000 }).toBe('builtin');
  });

  it('Personality: picks a language by name, shows labels, refuses an empty greeting, undoes', async () => {
    await tab('Personality');
    expect(await page.getByRole('radiogroup', { name: 'Tone' }).textContent()).toContain('Friendly');
    await page.getByLabel('Language').selectOption({ label: 'German' });
    await untilSaved((b) => b.personality.language, 'de');
    await page.getByLabel('Greeting').fill('   ');
    await expect.poll(() => fieldError('Greeting')).toBe('must not be empty');
    expect(await page.getByTestId('save-status').textContent()).toMatch(/Not saved/);
    await page.getByLabel('Greeting').fill('Hallo! Ich bin Pip.');
    await untilSaved((b) => b.personality.greeting, 'Hallo! Ich bin Pip.');
    await undo();
    await expect.poll(() => page.getByLabel('Greeting').inputValue(), { timeout: 10_000 }).toMatch(/^Hi! I'm Pip/);
    await undo();
    await expect.poll(() => page.getByLabel('Language').inputValue(), { timeout: 10_000 }).toBe('en');
  });

  it('Appearance: colours with the bundle’s error beside the field, launcher, branding, undo', async () => {
    await tab('Appearance');
    await page.getByLabel('Accent colour', { exact: true }).fill('#12345');
    await expect.poll(() => fieldError('Accent colour')).toBe('must be a color in the form #rrggbb, such as #4f46e5');
    await page.getByLabel('Accent colour', { exact: true }).fill('#0F766E');
    await untilSaved((b) => b.theme.primaryColor, '#0f766e');
    await page.getByRole('radio', { name: 'The avatar' }).click();
    await untilSaved((b) => b.theme.launcher, 'avatar');
    await page.getByRole('switch', { name: 'Hide “Powered by Mascot”' }).check();
    await untilSaved((b) => b.theme.whiteLabel, true);
    await undo();
    await untilSaved((b) => b.theme.whiteLabel, false);
    await expect.poll(() => page.getByRole('switch', { name: 'Hide “Powered by Mascot”' }).isChecked(), { timeout: 10_000 }).toBe(false);
    // Dark mode: 'auto' is the bundle's absent spelling; the widget in the preview below turns dark.
    expect(await page.getByRole('radio', { name: 'Follow the visitor’s system' }).getAttribute('aria-checked')).toBe('true');
    await page.getByRole('radio', { name: 'Always light' }).click();
    await untilSaved((b) => b.theme.colorScheme, 'light');
    await page.getByRole('radio', { name: 'Always dark' }).click();
    await untilSaved((b) => b.theme.colorScheme, 'dark');
    await undo();
    await untilSaved((b) => b.theme.colorScheme, 'light');
    await page.getByRole('radio', { name: 'Always dark' }).click();
    await untilSaved((b) => b.theme.colorScheme, 'dark');
    await harness.shoot('appearance');
  });

  it('Placement: page patterns with a live URL tester, delay, devices, position, teaser, undo', async () => {
    await tab('Placement');
    await page.getByLabel('Show on pages').fill('https://shop.example.com/help/*');
    await expect.poll(() => fieldError('Show on pages')).toBe('Line 1: must leave out the scheme, such as example.com/pricing/*');
    await page.getByLabel('Show on pages').fill('/help/*\n/faq');
    await untilSaved((b) => b.placement.include, ['/help/*', '/faq']);
    const verdict = page.getByTestId('url-verdict');
    await page.getByLabel('Test a page address').fill('https://shop.example.com/help/returns');
    expect(await verdict.textContent()).toBe('Shown on this page');
    await page.getByLabel('Test a page address').fill('shop.example.com/pricing');
    expect(await verdict.textContent()).toBe('Hidden: no included pattern matches');
    await page.getByLabel('Never on pages').fill('/help/internal/*');
    await page.getByLabel('Test a page address').fill('shop.example.com/help/internal/x');
    expect(await verdict.textContent()).toBe('Hidden: an excluded pattern matches');

    await page.getByLabel('Delay before the launcher appears').fill('500');
    await expect.poll(() => fieldError('Delay before the launcher appears')).toBe('must be at most 120');
    await page.getByLabel('Delay before the launcher appears').fill('0');
    await page.getByRole('switch', { name: 'Tablet' }).uncheck();
    await page.getByRole('radio', { name: 'Bottom left' }).click();
    await page.getByRole('switch', { name: 'Show a teaser bubble beside the launcher' }).check();
    await page.getByLabel('Teaser delay').fill('0');
    await untilSaved((b) => [b.placement.position, b.placement.devices, b.engagement?.teaser.enabled], ['bottom-left', ['desktop', 'mobile'], true]);
    await undo();
    // One autosave held all of these edits: undo takes the whole step back.
    await untilSaved((b) => [b.placement.position, b.engagement?.teaser.enabled ?? false], ['bottom-right', false]);
    await page.getByRole('button', { name: 'Redo' }).click();
    await untilSaved((b) => b.placement.position, 'bottom-left');
    await page.getByLabel('Test a page address').fill('https://shop.example.com/help/returns');
    await harness.shoot('placement');
  });

  it('Audience: allowed sites, A/B variants with weights, shares and a per-variant diff, undo', async () => {
    await tab('Audience');
    await page.getByLabel('Allowed sites').fill('https://shop.example.com/cart');
    await expect.poll(() => fieldError('Allowed sites')).toMatch(/^Line 1: /);
    await page.getByLabel('Allowed sites').fill('https://shop.example.com');
    await untilSaved((b) => b.allowedOrigins, ['https://shop.example.com']);

    await page.getByRole('button', { name: 'Add a variant' }).click();
    await page.getByRole('button', { name: 'Add a variant' }).click();
    await untilSaved((b) => b.variants.map((v) => v.id), ['control', 'variant-2']);
    // Found by position: the group is named after the id being edited.
    const second = page.locator('fieldset.variant').nth(1);
    await second.getByLabel('Variant id').fill('Short Greeting');
    await expect.poll(() => second.locator('.field-error').first().textContent()).toBe("must be lowercase letters, digits and single hyphens, such as 'short-greeting'");
    // Every other save waits for it; the sidebar says where the problem is.
    expect(await page.getByRole('tab', { name: /^Audience/ }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: /^Audience\W+1 to fix$/ }).waitFor({ timeout: 5_000 });
    await second.getByLabel('Variant id').fill('short-greeting');
    const renamed = page.getByRole('group', { name: 'Variant short-greeting' });
    await renamed.getByLabel('Weight', { exact: true }).fill('150');
    await expect.poll(() => renamed.locator('.field-error').first().textContent()).toBe('must be at most 100');
    await renamed.getByLabel('Weight', { exact: true }).fill('25');
    await renamed.getByLabel('Greeting', { exact: true }).fill('Hi! Quick question?');
    await renamed.getByLabel('Tone', { exact: true }).selectOption({ label: 'Playful' });
    await untilSaved((b) => b.variants[1], { id: 'short-greeting', weight: 25, greeting: 'Hi! Quick question?', personality: { tone: 'playful' } });
    expect(await page.getByTestId('share-0').textContent()).toBe('67% of visitors');
    expect(await page.getByTestId('share-1').textContent()).toBe('33% of visitors');
    const diff = page.getByRole('table', { name: 'What Variant short-greeting changes' });
    expect(await diff.textContent()).toMatch(/personality\.greeting.*Hi! Quick question\?/);
    expect(await diff.textContent()).toMatch(/personality\.tone.*friendly.*playful/);
    expect(await page.getByRole('table', { name: 'What Variant control changes' }).textContent()).toContain('No changes: a control arm.');
    await harness.shoot('variants');

    await page.getByRole('button', { name: 'Remove Variant control' }).click();
    await untilSaved((b) => b.variants.map((v) => v.id), ['short-greeting']);
    await undo();
    await untilSaved((b) => b.variants.map((v) => v.id), ['control', 'short-greeting']);
    // The designer types once the undone variant is back on screen.
    await page.getByRole('group', { name: 'Variant control' }).waitFor({ timeout: 10_000 });
    // The preview below runs on a local page, not one of the allowed sites; the list is back to any site.
    await page.getByLabel('Allowed sites').fill('');
    await untilSaved((b) => b.allowedOrigins, []);
  });

  it('Behaviour: a provider chain with fallbacks and per-entry models, privacy, handoff, undo', async () => {
    await tab('Behaviour');
    await page.getByLabel('Service 1').selectOption({ label: 'OpenAI-compatible endpoint' });
    await expect.poll(() => fieldError('Endpoint URL 1')).toBe('must be an http(s) URL without a user name or password, such as https://llm.example.com/v1');
    await page.getByLabel('Endpoint URL 1').fill('https://llm.example.com/v1');
    await page.getByLabel('Model 1').fill('llama-3.1-70b');
    await page.getByRole('button', { name: 'Add a fallback' }).click();
    await untilSaved((b) => b.providers, [
      { provider: 'openai-compatible', model: 'llama-3.1-70b', baseUrl: 'https://llm.example.com/v1' },
      { provider: 'offline', model: 'mascot-extractive-v1' },
    ]);
    await page.getByLabel('Model 2').fill('two words');
    await expect.poll(() => fieldError('Model 2')).toBe("must be a model name without spaces, such as 'gpt-4o-mini'");
    await page.getByLabel('Model 2').fill('mascot-extractive-v1');
    await page.getByRole('button', { name: 'Move provider 2 up' }).click();
    await untilSaved((b) => b.providers.map((p) => p.provider), ['offline', 'openai-compatible']);
    await page.getByRole('switch', { name: /Redact personal data/ }).uncheck();
    await page.getByRole('radio', { name: 'When the visitor asks' }).click();
    await untilSaved((b) => [b.privacy?.redactPii, b.personality.offerHuman], [false, 'on-request']);
    expect(await page.getByRole('radiogroup', { name: 'Offer a human' }).textContent()).toContain('When unsure');
    await undo();
    await untilSaved((b) => [b.privacy?.redactPii ?? true, b.personality.offerHuman], [true, 'when-unsure']);

    // Business hours of its own: the bundle's (and the server's) rules beside each field, undo.
    const hours = page.getByRole('region', { name: 'Business hours' });
    await hours.getByRole('switch', { name: 'This bot has its own business hours' }).check();
    await untilSaved((b) => b.businessHours?.weekly.length, 5);
    await hours.getByLabel('Time zone').fill('Mars/Olympus');
    await expect.poll(() => fieldError('Time zone')).toBe('must be an IANA time zone such as Europe/Berlin or America/New_York');
    await hours.getByLabel('Time zone').fill('Europe/Berlin');
    await hours.getByLabel('Closes 1').fill('08:00');
    await expect.poll(() => fieldError('Closes 1')).toBe('must close after it opens (split a shift across midnight in two)');
    await hours.getByLabel('Closes 1').fill('12:30');
    await hours.getByRole('button', { name: 'Add an opening' }).click();
    await hours.getByLabel('Day 6').selectOption({ label: 'Saturday' });
    await hours.getByLabel('Closed on (holidays)').fill('2026-12-25');
    await untilSaved((b) => b.businessHours && [b.businessHours.timeZone, b.businessHours.weekly[0], b.businessHours.weekly[5], b.businessHours.holidays], [
      'Europe/Berlin', { day: 1, opens: '09:00', closes: '12:30' }, { day: 6, opens: '10:00', closes: '14:00' }, ['2026-12-25'],
    ]);
    await hours.getByLabel('Closed on (holidays)').fill('2026-02-30');
    await expect.poll(() => fieldError('Closed on (holidays)')).toBe('Line 1: must be real dates');
    await hours.getByLabel('Closed on (holidays)').fill('2026-12-25\n2026-12-26');
    await untilSaved((b) => b.businessHours?.holidays, ['2026-12-25', '2026-12-26']);
    await undo();
    await untilSaved((b) => b.businessHours?.holidays, ['2026-12-25']);
    await hours.scrollIntoViewIfNeeded();
    await harness.shoot('behaviour');
  });

  it('imports a dropped GLB and a dropped PDF, and refuses a file that is not a GLB', async () => {
    await tab('Character');
    const zone = page.getByTestId('avatar-drop');
    await dropFile(zone, { name: 'broken.glb', type: 'model/gltf-binary', bytes: new TextEncoder().encode('not a model') });
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 10_000 }).toMatch(/GLB|glTF|file/i);
    const glb = new Uint8Array(await readFile(BUILTIN_AVATARS[0]!.file));
    await dropFile(zone, { name: 'my-character.glb', type: 'model/gltf-binary', bytes: glb });
    await expect.poll(async () => (await saved()).avatar.kind, { timeout: 20_000 }).toBe('uploaded');
    await expect.poll(() => page.getByTestId('avatar-preview').getAttribute('data-loaded'), { timeout: 30_000 }).toBe('true');

    await tab('Knowledge');
    const pdf = await makePdf([[{ text: 'Bakery handbook', size: 20 }, { text: 'Opening hours', size: 15, spaceBefore: 8 },
      { text: 'The bakery opens at 7 am and closes at 6 pm every day except Monday.' }, ...proseLines('Bread', 2, 8)]]);
    await dropFile(page.getByTestId('knowledge-drop'), { name: 'handbook.pdf', type: 'application/pdf', bytes: pdf });
    // The first import opens the project's index (PGlite) and loads pdf.js: allow it time on a busy machine.
    await expect.poll(() => page.getByRole('table', { name: 'Documents' }).textContent(), { timeout: 60_000 }).toMatch(/Bakery handbook.*pdf/i);
  });

  it('previews the real widget and follows theme, placement and variant edits', async () => {
    await tab('Preview');
    await page.getByLabel('Page on your site').fill('/help/returns');
    // The variant the preview shows first; its greeting is the teaser (the teaser text is left empty).
    await expect.poll(() => launcherColor('desktop'), { timeout: 20_000 }).toBe('rgb(15, 118, 110)');
    const desktop = await previewFrame('desktop');
    const box = await launcher('desktop').boundingBox();
    expect(box!.x).toBeLessThan(300); // bottom-left, in a 1280-wide page shown at half size
    await expect.poll(() => desktop.locator('mascot-widget #o').textContent(), { timeout: 10_000 }).toBe("Hi! I'm Pip. How can I help you today?");
    await page.getByLabel('Variant').selectOption('short-greeting');
    await expect.poll(async () => (await previewFrame('desktop')).locator('mascot-widget #o').textContent().catch(() => null), { timeout: 20_000 }).toBe('Hi! Quick question?');
    // The phone gets the same bot, full-width rules and all.
    await expect.poll(() => launcherColor('phone'), { timeout: 20_000 }).toBe('rgb(15, 118, 110)');

    // Theme: a new accent reaches the preview once autosaved.
    await tab('Appearance');
    await page.getByLabel('Accent colour', { exact: true }).fill('#be185d');
    await untilSaved((b) => b.theme.primaryColor, '#be185d');
    await tab('Preview');
    await expect.poll(() => launcherColor('desktop').catch(() => null), { timeout: 20_000 }).toBe('rgb(190, 24, 93)');

    // Placement: a page the bot is not placed on shows no launcher.
    await page.getByLabel('Page on your site').fill('/pricing');
    // Once the loader has its configuration (the request finished), it decides; here it draws nothing.
    const configLoaded = async () => (await previewFrame('desktop')).evaluate(() =>
      location.pathname === '/pricing' && (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).some((e) => e.name.includes('/widget/config/') && e.responseEnd > 0)).catch(() => false);
    await expect.poll(configLoaded, { timeout: 10_000 }).toBe(true);
    expect(await (await previewFrame('desktop')).evaluate(() => document.querySelectorAll('mascot-widget').length)).toBe(0);
    await page.getByLabel('Page on your site').fill('/help/returns');
    await expect.poll(() => launcherColor('desktop').catch(() => null), { timeout: 20_000 }).toBe('rgb(190, 24, 93)');

    // The chat: open it and ask; the offline answerer replies from the dropped PDF, streamed into the widget.
    await launcher('desktop').click();
    const chat = page.frameLocator('[data-testid="preview-desktop"]').frameLocator('mascot-widget iframe');
    const composer = chat.getByRole('textbox').first();
    await expect.poll(() => composer.isEnabled().catch(() => false), { timeout: 30_000 }).toBe(true);
    await composer.fill('When does the bakery open?');
    await composer.press('Enter');
    await expect.poll(() => chat.locator('body').textContent(), { timeout: 30_000 }).toMatch(/7 am/);
    // Dark mode 'Always dark' (Appearance): the widget's panel is dark although the authored background is white.
    expect(await chat.locator('.chat').evaluate((el) => getComputedStyle(el).getPropertyValue('--bg').trim())).toBe('#16181d');
    await harness.shoot('preview');

    await page.getByRole('button', { name: 'Open a test page' }).click();
    await expect.poll(() => opened.length, { timeout: 10_000 }).toBe(1);
    expect(opened[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/help\/returns\?mascot-preview=[0-9a-f]{32}(~|%7E)short-greeting$/);
    const testPage = await (await fetch(opened[0]!)).text();
    expect(testPage).toContain('src="/embed.js"');
  });

  it('shows the embed snippet and the CSP recipe after publishing', async () => {
    await tab('Publish');
    await page.getByLabel('Server').fill(server.url);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Create the bot on the server and link it' }).click();
    await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 10_000 }).toMatch(/bot_/);
    expect(await page.getByTestId('embed-snippet').count()).toBe(0);
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByTestId('published').textContent(), { timeout: 30_000 }).toMatch(/Version 1 is live/);
    const [project] = await core.listProjects();
    const { link } = await core.openProject(project!.id);
    expect(await page.getByTestId('embed-snippet').textContent()).toBe(`<script src="${server.url}/embed.js" data-bot="${link!.embedId}" async></script>`);
    expect(await page.getByTestId('csp-recipe').textContent()).toContain(`frame-src ${server.url}`);
    await page.getByRole('button', { name: 'Copy embed snippet' }).click();
    await expect.poll(() => page.locator('.toast').textContent(), { timeout: 5_000 }).toBe('Embed snippet copied');
    // The snippet works: the server serves the loader it names.
    expect((await fetch(`${server.url}/embed.js`)).status).toBe(200);
    // The published bot carries the authored dark mode to visitors' widgets.
    const { startConversation } = await graphqlOk(server.graphqlUrl,
      'mutation($embedId: String!) { startConversation(embedId: $embedId) { bot { theme { colorScheme primaryColor } } } }', { embedId: link!.embedId });
    expect(startConversation.bot.theme).toEqual({ colorScheme: 'dark', primaryColor: '#be185d' });
    await harness.shoot('embed');
  });

  it('fits 1024×700: the slot table stays on screen, and axe finds no violations', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await tab('Character');
    const table = page.getByRole('table', { name: 'Animation slots' });
    await table.waitFor();
    const box = (await table.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await harness.shoot('layout-1024');
    for (const name of ['Character', 'Personality', 'Appearance', 'Placement', 'Audience', 'Behaviour', 'Publish']) {
      await tab(name);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(1024);
      expect(await axeViolations(), name).toEqual([]);
    }
    // The dark scheme passes the same checks (contrast included).
    await page.getByRole('button', { name: 'Dark mode' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset['scheme'])).toBe('dark');
    for (const name of ['Audience', 'Behaviour']) {
      await tab(name);
      expect(await axeViolations(), `${name} (dark)`).toEqual([]);
    }
    await harness.shoot('dark');
    expect(harness.pageErrors).toEqual([]);
  });
});
