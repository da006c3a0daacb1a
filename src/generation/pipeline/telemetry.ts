/** Counters of how generations end, for a stats tool: in memory, per process. */
export interface GenerationTelemetrySnapshot {
  /** Validated on the first attempt. */
  firstAttemptSuccesses: number;
  /** Validated after one or more repairs. */
  successesAfterRepair: number;
  /** Ended without a validated bundle (validation, provider, budget or cancellation). */
  failures: number;
  cacheHits: number;
  /** Every failed HTTP attempt and every failed generation, by error category (`invalid`, `truncated`, `rate_limit`, …). */
  byErrorCategory: Record<string, number>;
}

export class GenerationTelemetry {
  private counts: GenerationTelemetrySnapshot = { firstAttemptSuccesses: 0, successesAfterRepair: 0, failures: 0, cacheHits: 0, byErrorCategory: {} };

  success(attempts: number): void {
    if (attempts <= 1) this.counts.firstAttemptSuccesses++;
    else this.counts.successesAfterRepair++;
  }

  failure(category: string): void {
    this.counts.failures++;
    this.category(category);
  }

  cacheHit(): void {
    this.counts.cacheHits++;
  }

  category(category: string): void {
    this.counts.byErrorCategory[category] = (this.counts.byErrorCategory[category] ?? 0) + 1;
  }

  snapshot(): GenerationTelemetrySnapshot {
    return { ...this.counts, byErrorCategory: { ...this.counts.byErrorCategory } };
  }

  reset(): void {
    this.counts = { firstAttemptSuccesses: 0, successesAfterRepair: 0, failures: 0, cacheHits: 0, byErrorCategory: {} };
  }
}
