import { ValidationGate } from '../../src/validation/validation-gate.js';

let shared: ValidationGate | undefined;

/**
 * One gate for every test of this worker (vitest.config.ts runs files with isolate: false), so
 * TypeScript, ESLint and Stylelint load and warm once per worker, not once per test's runtime.
 * Runtimes built by testRuntime() use it and leave it open when they close.
 */
export function testGate(): ValidationGate {
  shared ??= new ValidationGate();
  return shared;
}
