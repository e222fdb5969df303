import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../errors.js';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const argonOptions = { algorithm: 2 /* Algorithm.Argon2id (a const enum, unusable with isolatedModules) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const minimumPasswordLength = 8;

export function assertPasswordAcceptable(password: string, path = 'password'): void {
  if (password.length < minimumPasswordLength) {
    throw new AppError('VALIDATION_FAILED', `The password must be at least ${minimumPasswordLength} characters long.`, {
      details: [{ path, message: `At least ${minimumPasswordLength} characters` }],
    });
  }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // Unknown users still cost one verification, so timing does not reveal which emails exist.
  const target = passwordHash ?? (await decoyHash);
  try {
    const ok = await verify(target, password);
    return ok && passwordHash !== null;
  } catch {
    return false;
  }
}

const decoyHash = hash('decoy-password-for-timing', argonOptions);
