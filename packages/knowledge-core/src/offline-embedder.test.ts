import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from './cosine-similarity.ts';
import { OFFLINE_EMBEDDING_DIMENSIONS, OFFLINE_EMBEDDING_MODEL, embedText, embedTexts } from './offline-embedder.ts';

const norm = (vector: readonly number[]): number => Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
const similarity = (a: string, b: string): number => cosineSimilarity(embedText(a), embedText(b));

const PRICING = 'Pricing: the Pro plan costs $29 per month and the Team plan costs $99 per month, billed monthly or yearly.';
const SHIPPING = 'We ship orders within two business days. Standard shipping takes 3 to 5 days and express delivery arrives the next day.';

describe('embedText', () => {
  it('names its model and matches the vector(512) column', () => {
    expect(OFFLINE_EMBEDDING_MODEL).toBe('mascot-hash-ngram-v1');
    expect(OFFLINE_EMBEDDING_DIMENSIONS).toBe(512);
    expect(embedText(PRICING)).toHaveLength(512);
  });

  it('returns unit-length vectors of finite numbers', () => {
    for (const text of [PRICING, SHIPPING, 'a', 'Prix réduits à 29 €', '价格是多少']) {
      const vector = embedText(text);
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(norm(vector)).toBeCloseTo(1, 10);
    }
  });

  it('is deterministic from call to call', () => {
    expect(embedText(PRICING)).toEqual(embedText(PRICING));
    expect(embedTexts([PRICING, SHIPPING])).toEqual([embedText(PRICING), embedText(SHIPPING)]);
  });

  it('keeps producing the exact same vector, so stored vectors stay comparable (bump the model name if not)', () => {
    const vector = embedText('How much does the Pro plan cost?');
    const largest = vector
      .map((value, index) => [index, Number(value.toFixed(6))] as const)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0])
      .slice(0, 5);
    expect(largest).toEqual([[134, -0.456079], [182, 0.456079], [389, -0.456079], [76, 0.252628], [31, 0.126314]]);
  });

  it('ignores case, diacritics and compatibility forms', () => {
    expect(embedText('CRÈME Brûlée ﬁne')).toEqual(embedText('creme brulee fine'));
  });

  it('brings morphological variants together', () => {
    expect(similarity('prices', 'pricing')).toBeGreaterThan(0.6);
    expect(similarity('shipped orders', 'shipping an order')).toBeGreaterThan(0.6);
    expect(similarity('prices', 'pricing')).toBeGreaterThan(similarity('pricing', 'shipping') + 0.3);
  });

  it('puts a paraphrased question closer to its passage than to an unrelated one', () => {
    const question = 'How much is the Pro plan per month?';
    expect(similarity(question, PRICING)).toBeGreaterThan(similarity(question, SHIPPING) + 0.2);
    expect(similarity('How long does delivery take?', SHIPPING)).toBeGreaterThan(similarity('How long does delivery take?', PRICING));
  });

  it('gives stop-word-only text a valid direction of its own', () => {
    const vector = embedText('How are you?');
    expect(norm(vector)).toBeCloseTo(1, 10);
    expect(similarity('How are you?', 'how ARE you')).toBeCloseTo(1, 10);
    expect(similarity('How are you?', 'what is that')).toBeLessThan(0.5);
  });

  it('gives text without letters or digits a fixed unit vector instead of a zero vector', () => {
    for (const text of ['', '   ', '?!… — 🙂']) {
      const vector = embedText(text);
      expect(norm(vector)).toBe(1);
      expect(vector).toEqual(embedText(''));
    }
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal vectors and -1 for opposite ones', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
  });

  it('returns 0 rather than NaN when a vector has no length', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });

  it('rejects vectors of different lengths', () => {
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});

describe('offline retrieval with embedText', () => {
  const passages = [
    PRICING,
    SHIPPING,
    'Refunds: you can return any item within 30 days for a full refund to your original payment method.',
    'Our support team is available Monday to Friday from 9am to 6pm Central European Time.',
    'To install the widget, paste the script tag into the head of your website and reload the page.',
    'The mascot speaks English, German, French and Spanish, and detects the visitor language automatically.',
    'We store conversation transcripts for 90 days and never sell personal data to third parties.',
    'You can reset your password from the login page by clicking "Forgot password" and following the email link.',
  ];
  const questions = [
    'How much is the Pro plan per month?',
    'How long does delivery take?',
    'Can I get my money back if I return something?',
    'When are your support hours?',
    'How do I add the widget to my site?',
    'Which languages does the mascot speak?',
    'How long do you keep my data?',
    'I forgot my password, what should I do?',
  ];

  it('ranks the passage that answers each question first', () => {
    const passageVectors = embedTexts(passages);
    questions.forEach((question, expected) => {
      const questionVector = embedText(question);
      const scores = passageVectors.map((vector) => cosineSimilarity(questionVector, vector));
      expect(scores.indexOf(Math.max(...scores)), question).toBe(expected);
    });
  });
});
