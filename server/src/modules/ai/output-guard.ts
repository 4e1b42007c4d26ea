/**
 * Stops a model that was talked into printing its instructions (an indirect prompt injection in the
 * knowledge, say) before the leak reaches the visitor. Two signals:
 * - the random canary word at the top of the system prompt appears in the answer;
 * - `LEAK_WORDS` consecutive words of the bot owner's confidential instructions appear verbatim
 *   (case and punctuation ignored).
 * To catch a leak before it is sent, the guard holds back only the tail of the answer that could
 * still become one: the trailing words that run contiguously through the confidential text, plus a
 * half-finished word that could complete into one of its words. Ordinary answers rarely match more
 * than a word or two, so nearly every token passes through at once. Paraphrased or translated leaks
 * are out of reach of a verbatim check; the safety preamble asks the model not to produce them.
 */

/** Consecutive words of the confidential text that count as a leak. */
export const LEAK_WORDS = 8;

export const LEAK_REPLACEMENT = "Sorry, I can't share that. Is there anything else I can help you with?";

const WORD = /[\p{L}\p{N}]+/gu;

interface Vocabulary {
  /** grams[k - 1]: every run of k consecutive words (k = 1..LEAK_WORDS), joined by spaces. */
  grams: Set<string>[];
  /** Every prefix of every word, to tell whether a half-finished word could still match. */
  prefixes: Set<string>;
}

// Bots reuse their instructions for every reply; building the sets once per text keeps the guard cheap.
const vocabularies = new Map<string, Vocabulary>();
const MAX_CACHED_VOCABULARIES = 200;

function vocabularyOf(text: string): Vocabulary {
  const cached = vocabularies.get(text);
  if (cached) return cached;
  const words = [...text.toLowerCase().matchAll(WORD)].map((m) => m[0]);
  const grams = Array.from({ length: LEAK_WORDS }, (_, k) => {
    const set = new Set<string>();
    for (let i = 0; i + k < words.length; i++) set.add(words.slice(i, i + k + 1).join(' '));
    return set;
  });
  const prefixes = new Set<string>();
  for (const word of words) for (let n = 1; n <= word.length; n++) prefixes.add(word.slice(0, n));
  const vocabulary = { grams, prefixes };
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
    const matches = [...held.matchAll(WORD)];
    const last = matches.at(-1);
    const partial = !final && last && last.index + last[0].length === held.length ? last : undefined;
    const complete = partial ? matches.slice(0, -1) : matches;
    const words = complete.map((m) => m[0].toLowerCase());
    if (this.canary && held.toLowerCase().includes(this.canary)) return { release: '', leak: true };

    // The longest run of trailing words that is contiguous in the confidential text.
    let run = 0;
    for (let k = Math.min(words.length, LEAK_WORDS); k >= 1; k--) {
      if (this.vocabulary.grams[k - 1]!.has(words.slice(-k).join(' '))) {
        run = k;
        break;
      }
    }
    if (run >= LEAK_WORDS) return { release: '', leak: true };

    const partialWord = partial?.[0].toLowerCase();
    const partialMayMatch = partialWord !== undefined &&
      (this.vocabulary.prefixes.has(partialWord) || (this.canary !== '' && this.canary.startsWith(partialWord)));
    let keepFrom = held.length;
    if (partialMayMatch) keepFrom = run > 0 ? complete[complete.length - run]!.index : partial!.index;
    else if (!partial && run > 0) keepFrom = complete[complete.length - run]!.index;
    if (final) keepFrom = held.length;
    this.held = held.slice(keepFrom);
    return { release: held.slice(0, keepFrom), leak: false };
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
