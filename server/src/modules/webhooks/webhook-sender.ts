import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { checkDestination, DestinationRefusedError } from './destination-guard.ts';

/** What one HTTP attempt came to; the worker turns it into the delivery's next state. */
export type SendOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'rejected'; statusCode: number; retryAfterMs: number | null }
  | { kind: 'unreachable'; error: string }
  | { kind: 'refused'; error: string };

export interface SignedMessage {
  url: string;
  messageId: string;
  timestamp: Date;
  body: string;
  /** Every secret currently valid for the endpoint: during a rotation both sign (Standard Webhooks §signature). */
  secrets: string[];
}

export interface SenderOptions {
  allowedPrivateHosts: readonly string[];
  timeoutMs: number;
}

/** `webhook-signature`: one `v1,<base64>` per secret, space-separated; receivers accept any that verifies. */
export function signatureHeader(message: Pick<SignedMessage, 'messageId' | 'timestamp' | 'body' | 'secrets'>): string {
  return message.secrets.map((secret) => new Webhook(secret).sign(message.messageId, message.timestamp, message.body)).join(' ');
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Posts one signed message. Redirects are not followed (a 3xx counts as a failed attempt): following
 * them would let a public endpoint bounce the request into a private network.
 */
export async function sendWebhook(message: SignedMessage, options: SenderOptions): Promise<SendOutcome> {
  let destination;
  try {
    destination = await checkDestination(message.url, { allowedPrivateHosts: options.allowedPrivateHosts });
  } catch (error) {
    if (error instanceof DestinationRefusedError) return { kind: 'refused', error: `destination refused: ${error.message}` };
    throw error;
  }
  // Connect to the address just checked instead of resolving the name a second time.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address: destination.address, family: destination.family }]);
    else callback(null, destination.address, destination.family);
  };
  const client = destination.url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    const request = client.request(
      destination.url,
      {
        method: 'POST',
        lookup: pinned,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Mascot-Webhooks/1.0',
          'webhook-id': message.messageId,
          'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
          'webhook-signature': signatureHeader(message),
        },
      },
      (response) => {
        clearTimeout(deadline);
        // The body is not needed; drain it so the socket is released.
        response.resume();
        const statusCode = response.statusCode ?? 0;
        if (statusCode >= 200 && statusCode < 300) resolve({ kind: 'delivered', statusCode });
        else resolve({ kind: 'rejected', statusCode, retryAfterMs: parseRetryAfter(response.headers['retry-after']) });
      },
    );
    // One deadline for the whole attempt (not an idle timeout a slow trickle could stretch): the
    // worker's lease is sized from it.
    const deadline = setTimeout(() => request.destroy(new Error(`no response within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(deadline);
      resolve({ kind: 'unreachable', error: error.message });
    });
    request.end(message.body);
  });
}
