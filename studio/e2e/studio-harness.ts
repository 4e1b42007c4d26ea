// What Studio's browser tests share: the renderer built into a temporary folder, the real main-process
// core behind the test bridge, and Chromium (with SwiftShader, so the 3D previews get WebGL without a GPU).
// Page errors and CSP violations are collected: a test ends by asserting there were none.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { createStudioCore, type StudioCore, type StudioCoreOptions } from '../src/main/studio-core.ts';
import { startTestBridge, type TestBridge } from './test-bridge.ts';

export const STUDIO_DIR = path.resolve(import.meta.dirname, '..');
// The README's screenshots are refreshed on request only, so ordinary runs leave the tree clean.
export const SCREENSHOTS = process.env['MASCOT_UPDATE_SCREENSHOTS'] === '1'
  ? path.resolve(STUDIO_DIR, '../docs/studio')
  : path.join(tmpdir(), 'mascot-studio-screenshots');
const CHROMIUM = process.env['MASCOT_CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// The usual headless flags, plus SwiftShader so the avatar preview gets WebGL without a GPU.
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

export interface StudioHarness {
  core: StudioCore;
  bridge: TestBridge;
  browser: Browser;
  page: Page;
  /** Uncaught page errors and CSP violations seen so far. */
  pageErrors: string[];
  shoot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startStudioHarness(coreOptions: Partial<StudioCoreOptions> = {}): Promise<StudioHarness> {
  const tempDir = await mkdtemp(path.join(tmpdir(), 'studio-e2e-'));
  const rendererDir = path.join(tempDir, 'renderer');
  await build({ configFile: path.join(STUDIO_DIR, 'vite.renderer.config.ts'), logLevel: 'silent', build: { outDir: rendererDir, sourcemap: false } });
  const core = createStudioCore({ workspaceDir: path.join(tempDir, 'workspace'), inMemoryIndex: true, ...coreOptions });
  const bridge = await startTestBridge(core, rendererDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  return {
    core,
    bridge,
    browser,
    page,
    pageErrors,
    shoot: async (name) => void (await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })),
    async close() {
      await browser.close();
      await bridge.close();
      await core.close();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/** After a failing step: what the designer saw (the page's error notes and a screenshot in the temp folder). */
export async function recordFailure(page: Page | undefined, testName: string): Promise<void> {
  if (!page) return;
  console.error('alerts on the page:', await page.getByRole('alert').allTextContents());
  await page.screenshot({ path: path.join(tmpdir(), `studio-e2e-failure-${testName.slice(0, 40).replace(/\W+/g, '-')}.png`) });
}
