import type { ClaimAttempt, GenerationClaims } from '../../src/generation/claims/generation-claims.js';
import type { GenerationRuntime } from '../../src/generation/generation-context.js';

/**
 * A race made certain instead of likely: the request that wins a claim does not go on (to the
 * vendor) until `losers` requests have found the key taken. Without claims that work, nobody
 * loses and the winner never goes on: the test times out rather than pass by luck. One race
 * may be shared by the claims of several runtimes (replicas).
 */
export class ClaimRace {
  readonly keys: string[] = [];
  wins = 0;
  losses = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly losers: number) {}

  /** Counts a loss, and lets the winner go once enough requests lost. */
  lost(): void {
    this.losses++;
    if (this.losses >= this.losers) for (const go of this.waiting.splice(0)) go();
  }

  /** Counts a win; resolves once enough requests lost. */
  async won(): Promise<void> {
    this.wins++;
    if (this.losses < this.losers) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}

/** Claims that report to a race: a winner waits for the losers before it goes on. */
export class ContendedClaims implements GenerationClaims {
  constructor(
    readonly inner: GenerationClaims,
    private readonly race: ClaimRace,
  ) {}

  get holder(): string {
    return this.inner.holder;
  }

  async tryClaim(key: string): Promise<ClaimAttempt> {
    this.race.keys.push(key);
    const attempt = await this.inner.tryClaim(key);
    if (attempt.won) await this.race.won();
    else this.race.lost();
    return attempt;
  }

  waitForChange(key: string, round: number, signal?: AbortSignal): Promise<void> {
    return this.inner.waitForChange(key, round, signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The runtime, with generation's claims replaced (everything else is the runtime's own). */
export function withClaims(runtime: GenerationRuntime, claims: (own: GenerationClaims) => GenerationClaims): GenerationRuntime {
  let replaced: GenerationClaims | undefined;
  return {
    config: runtime.config,
    cwd: runtime.cwd,
    home: runtime.home,
    logger: runtime.logger,
    gate: () => runtime.gate(),
    async generation() {
      const context = await runtime.generation();
      replaced ??= claims(context.claims);
      return { ...context, claims: replaced };
    },
  };
}
