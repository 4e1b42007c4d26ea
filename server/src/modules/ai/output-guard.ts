/**
 * Stops a model that was talked into printing its instructions (an indirect prompt injection in the
 * knowledge, say) before the leak reaches the visitor. Two signals:
 * - the random canary word at the top of the system prompt appears in the answer;
 * - `LEAK_WORDS` consecutive words of the bot owner's confidential instructions appear verbatim
 *   (case and punctuation ignored).
 * To catch a leak before it is sent, the guard holds back only text that could still be part of one:
 * the trailing words that run contiguously through the confidential text *and* can still grow into
 * LEAK_WORDS words of it (a run near the end of the instructions, with too few words after it, never
 * can), plus a half-finished word that could complete such a run or start one. Everything else goes
 * out the moment it arrives: the first word of an answer waits for the next token only when it is
 * the start of some LEAK_WORDS-word stretch of the instructions (issue 13 measured ~50 ms added to
 * every first token when any instruction word, or any prefix of one, was held). Paraphrased or
 * translated leaks are out of reach of a verbatim check; the safety preamble asks the model not to
 * produce them.
 */

/** Consecutive words of the confidential text that count as a leak. */
export const LEAK_WORDS = 8;

export const LEAK_REPLACEMENT = "Sorry, I can't share that. Is there anything else I can help you with?";

const WORD = /[\p{L}\p{N}]+/gu;

interface Vocabulary {
  /** Every run of LEAK_WORDS consecutive words, joined by spaces: seeing one is a leak. */
  leaks: Set<string>;
  /**
   * The first k words (k = 1..LEAK_WORDS - 1) of every leak, joined by spaces, each with the words
   * that follow them in some leak: a trailing run is held only while it is one of these heads.
   */
  heads: Map<string, Set<string>>;
  /** Every prefix of every word that begins a leak, to tell whether a half-finished word could start one. */
  startPrefixes: Set<string>;
}

// Bots reuse their instructions for every reply; building the sets once per text keeps the guard cheap.
const vocabularies = new Map<string, Vocabulary>();
const MAX_CACHED_VOCABULARIES = 200;

function vocabularyOf(text: string): Vocabulary {
  const cached = vocabularies.get(text);
  if (cached) return cached;
  const words = [...text.toLowerCase().matchAll(WORD)].map((m) => m[0]);
  const leaks = new Set<string>();
  const heads = new Map<string, Set<string>>();
  const startPrefixes = new Set<string>();
  for (let i = 0; i + LEAK_WORDS <= words.length; i++) {
    leaks.add(words.slice(i, i + LEAK_WORDS).join(' '));
    for (let k = 1; k < LEAK_WORDS; k++) {
      const head = words.slice(i, i + k).join(' ');
      let next = heads.get(head);
      if (!next) heads.set(head, (next = new Set()));
      next.add(words[i + k]!);
    }
    const first = words[i]!;
    for (let n = 1; n <= first.length; n++) startPrefixes.add(first.slice(0, n));
  }
  const vocabulary = { leaks, heads, startPrefixes };
  if (vocabularies.size >= MAX_CACHED_VOCABULARIES) vocabularies.delete(vocabularies.keys().next().value!);
  vocabularies.set(text, vocabulary);
  return vocabulary;
}

export interface GuardStep {
  /** Text now safe to send. */
  release: string;
  leak: boolean;
}

/** The detector on its own, fed token by token: what to release now, and whether a leak showed. */
export class LeakDetector {
  private held = '';
  private readonly vocabulary: Vocabulary;
  private readonly canary: string;

  /** `canary` may be empty (the offline provider has no prompt to mark). */
  constructor(protect: { canary: string; confidentialText: string }) {
    this.canary = protect.canary.toLowerCase();
    this.vocabulary = vocabularyOf(protect.confidentialText);
  }

  push(token: string): GuardStep {
    this.held += token;
    return this.step(false);
  }

  /** The answer is over: whatever is held is either a leak or safe. */
  flush(): GuardStep {
    return this.step(true);
  }

  private step(final: boolean): GuardStep {
    const held = this.held;
    if (this.canary && held.toLowerCase().includes(this.canary)) return { release: '', leak: true };
    const matches = [...held.matchAll(WORD)];
    const last = matches.at(-1);
    // A word touching the end of what arrived may still be growing ("bike" → "bikezilla").
    const partial = !final && last && last.index + last[0].length === held.length ? last : undefined;
    const complete = partial ? matches.slice(0, -1) : matches;
    const words = complete.map((m) => m[0].toLowerCase());
    if (words.length >= LEAK_WORDS && this.vocabulary.leaks.has(words.slice(-LEAK_WORDS).join(' '))) return { release: '', leak: true };
    if (final) {
      this.held = '';
      return { release: held, leak: false };
    }

    // Hold from the earliest trailing run that can still become a leak: its words are a leak's head
    // and the half-finished word (if any) can be the next word of that leak. Earlier text is safe:
    // any future leak would have to start at or after that run.
    const partialWord = partial?.[0].toLowerCase();
    let keepFrom = held.length;
    for (let j = Math.max(0, words.length - (LEAK_WORDS - 1)); j <= words.length; j++) {
      if (this.couldGrow(words.slice(j), partialWord)) {
        keepFrom = j < words.length ? complete[j]!.index : partial!.index;
        break;
      }
    }
    if (partial && this.canary.startsWith(partialWord!)) keepFrom = Math.min(keepFrom, partial.index);
    this.held = held.slice(keepFrom);
    return { release: held.slice(0, keepFrom), leak: false };
  }

  /** Whether `run` (complete words) followed by a word starting with `partial` can still be the start of a leak. */
  private couldGrow(run: string[], partial: string | undefined): boolean {
    if (run.length === 0) return partial !== undefined && this.vocabulary.startPrefixes.has(partial);
    const next = this.vocabulary.heads.get(run.join(' '));
    if (!next) return false;
    if (partial === undefined) return true;
    for (const word of next) if (word.startsWith(partial)) return true;
    return false;
  }
}

/**
 * Passes `tokens` through the detector. On a leak it stops reading (which aborts the provider's
 * stream), drops what was held back, sends LEAK_REPLACEMENT instead and calls `onLeak`.
 */
export async function* guardOutput(
  tokens: AsyncIterable<string>,
  protect: { canary: string; confidentialText: string },
  onLeak: () => void,
): AsyncGenerator<string> {
  const detector = new LeakDetector(protect);
  let sent = '';
  const replace = () => {
    onLeak();
    return sent === '' || /\s$/.test(sent) ? LEAK_REPLACEMENT : ` ${LEAK_REPLACEMENT}`;
  };
  for await (const token of tokens) {
    const step = detector.push(token);
    if (step.leak) {
      yield replace();
      return;
    }
    if (step.release) {
      sent = step.release;
      yield step.release;
    }
  }
  const last = detector.flush();
  if (last.leak) yield replace();
  else if (last.release) yield last.release;
}
