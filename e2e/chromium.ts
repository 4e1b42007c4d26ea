import { chromium, type Browser } from 'playwright-core';

// Debian's Chromium (apt-get install chromium); .ci/run installs it. Playwright never downloads a browser here.
const CHROMIUM = process.env['MASCOT_CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling Google on our closed network.
const HEADLESS_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Headless Chromium for browser tests. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: HEADLESS_FLAGS });
}
