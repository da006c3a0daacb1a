import * as z from 'zod';

/** Error categories that count towards a circuit breaker (the provider was unavailable). */
export const AVAILABILITY_CATEGORIES: ReadonlySet<string> = new Set(['rate_limit', 'overloaded', 'server', 'timeout', 'connection']);

/**
 * Runs of consecutive availability failures per `provider␟model`, kept as a histogram of run
 * lengths so that circuit-breaker openings can be replayed for any threshold without reading
 * the ledger again: the breaker opens when a run reaches `threshold` and every further failure
 * while open is a failed half-open probe that opens it again, so a run of length L opens it
 * max(0, L − threshold + 1) times. An answered call (any outcome but `error` and `cache_hit`)
 * ends the run; errors of other categories (auth, refused, …) and cache hits leave it alone.
 */
export interface BreakerStreak {
  /** Length of the run still going at the end of the ledger read so far. */
  current: number;
  /** Run length → how many runs of that length have ended. */
  ended: Map<number, number>;
}
export type BreakerStreaks = Map<string, BreakerStreak>;

export const STREAK_SEPARATOR = '\u001f';

export function streakKeyOf(provider: string, model: string): string {
  return provider + STREAK_SEPARATOR + model;
}

/** Folds one valid ledger record into the streaks; `key` is `streakKeyOf(provider, model)`. */
export function visitStreak(streaks: BreakerStreaks, key: string, outcome: string, errorCategory: string | undefined): void {
  if (outcome === 'cache_hit') return;
  if (outcome !== 'error') {
    if (streaks.size === 0) return;
    const streak = streaks.get(key);
    if (streak && streak.current > 0) {
      streak.ended.set(streak.current, (streak.ended.get(streak.current) ?? 0) + 1);
      streak.current = 0;
    }
    return;
  }
  if (errorCategory === undefined || !AVAILABILITY_CATEGORIES.has(errorCategory)) return;
  let streak = streaks.get(key);
  if (!streak) streaks.set(key, (streak = { current: 0, ended: new Map() }));
  streak.current++;
}

/** Circuit-breaker openings per provider for a failure threshold (≥ 1). */
export function breakerOpenings(streaks: BreakerStreaks, threshold: number): Map<string, number> {
  const openings = new Map<string, number>();
  const opensFor = (length: number) => Math.max(0, length - threshold + 1);
  for (const [key, streak] of streaks) {
    let count = opensFor(streak.current);
    for (const [length, runs] of streak.ended) count += runs * opensFor(length);
    if (count === 0) continue;
    const provider = key.slice(0, key.indexOf(STREAK_SEPARATOR));
    openings.set(provider, (openings.get(provider) ?? 0) + count);
  }
  return openings;
}

export const StreaksFileSchema = z.record(z.string(), z.object({ current: z.number().int().min(0), ended: z.record(z.string().regex(/^[1-9]\d*$/), z.number().int().min(1)) }));

export function streaksToJson(streaks: BreakerStreaks): z.infer<typeof StreaksFileSchema> {
  const out: z.infer<typeof StreaksFileSchema> = {};
  for (const [key, streak] of streaks) out[key] = { current: streak.current, ended: Object.fromEntries(streak.ended) };
  return out;
}

export function streaksFromJson(json: z.infer<typeof StreaksFileSchema>): BreakerStreaks {
  const streaks: BreakerStreaks = new Map();
  for (const [key, streak] of Object.entries(json)) {
    streaks.set(key, { current: streak.current, ended: new Map(Object.entries(streak.ended).map(([length, runs]) => [Number(length), runs])) });
  }
  return streaks;
}
