// Eyelid weight over time: a blink every few seconds at a random interval, now and then a double
// blink, as people do. Pure and allocation-free; `random` is injected for deterministic tests.

/** A blink closes quickly and opens a little slower. */
export const BLINK_CLOSE_MS = 60;
export const BLINK_OPEN_MS = 100;
/** Pause between two blinks: a random length in this range. */
export const BLINK_INTERVAL_MS: readonly [number, number] = [2_200, 5_500];
/** Share of blinks followed at once by a second one. */
export const DOUBLE_BLINK_CHANCE = 0.15;
const DOUBLE_BLINK_GAP_MS = 120;

export class BlinkDriver {
  readonly #random: () => number;
  #now = 0;
  #nextBlinkAtMs: number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
    this.#nextBlinkAtMs = this.#interval();
  }

  /** Advances time; returns how closed the eyes are, 0 (open) to 1 (shut). */
  advance(deltaMs: number): number {
    this.#now += Math.max(0, deltaMs);
    const t = this.#now - this.#nextBlinkAtMs;
    if (t < 0) return 0;
    if (t < BLINK_CLOSE_MS) return t / BLINK_CLOSE_MS;
    if (t < BLINK_CLOSE_MS + BLINK_OPEN_MS) return 1 - (t - BLINK_CLOSE_MS) / BLINK_OPEN_MS;
    const double = this.#random() < DOUBLE_BLINK_CHANCE;
    this.#nextBlinkAtMs = this.#now + (double ? DOUBLE_BLINK_GAP_MS : this.#interval());
    return 0;
  }

  #interval(): number {
    const [min, max] = BLINK_INTERVAL_MS;
    return min + this.#random() * (max - min);
  }
}
