// Passwords: argon2id through the `argon2` package, with one of the parameter sets OWASP counts as equal
// (7 MiB, 5 passes, 1 lane): of those, the quickest on our 2 cores (BENCHMARKS.md, sign-in), so that 20
// sign-ins at once stay under half a second. The README states them. The PHC string stores the parameters, so raising them later still verifies old hashes.
import argon2 from 'argon2';

export const ARGON2_PARAMETERS = {
  type: argon2.argon2id,
  memoryCost: 7168,
  timeCost: 5,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_PARAMETERS);
}

const verify = (storedHash: string, password: string) => argon2.verify(storedHash, password);

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
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
