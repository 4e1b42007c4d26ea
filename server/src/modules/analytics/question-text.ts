import { createHash } from 'node:crypto';
import { redactPii } from '../conversations/index.ts';

/** Longest question text kept for analytics; the message itself keeps the whole text. */
const MAX_QUESTION_CHARS = 500;

export interface AnalyticsQuestion {
  /** What admins see: the visitor's words with personal data replaced by placeholders. */
  text: string;
  /** Same for questions that differ only in case, spacing or closing punctuation. */
  hash: string;
}

/**
 * A visitor question as analytics keeps it. Personal data is redacted first (analysts and
 * `analytics` API keys read these, and "my email is …" should group with its kind, not stay unique).
 */
export function analyticsQuestion(text: string): AnalyticsQuestion {
  const redacted = redactPii(text).text.replace(/\s+/g, ' ').trim().slice(0, MAX_QUESTION_CHARS);
  const normalized = redacted.toLowerCase().replace(/[\s?!.…,;:]+$/u, '');
  return { text: redacted, hash: createHash('sha256').update(normalized).digest('hex').slice(0, 32) };
}
