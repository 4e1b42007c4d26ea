import { splitIntoStreamTokens } from '@mascot/knowledge-core';

/**
 * Pure arithmetic over what the load generator recorded for one streamed answer: when each token
 * arrived, how late it was, and whether any event or token was lost or repeated. Times are epoch
 * milliseconds with sub-millisecond precision (`performance.timeOrigin + performance.now()`), so
 * stamps taken in different processes on one machine compare directly.
 */

/** One event as the visitor's socket handed it over. */
export interface ReceivedEvent {
  at: number;
  seq: number;
  typename: string;
  /** The text a ReplyDelta (or a baseline token) carries. */
  text?: string;
  /** When the producer wrote it, if the event says (the graphql-ws baseline does). */
  emittedAt?: number;
}

/** Everything the load generator keeps of one visitor's answer. */
export interface StreamRecord {
  /** Identifies the answer to the fake provider (it appears in the question) and in failure lists. */
  tag: string;
  /** Just before sendMessage (Mascot) or the subscribe (baseline) went out. */
  startedAt: number;
  outcome: 'completed' | 'failed' | 'unfinished';
  error?: string;
  events: ReceivedEvent[];
  /** ReplyCompleted's message: what the server says it stored. */
  messageId?: string;
  completedText?: string;
}

const TEXT_EVENTS = new Set(['ReplyDelta', 'Token']);

/**
 * The arrival time of each token of the answer, in order: token k arrived with the first event after
 * which the text received so far holds k tokens (tokens as `splitIntoStreamTokens` cuts them, the way
 * the providers stream). A delta carrying three words delivers three tokens at once.
 */
export function tokenArrivals(events: readonly ReceivedEvent[]): number[] {
  const arrivals: number[] = [];
  let text = '';
  for (const event of events) {
    if (!TEXT_EVENTS.has(event.typename) || !event.text) continue;
    text += event.text;
    const count = splitIntoStreamTokens(text).length;
    while (arrivals.length < count) arrivals.push(event.at);
  }
  return arrivals;
}

export function deliveredText(events: readonly ReceivedEvent[]): string {
  return events.filter((e) => TEXT_EVENTS.has(e.typename)).map((e) => e.text ?? '').join('');
}

/** Lateness of each token: arrival minus the moment its producer wrote it; tokens without a stamp are skipped. */
export function tokenLateness(arrivals: readonly number[], emittedAt: readonly number[]): number[] {
  const count = Math.min(arrivals.length, emittedAt.length);
  return Array.from({ length: count }, (_, k) => arrivals[k]! - emittedAt[k]!);
}

export interface Integrity {
  /** Tokens of the stored answer the visitor never received. */
  lostTokens: number;
  /** Tokens the visitor received beyond the stored answer (repeats). */
  duplicatedTokens: number;
  /** seq numbers skipped between consecutive events (events lost on the way). */
  seqGaps: number;
  /** Events whose seq was not above every seq before it (repeated or out of order). */
  seqRepeats: number;
}

/**
 * Compares what arrived with what was stored: the tokens by their longest common subsequence (so one
 * lost and one doubled token are told apart), the event seqs by their order.
 */
export function checkIntegrity(events: readonly ReceivedEvent[], storedText: string | undefined): Integrity {
  let seqGaps = 0;
  let seqRepeats = 0;
  let last: number | undefined;
  for (const { seq } of events) {
    if (last !== undefined && seq <= last) seqRepeats++;
    else {
      if (last !== undefined) seqGaps += seq - last - 1;
      last = seq;
    }
  }
  if (storedText === undefined) return { lostTokens: 0, duplicatedTokens: 0, seqGaps, seqRepeats };
  const received = splitIntoStreamTokens(deliveredText(events));
  const stored = splitIntoStreamTokens(storedText);
  const common = commonSubsequenceLength(received, stored);
  return { lostTokens: stored.length - common, duplicatedTokens: received.length - common, seqGaps, seqRepeats };
}

function commonSubsequenceLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const item of a) {
    const current = [0];
    for (let j = 0; j < b.length; j++) current.push(item === b[j] ? previous[j]! + 1 : Math.max(previous[j + 1]!, current[j]!));
    previous = current;
  }
  return previous[b.length]!;
}

/** Letters only, so PII redaction and digit-based heuristics leave the tag intact in the question. */
export function letterTag(index: number): string {
  let tag = '';
  let rest = index;
  do {
    tag = String.fromCharCode(97 + (rest % 26)) + tag;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return `q${tag}`;
}

/** Finds the tag `letterTag` made in a question, e.g. "… (ref qbaz)". */
export function tagIn(text: string): string | undefined {
  return /\(ref (q[a-z]+)\)/.exec(text)?.[1];
}
