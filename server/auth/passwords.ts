// Passwords: argon2id through the `argon2` package, with OWASP's first recommended parameters
// (19 MiB, 2 passes, 1 lane). One hash takes ~40-50 ms on one of our 2 cores (bench/auth); the README
// states them. The PHC string stores the parameters, so raising them later still verifies old hashes.
import argon2 from 'argon2';

export const ARGON2_PARAMETERS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_PARAMETERS);
}

/** A hash of nothing anyone knows: checked against when there is no user, so both cases take as long. */
let decoy: Promise<string> | undefined;

/**
 * Whether the password matches the stored hash. With no hash (an unknown e-mail, or an invited person
 * who has not set one) it checks a decoy hash, so the answer takes as long and is false.
 */
export async function verifyPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!storedHash) {
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    await argon2.verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(storedHash, password);
  } catch {
    return false;
  }
}
