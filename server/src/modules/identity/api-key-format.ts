import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API keys look like `mk_<30 random base62><6 base62 CRC32>` (GitHub's token format): the prefix
 * makes leaked keys recognizable to secret scanners, the checksum lets us refuse typos and junk
 * without touching the database.
 */
const PREFIX = 'mk_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(value: number, width: number): string {
  let out = '';
  for (let rest = value; out.length < width; rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
  return out;
}

function checksum(body: string): string {
  return base62(crc32(body), CHECKSUM_LENGTH);
}

export function generateApiKey(): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(62)];
  const body = PREFIX + random;
  return body + checksum(body);
}

/** Looks like one of our keys (prefix), whether or not it is well formed. */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(PREFIX);
}

export function isWellFormedApiKey(token: string): boolean {
  if (!KEY_PATTERN.test(token)) return false;
  const body = token.slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === token.slice(-CHECKSUM_LENGTH);
}

/** What we show in lists so people can tell keys apart: never enough to use it. */
export function displayPrefix(token: string): string {
  return token.slice(0, PREFIX.length + 6);
}
