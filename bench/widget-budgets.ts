/**
 * Widget budgets: what a visitor downloads and how soon the chat and the avatar are there.
 *
 *   npm run build && npm run bench:widget                # sizes, then 5 timed runs in Chromium
 *   npm run bench:widget -- --runs 9                     # more runs (median of N)
 *   npm run bench:widget -- --sizes-only                 # no browser
 *
 * 1. Sizes (gzip -9) of the loader, the chat app's initial JS + CSS and the avatar's lazy chunks,
 *    read from widget/dist (this script builds nothing), against the budgets in widget-bundle.ts.
 * 2. Times on localhost: a real server (the test harness, demo seed: the demo bot with the built-in
 *    Milo avatar) and Debian's Chromium with SwiftShader for WebGL. Each run is a fresh browser
 *    context (cold cache) that opens the demo page and clicks the launcher; from that click we take
 *    the iframe's load event (the baseline: HTML and the app's JS fetched and run), the moment the
 *    composer accepts input, and the avatar's first rendered frame. Medians against the time budgets.
 * Exit code 1 when a size budget is exceeded or a run fails, 0 otherwise (times are reported, not
 * enforced: they depend on the machine).
 */
import { parseArgs } from 'node:util';
import type { Browser, Frame } from 'playwright-core';
import { launchChromium } from '../e2e/chromium.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';
import { ms, ratio, summarize, table } from './stats.ts';
import { WIDGET_BUDGETS, checkBudgets, kilobytes, measureWidgetBundle, totalGzip, widgetIsBuilt, type BundleFile } from './widget-bundle.ts';

/**
 * Time budgets on localhost, from the click on the launcher. The chat must be usable within a second
 * and a half (it never waits for the avatar); the avatar's first frame within four seconds, which
 * includes three.js, the model and shader compilation in a software renderer on a shared 2-core box.
 */
const TIME_BUDGETS_MS = { chatReady: 1_500, avatarFirstFrame: 4_000 } as const;

const env = process.env;
const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string' },
    'sizes-only': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
if (flags.help) {
  console.log(`Usage: npm run bench:widget -- [options]        (run \`npm run build\` first)
  --runs N        timed runs in Chromium, median reported   BENCH_RUNS   (default 5)
  --sizes-only    print the size budgets only, no server or browser
MASCOT_CHROMIUM_PATH selects Chromium (default /usr/bin/chromium); DATABASE_URL / NATS_URL select real services.`);
  process.exit(0);
}
const runs = Number(flags.runs ?? env['BENCH_RUNS'] ?? 5);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  console.error('--runs must be an integer from 1 to 50');
  process.exit(2);
}
if (!widgetIsBuilt()) {
  console.error('widget/dist is missing: run `npm run build` first.');
  process.exit(2);
}

// ───────────────────────────── sizes ─────────────────────────────

const bundle = measureWidgetBundle();
const fileRows = (group: string, files: readonly BundleFile[]) =>
  files.map((file) => [group, file.file, kilobytes(file.bytes), kilobytes(file.gzipBytes)]);
console.log('\nFiles (widget/dist)\n');
console.log(
  table(['part', 'file', 'minified', 'gzip -9'], [
    ...fileRows('loader', bundle.loader),
    ...fileRows('app (initial)', bundle.app),
    ...fileRows('avatar (lazy)', bundle.avatar),
    ...fileRows('other lazy', bundle.otherLazy),
  ], 'text'),
);
const checks = checkBudgets(bundle);
console.log('\nSize budgets (gzip)\n');
console.log(
  table(
    ['part', 'gzip', 'budget', 'of budget', 'result'],
    checks.map((check) => [
      check.name,
      kilobytes(check.gzipBytes),
      kilobytes(check.budgetBytes),
      `${Math.round((check.gzipBytes / check.budgetBytes) * 100)}%`,
      check.ok ? 'pass' : 'FAIL',
    ]),
  ),
);
const sizesOk = checks.every((check) => check.ok);
console.log(`\n${sizesOk ? 'PASS' : 'FAIL'}: sizes ${sizesOk ? 'within' : 'over'} budget (loader ${kilobytes(totalGzip(bundle.loader))} ≤ ${kilobytes(WIDGET_BUDGETS.loader)})`);
if (flags['sizes-only']) process.exit(sizesOk ? 0 : 1);

