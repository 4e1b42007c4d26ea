import { Webhook } from 'standardwebhooks';
import { findDestinationRefusal, type DestinationRefusal, type OutboundPolicy } from '../../core/outbound/index.ts';

/** What one HTTP attempt came to; the worker turns it into the delivery's next state. */
export type SendOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'rejected'; statusCode: number; retryAfterMs: number | null }
  /** `code`: Node's or undici's error code (ECONNREFUSED, CERT_HAS_EXPIRED…), when there is one. */
  | { kind: 'unreachable'; error: string; code: string | null }
  | { kind: 'refused'; error: string; reason: DestinationRefusal };

export interface SignedMessage {
  url: string;
  messageId: string;
  timestamp: Date;
  body: string;
  /** Every secret currently valid for the endpoint: during a rotation both sign (Standard Webhooks §signature). */
  secrets: string[];
}

export interface SenderOptions {
  /** Where tenants' URLs may lead (core/outbound): checked at send time, on every new connection. */
  outbound: OutboundPolicy;
  timeoutMs: number;
}

/** `webhook-signature`: one `v1,<base64>` per secret, space-separated; receivers accept any that verifies. */
export function signatureHeader(message: Pick<SignedMessage, 'messageId' | 'timestamp' | 'body' | 'secrets'>): string {
  return message.secrets.map((secret) => new Webhook(secret).sign(message.messageId, message.timestamp, message.body)).join(' ');
}

function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : null;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Posts one signed message through the outbound policy, which refuses private destinations, connects
 * only to the address it checked, and returns redirects instead of following them (a 3xx counts as a
 * failed attempt: following it would let a public endpoint bounce the request into a private network).
 */
export async function sendWebhook(message: SignedMessage, options: SenderOptions): Promise<SendOutcome> {
  try {
    const response = await options.outbound.fetch(message.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Mascot-Webhooks/1.0',
        'webhook-id': message.messageId,
        'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
        'webhook-signature': signatureHeader(message),
      },
      body: message.body,
      // One deadline for the whole attempt (not an idle timeout a slow trickle could stretch): the
      // worker's lease is sized from it.
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // The body is not needed; discard it so the connection is released.
    await response.body?.cancel().catch(() => undefined);
    const statusCode = response.status;
    if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode };
    return { kind: 'rejected', statusCode, retryAfterMs: parseRetryAfter(response.headers.get('retry-after') ?? undefined) };
  } catch (error) {
    const refusal = findDestinationRefusal(error);
    if (refusal) return { kind: 'refused', error: `destination refused: ${refusal.message}`, reason: refusal.reason };
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { kind: 'unreachable', error: `no response within ${options.timeoutMs} ms`, code: null };
    }
    const cause = (error as { cause?: unknown }).cause;
    return {
      kind: 'unreachable',
      error: cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error),
      code: errorCode(cause) ?? errorCode(error),
    };
  }
}
