// Secrets handed to a person once (session cookies, one-time links, API tokens): random, and stored only
// as their sha256, so a copy of the database lets nobody in.
import { createHash, randomBytes } from 'node:crypto';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** 32 random bytes as base64url, after a prefix that says what the secret is (`ta_`, `tas_`, `tal_`). */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}