// ───────────────────────────── times ─────────────────────────────

interface RunTimes {
  iframeLoaded: number;
  chatReady: number;
  avatarFirstFrame: number;
}

async function chatFrame(browser: Browser, url: string): Promise<{ started: number; frame: Frame; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  await page.goto(url);
  const launcher = page.getByRole('button', { name: 'Open chat' });
  await launcher.waitFor();
  const started = performance.now();
  await launcher.click();
  const iframe = await page.waitForSelector('iframe[title]');
  const frame = (await iframe.contentFrame())!;
  return { started, frame, close: () => context.close() };
}

async function timedRun(browser: Browser, server: TestServer): Promise<RunTimes> {
  const { started, frame, close } = await chatFrame(browser, `${server.url}/`);
  const since = () => performance.now() - started;
  try {
    const [iframeLoaded, chatReady, avatarFirstFrame] = await Promise.all([
      frame.waitForLoadState('load').then(since),
      frame
        .waitForFunction(() => {
          const input = (globalThis as any).document.querySelector('textarea');
          return input !== null && !input.disabled;
        }, undefined, { polling: 'raf', timeout: 30_000 })
        .then(since),
      frame
        .waitForFunction(() => Number((globalThis as any).document.querySelector('[data-avatar-frame]')?.dataset.avatarFrame ?? 0) >= 1, undefined, {
          polling: 'raf',
          timeout: 60_000,
        })
        .then(since),
    ]);
    return { iframeLoaded, chatReady, avatarFirstFrame };
  } finally {
    await close();
  }
}

const server = await startTestServer({ MASCOT_SEED_DEMO: 'true' });
const browser = await launchChromium({ webgl: 'software' });
const results: RunTimes[] = [];
let failures = 0;
try {
  await timedRun(browser, server).catch(() => undefined); // warm-up: server JIT, first queries; not counted
  for (let i = 0; i < runs; i++) {
    try {
      results.push(await timedRun(browser, server));
    } catch (error) {
      failures += 1;
      console.error(`run ${i + 1} failed:`, error instanceof Error ? error.message : error);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}

const median = (values: number[]) => summarize(values).p50;
const baseline = median(results.map((r) => r.iframeLoaded));
const rows = [
  ['iframe loaded (baseline)', baseline, null],
  ['chat accepts input', median(results.map((r) => r.chatReady)), TIME_BUDGETS_MS.chatReady],
  ['avatar first frame', median(results.map((r) => r.avatarFirstFrame)), TIME_BUDGETS_MS.avatarFirstFrame],
] as const;
console.log(`\nTimes from the launcher click, localhost, Chromium + SwiftShader, median of ${results.length} run(s)\n`);
console.log(
  table(
    ['moment', 'median ms', 'min ms', 'max ms', 'vs baseline', 'budget ms', 'of budget'],
    rows.map(([name, value, budget], index) => {
      const key = (['iframeLoaded', 'chatReady', 'avatarFirstFrame'] as const)[index]!;
      const all = results.map((r) => r[key]);
      return [
        name,
        ms(value),
        ms(Math.min(...all)),
        ms(Math.max(...all)),
        ratio(value, baseline),
        budget === null ? '–' : String(budget),
        budget === null ? '–' : `${Math.round((value / budget) * 100)}%`,
      ];
    }),
  ),
);
if (failures > 0) console.log(`\n${failures} run(s) failed`);
process.exit(sizesOk && failures === 0 ? 0 : 1);
