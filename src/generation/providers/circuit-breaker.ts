import type { Clock } from '../clock.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  coolDownMs: number;
}

export interface CircuitSnapshot {
  key: string;
  state: CircuitState;
  consecutiveFailures: number;
  /** When an open circuit will admit its probe (ISO), or null. */
  retryAt: string | null;
}

/**
 * One breaker per provider+model: after `failureThreshold` consecutive availability failures
 * it opens and calls fail fast; after the cool-down exactly one probe is let through (half
 * open); its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(
    readonly key: string,
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** Whether a call may go out now; in half-open state only the first caller gets true. */
  tryAcquire(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.clock.now() - this.openedAt < this.options.coolDownMs) return false;
      this.state = 'half-open';
      this.probeInFlight = false;
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.probeInFlight = false;
  }

  onFailure(): void {
    this.failures++;
    this.probeInFlight = false;
    if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.clock.now();
    }
  }

  /** A call that was admitted but ended without saying anything about the provider's health. */
  onNeutral(): void {
    this.probeInFlight = false;
  }

  snapshot(): CircuitSnapshot {
    // Report the cool-down's end as half-open without consuming the probe.
    const cooled = this.state === 'open' && this.clock.now() - this.openedAt >= this.options.coolDownMs;
    return {
      key: this.key,
      state: cooled ? 'half-open' : this.state,
      consecutiveFailures: this.failures,
      retryAt: this.state === 'open' && !cooled ? new Date(this.openedAt + this.options.coolDownMs).toISOString() : null,
    };
  }
}

/** The breakers of one process (or one test), by `provider:model`. */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  for(provider: string, model: string): CircuitBreaker {
    const key = `${provider}:${model}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(key, this.options, this.clock);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Every breaker's state, for a health or stats tool. */
  states(): CircuitSnapshot[] {
    return [...this.breakers.values()].map((breaker) => breaker.snapshot()).sort((a, b) => a.key.localeCompare(b.key));
  }
}
