import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

type Nlp = ReturnType<typeof winkNLP>;

// Loading the model takes ~100 ms and a few MB; it happens once per process, on first use.
let nlp: Nlp | undefined;

/** Sentiment of `text` from -1 (negative) to 1 (positive), by wink-nlp's English lite model. */
export function sentimentOf(text: string): number {
  nlp ??= winkNLP(model);
  const score = nlp.readDoc(text).out(nlp.its.sentiment) as unknown as number;
  return Number.isFinite(score) ? Math.max(-1, Math.min(1, score)) : 0;
}
