import { mouthWeightsAt, textToVisemes } from '@mascot/avatar-core';
import { describe, expect, it } from 'vitest';
import { COMFORTABLE_LAG_MS, FINISH_WITHIN_MS, LipSyncDriver, MAX_SPEED_UP } from './lip-sync-driver.ts';

const FRAME = 16;
const openness = (w: { mouthOpen: number; mouthRound: number; mouthClosed: number }) => w.mouthOpen + w.mouthRound + w.mouthClosed;

/** Runs the driver until it stops speaking (or maxMs); returns how long that took and the weights seen. */
function play(driver: LipSyncDriver, maxMs = 120_000) {
  const seen: number[] = [];
  let t = 0;
  while (driver.speaking && t < maxMs) {
    seen.push(openness(driver.advance(FRAME)));
    t += FRAME;
  }
  return { ms: t, seen };
}

describe('LipSyncDriver', () => {
  it('moves the mouth exactly along avatar-core\'s timeline for a short reply', () => {
    const text = 'Hello there, how are you?';
    const timeline = textToVisemes(text);
    const driver = new LipSyncDriver();
    driver.push('m1', text);
    driver.end('m1');
    let t = 0;
    for (let i = 0; i < 40; i++) {
      const weights = { ...driver.advance(FRAME) };
      t += FRAME;
      expect(weights).toEqual(mouthWeightsAt(timeline, t));
    }
  });

  it('opens and closes the mouth while speaking and rests at the end', () => {
    const driver = new LipSyncDriver();
    driver.push('m1', 'Our Pro plan costs twenty-nine dollars per month.');
    driver.end('m1');
    const { seen } = play(driver);
    expect(Math.max(...seen)).toBeGreaterThan(0.5);
    expect(seen.filter((v) => v < 0.1).length).toBeGreaterThan(0);
    expect(driver.speaking).toBe(false);
    expect(openness(driver.advance(FRAME))).toBe(0);
  });

  it('waits with a resting mouth when the text streams slower than it is spoken', () => {
    const driver = new LipSyncDriver();
    driver.push('m1', 'Hello ');
    play(driver, 2_000);
    // The reply has not ended: still "speaking", but nothing left to say yet, so the mouth rests.
    expect(driver.speaking).toBe(true);
    expect(driver.backlogMs).toBe(0);
    expect(openness(driver.advance(500))).toBe(0);
    driver.push('m1', 'world, nice to meet you.');
    expect(driver.backlogMs).toBeGreaterThan(0);
    driver.end('m1');
    expect(Math.max(...play(driver).seen)).toBeGreaterThan(0.3);
    expect(driver.speaking).toBe(false);
  });

  it('catches up with a long reply still streaming in fast, but never faster than MAX_SPEED_UP', () => {
    const text = 'This answer is long enough to take many seconds to say out loud, sentence after sentence. '.repeat(6);
    const timeline = textToVisemes(text);
    const spokenMs = timeline.at(-1)!.startMs + timeline.at(-1)!.durationMs;
    expect(spokenMs).toBeGreaterThan(COMFORTABLE_LAG_MS * 4);
    const driver = new LipSyncDriver();
    driver.push('m1', text);
    // Not ended: the reply is still streaming, so the whole backlog is spoken, faster.
    let ms = 0;
    while (driver.backlogMs > 0 && ms < 120_000) {
      driver.advance(FRAME);
      ms += FRAME;
    }
    expect(ms).toBeLessThan(spokenMs * 0.75);
    expect(ms).toBeGreaterThanOrEqual(spokenMs / MAX_SPEED_UP - FRAME);
  });

  it('stops talking within FINISH_WITHIN_MS once the text is complete, however much was left to say', () => {
    const text = 'This answer is long enough to take many seconds to say out loud, sentence after sentence. '.repeat(6);
    const driver = new LipSyncDriver();
    driver.push('m1', text);
    play(driver, 1_000);
    driver.end('m1');
    const { ms, seen } = play(driver);
    expect(ms).toBeLessThanOrEqual(FINISH_WITHIN_MS + FRAME);
    // The last words are still said (the mouth moves), at a natural pace.
    expect(Math.max(...seen)).toBeGreaterThan(0.3);
    expect(driver.speaking).toBe(false);
  });

  it('starts afresh for a new message and ignores the end of another one', () => {
    const driver = new LipSyncDriver();
    driver.push('m1', 'First reply that is cut off');
    driver.push('m2', 'Second.');
    driver.end('m1');
    expect(driver.speaking).toBe(true);
    driver.end('m2');
    play(driver);
    expect(driver.speaking).toBe(false);
  });

  it('stops at once', () => {
    const driver = new LipSyncDriver();
    driver.push('m1', 'Something to say. ');
    driver.stop();
    expect(driver.speaking).toBe(false);
    expect(openness(driver.advance(FRAME))).toBe(0);
  });
});
