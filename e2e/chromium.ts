import { chromium, type Browser } from 'playwright-core';

// Debian's Chromium (apt-get install chromium); .ci/run installs it. Playwright never downloads a browser here.
const CHROMIUM = process.env['MASCOT_CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling Google on our closed network.
const HEADLESS_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];
const WEBGL_FLAGS: Record<'software' | 'off', readonly string[]> = {
  // SwiftShader gives headless Chromium a software WebGL 2 without a GPU.
  software: ['--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  off: ['--disable-webgl'],
};

export interface ChromiumOptions {
  /** `software`: WebGL 2 rendered by SwiftShader (the 3D avatar); `off`: no WebGL at all. */
  webgl?: 'software' | 'off';
}

/** Headless Chromium for browser tests and benchmarks. */
export function launchChromium({ webgl }: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...HEADLESS_FLAGS, ...(webgl ? WEBGL_FLAGS[webgl] : [])] });
}
