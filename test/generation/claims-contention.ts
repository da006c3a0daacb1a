import type { ClaimAttempt, GenerationClaims } from '../../src/generation/claims/generation-claims.js';
import type { GenerationRuntime } from '../../src/generation/generation-context.js';

/**
 * Claims that make a race certain instead of likely: the request that wins a claim does not go
 * on (to the vendor) until `losers` other requests have found the key taken. Without claims
 * that work, nobody loses and the winner never goes on: the test times out rather than pass by luck.
 */
export class ContendedClaims implements GenerationClaims {
  readonly keys: string[] = [];
  wins = 0;
  losses = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly inner: GenerationClaims,
    private readonly losers: number,
  ) {}

  get holder(): string {
    return this.inner.holder;
  }

  async tryClaim(key: string): Promise<ClaimAttempt> {
    this.keys.push(key);
    const attempt = await this.inner.tryClaim(key);
    if (!attempt.won) {
      this.losses++;
      if (this.losses >= this.losers) for (const go of this.waiting.splice(0)) go();
      return attempt;
    }
    this.wins++;
    if (this.losses < this.losers) await new Promise<void>((resolve) => this.waiting.push(resolve));
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
