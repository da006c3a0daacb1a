import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'vitest';

/** The read-only `../shared` folder beside the project root (see shared/README.md). */
export const SHARED_ROOT = path.resolve(process.cwd(), '../shared');

export function sharedPath(...segments: string[]): string {
  return path.join(SHARED_ROOT, ...segments);
}

export const hasShared = existsSync(SHARED_ROOT);

/** A test may skip for want of `../shared` only outside CI: under CI=true a missing folder is a broken checkout. */
export const skipWithoutShared = !hasShared && process.env.CI !== 'true';

/** Throws, naming the folder, when `../shared` is missing: the first line of a test that reads it. */
export function requireShared(): void {
  if (!hasShared) throw new Error(`${SHARED_ROOT} is missing; under CI=true the shared fixtures are required`);
}

/**
 * `describe` for tests that read `../shared`: skipped with a note when the folder is missing (a
 * user's clone), but failing under CI=true, where a missing folder means a broken checkout.
 */
export function describeWithShared(name: string, body: () => void): void {
  if (hasShared) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`${SHARED_ROOT} is missing; under CI=true the shared fixtures are required`);
    });
    return;
  }
  console.warn(`skipping "${name}": ${SHARED_ROOT} is missing (shared fixtures are not part of a clone)`);
  describe.skip(name, body);
}
