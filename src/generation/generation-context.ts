import type { CacheStore } from '../cache/cache-store.js';
import type { CostTracker } from '../cost/cost-tracker.js';
import type { Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import type { ValidationGate } from '../validation/validation-gate.js';
import type { GenerationClaims } from './claims/generation-claims.js';
import type { CircuitBreakerRegistry } from './providers/circuit-breaker.js';
import type { ExampleSource } from './prompts/example-source.js';
import type { ProviderRegistry } from './providers/select-providers.js';
import type { GenerationTelemetry } from './pipeline/telemetry.js';

/** What Tier 2 generation needs besides the request, all from one runtime. */
export interface GenerationContext {
  providers: ProviderRegistry;
  cache: CacheStore;
  costs: CostTracker;
  /** Absolute folder for outputs that failed validation. */
  failedDir: string;
  examples: ExampleSource;
  breakers: CircuitBreakerRegistry;
  telemetry: GenerationTelemetry;
  /** Who is generating which spec (this process, or every replica sharing the database), so each is paid for once. */
  claims: GenerationClaims;
}

/**
 * What a caller of generation (routing, previews, eval) needs of the runtime it was handed:
 * configuration, where it runs, and generation's long-lived parts. The composition root
 * (src/runtime/) builds one; the domain sees only this.
 */
export interface GenerationRuntime {
  readonly config: Config;
  /** Working directory that relative paths resolve against. */
  readonly cwd: string;
  /** The state directory (`.dspec/` or DSPEC_HOME), absolute. */
  readonly home: string;
  readonly logger: Logger;
  generation(): Promise<GenerationContext>;
  /** The validation gate and its warm tools (TypeScript, ESLint, Stylelint), built on first ask. */
  gate(): Promise<ValidationGate>;
}
