import { onTestFailed } from 'vitest';

/**
 * Random schedules that can be replayed. Each test file draws its kill instants, sizes and
 * back-off waits from one seeded generator: `DSPEC_TEST_SEED` replays a run, otherwise a new
 * seed is drawn and printed whenever a test of the file fails.
 */
export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1), like Math.random. */
  next(): number;
  /** An integer in [0, bound). */
  below(bound: number): number;
}

/** mulberry32: tiny, fast, and good enough to spread schedules; not for anything secret. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next, below: (bound) => Math.floor(next() * bound) };
}

/** The seed of this run: `DSPEC_TEST_SEED` when set, else a fresh one. */
export function testSeed(): number {
  const fromEnv = process.env.DSPEC_TEST_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number.parseInt(fromEnv, 10);
    if (!Number.isSafeInteger(seed)) throw new Error(`DSPEC_TEST_SEED must be an integer, got ${JSON.stringify(fromEnv)}`);
    return seed >>> 0;
  }
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

/**
 * A seeded generator for one test file. Call it inside `describe` or at module level; each test
 * registers a failure hook (call `reportSeedOnFailure()` at the start of a test) that prints the seed.
 */
export function randomScheduleForFile(label: string): SeededRandom & { reportSeedOnFailure(): void } {
  const random = seededRandom(testSeed());
  return {
    ...random,
    reportSeedOnFailure: () =>
      onTestFailed(() => {
        console.error(`[${label}] random schedule seed ${random.seed}: replay with DSPEC_TEST_SEED=${random.seed}`);
      }),
  };
}
