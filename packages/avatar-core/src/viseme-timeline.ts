// Lip-sync timelines from text, for replies that stream in token by token. There is no audio to
// analyse (the mascot's voice is its text), so visemes come from spelling (spell-visemes.ts) and
// durations from a speaking rate.
//
// The timeline starts at `startMs` and is contiguous: each cue starts where the previous one
// ends. Pauses between words (punctuation, line breaks) become one `sil` cue per gap, as long as
// its longest pause (consecutive pauses do not add up); pauses before the first word are
// dropped; a spoken timeline always ends in `sil` so the mouth closes.
//
// Streaming: `createVisemeStream().push(delta)` returns the cues that `delta` completes. A run of
// text (speech-tokens.ts) is only final once the next run has started, so each push holds back
// the last run, and a pause is only final once the next word shows how long the gap is. Pushing
// any chunking of a text yields exactly `textToVisemes(text)`, which is the same stream fed once.

import { type PauseLength, type SpeechToken, splitSpeechRuns, speechTokensOfRun } from './speech-tokens.ts';
import type { Viseme } from './viseme-set.ts';

export interface VisemeCue {
  readonly viseme: Viseme;
  readonly startMs: number;
  readonly durationMs: number;
  /** 0..1: how strongly the shape is articulated (0 for `sil`). */
  readonly weight: number;
}

export interface VisemeTimingOptions {
  /** Articulation rate, pauses not counted. Default DEFAULT_WORDS_PER_MINUTE. */
  readonly wordsPerMinute?: number;
  /** Where the timeline starts. Default 0. */
  readonly startMs?: number;
}

export interface VisemeStream {
  /** Add streamed text; returns the cues it completes (possibly none). */
  push(delta: string): VisemeCue[];
  /** No more text: returns the remaining cues. The stream cannot be pushed to afterwards. */
  end(): VisemeCue[];
}

export const DEFAULT_WORDS_PER_MINUTE = 165;
// Average relative length of an English word in spell-visemes units (1 ≈ one consonant), measured
// on typical replies; it turns words per minute into milliseconds per unit.
const UNITS_PER_WORD = 4.2;
// Pause lengths in words: a comma rests about half a word, a full stop about one.
const PAUSE_WORDS: Readonly<Record<PauseLength, number>> = { short: 0.5, long: 1 };
const PAUSE_RANK: Readonly<Record<PauseLength, number>> = { short: 1, long: 2 };

function checkOptions(wordsPerMinute: number, startMs: number): void {
  if (!Number.isFinite(wordsPerMinute) || wordsPerMinute <= 0) {
    throw new RangeError(`wordsPerMinute must be a positive number, got ${wordsPerMinute}`);
  }
  if (!Number.isFinite(startMs)) throw new RangeError(`startMs must be a finite number, got ${startMs}`);
}

/** A streaming viseme timeline: feed it reply deltas as they arrive. */
export function createVisemeStream(options: VisemeTimingOptions = {}): VisemeStream {
  const { wordsPerMinute = DEFAULT_WORDS_PER_MINUTE, startMs = 0 } = options;
  checkOptions(wordsPerMinute, startMs);
  const msPerWord = 60_000 / wordsPerMinute;
  const msPerUnit = msPerWord / UNITS_PER_WORD;

  let tail = ''; // the last, possibly unfinished run
  let cursor = startMs;
  let spoken = false;
  let pendingPause: PauseLength | null = null;
  let ended = false;

  const cue = (viseme: Viseme, durationMs: number, weight: number, out: VisemeCue[]): void => {
    out.push({ viseme, startMs: cursor, durationMs, weight });
    cursor += durationMs;
  };
  const flushPause = (out: VisemeCue[]): void => {
    if (pendingPause !== null) cue('sil', Math.round(PAUSE_WORDS[pendingPause] * msPerWord), 0, out);
    pendingPause = null;
  };

  const emit = (token: SpeechToken, out: VisemeCue[]): void => {
    if (token.kind === 'pause') {
      if (spoken && (pendingPause === null || PAUSE_RANK[token.length] > PAUSE_RANK[pendingPause])) pendingPause = token.length;
      return;
    }
    if (token.units.length === 0) return;
    flushPause(out);
    for (const unit of token.units) cue(unit.viseme, Math.max(1, Math.round(unit.length * msPerUnit)), unit.weight, out);
    spoken = true;
  };

  const emitRuns = (runs: readonly string[], out: VisemeCue[]): void => {
    for (const run of runs) for (const token of speechTokensOfRun(run)) emit(token, out);
  };

  return {
    push(delta) {
      if (ended) throw new Error('The viseme stream has ended; create a new one for the next reply.');
      const runs = splitSpeechRuns(tail + delta);
      tail = runs.pop() ?? '';
      const out: VisemeCue[] = [];
      emitRuns(runs, out);
      return out;
    },
    end() {
      if (ended) return [];
      ended = true;
      const out: VisemeCue[] = [];
      emitRuns([tail], out);
      tail = '';
      if (spoken && pendingPause === null) pendingPause = 'short'; // close the mouth
      flushPause(out);
      return out;
    },
  };
}

/** The whole viseme timeline of a finished text. */
export function textToVisemes(text: string, options: VisemeTimingOptions = {}): VisemeCue[] {
  const stream = createVisemeStream(options);
  return [...stream.push(text), ...stream.end()];
}
