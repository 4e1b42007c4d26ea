import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Argon2id at OWASP's recommended floor: 19 MiB memory, 2 iterations, 1 lane. */
// `Algorithm` is an ambient const enum (not importable as a value); 2 is its Argon2id member.
const ARGON2_OPTIONS = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}
