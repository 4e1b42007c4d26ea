import { describe, expect, it } from 'vitest';
import { BLINK_CLOSE_MS, BLINK_INTERVAL_MS, BLINK_OPEN_MS, BlinkDriver } from './blink-driver.ts';

describe('BlinkDriver', () => {
  it('blinks every few seconds, shutting the eyes fully and briefly', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const driver = new BlinkDriver(random);
    const frames: number[] = [];
    for (let t = 0; t < 60_000; t += 10) frames.push(driver.advance(10));
    for (const weight of frames) {
      expect(weight).toBeGreaterThanOrEqual(0);
      expect(weight).toBeLessThanOrEqual(1);
    }
    const blinks = frames.filter((w, i) => w > 0 && (frames[i - 1] ?? 0) === 0).length;
    expect(blinks).toBeGreaterThanOrEqual(60_000 / BLINK_INTERVAL_MS[1]);
    expect(blinks).toBeLessThanOrEqual((60_000 / BLINK_INTERVAL_MS[0]) * 1.5);
    expect(Math.max(...frames)).toBeGreaterThan(0.8);
    // Eyes are open nearly all the time.
    const closedShare = frames.filter((w) => w > 0).length / frames.length;
    expect(closedShare).toBeLessThan(((BLINK_CLOSE_MS + BLINK_OPEN_MS) * blinks * 1.2) / 60_000);
  });

  it('keeps the eyes open before the first blink is due', () => {
    const driver = new BlinkDriver(() => 0);
    expect(driver.advance(BLINK_INTERVAL_MS[0] - 1)).toBe(0);
    expect(driver.advance(BLINK_CLOSE_MS)).toBeGreaterThan(0.9);
  });
});
