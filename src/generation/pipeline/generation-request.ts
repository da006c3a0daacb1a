import type { ContentCache, Provenance, Usage } from '../../cache/cache-entry.js';
import type { CostTracker } from '../../cost/cost-tracker.js';
import type { GenerationConfig } from '../../infra/config.js';
import type { Logger } from '../../infra/logger.js';
import type { Bundle } from '../../shapes/bundle.js';
import type { Finding } from '../../shapes/finding.js';
import type { ValidateBundleOptions, ValidationResult } from '../../validation/validate-bundle.js';
import type { CircuitBreakerRegistry } from '../providers/circuit-breaker.js';
import type { Clock } from '../clock.js';
import type { GenerationClaims } from '../claims/generation-claims.js';
import type { ExampleSource } from '../prompts/example-source.js';
import type { PromptRegistry } from '../prompts/prompt-registry.js';
import type { GenerationProvider } from '../providers/provider.js';
import type { GenerationTelemetry } from './telemetry.js';

/** The theme as generation needs it: every variable it defines (for the prompt and the gate) and its hash (for the cache key). */
export interface GenerationTheme {
  variables: ReadonlyMap<string, string>;
  hash: string;
}

export interface GenerationProgress {
  /** `streaming`: the answer is arriving; `outputTokens` says how much of it so far. `waiting`: another request is generating the same spec. */
  stage: 'cache-hit' | 'waiting' | 'calling' | 'streaming' | 'retrying' | 'validating' | 'repairing' | 'done' | 'failed';
  /** 1-based repair attempt (0 before the first call). */
  attempt: number;
  maxAttempts: number;
  provider?: string;
  model?: string;
  /** Output tokens received so far by the attempt in flight (`streaming` only). */
  outputTokens?: number;
  message: string;
}

export interface GenerationRequest {
  name: string;
  description: string;
  props?: Record<string, unknown> | undefined;
  theme?: GenerationTheme | undefined;
  /** What asked, for the ledger: `generate_component` (default), `export_screen`, … */
  operation?: string | undefined;
  /** Aborts the HTTP request in flight and any backoff wait. */
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: GenerationProgress) => void) | undefined;
  /** Per-request overrides of the configuration (CLI `--cached`, a tool argument). */
  cacheStrategy?: GenerationConfig['cacheStrategy'] | undefined;
  cacheOnly?: boolean | undefined;
}

export type ValidateFunction = (bundle: unknown, options: ValidateBundleOptions) => Promise<ValidationResult>;
export type GenerationLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface GenerationDeps {
  /** In fallback order; see `createProviderRegistry(...).forRequest(...)`. */
  providers: readonly GenerationProvider[];
  cache: ContentCache;
  costs: CostTracker;
  logger: GenerationLogger;
  clock?: Clock;
  /** Absolute folder for outputs that failed validation (`<home>/failed`). */
  failedDir: string;
  config: GenerationConfig;
  /** Default: the registry of `promptsDir` (default: the package's `prompts/`). */
  prompts?: PromptRegistry;
  promptsDir?: string;
  /** Similar Tier 1 components for the prompt; none when absent. */
  examples?: ExampleSource;
  /** The gate (the runtime's: `(await runtime.gate()).validate`). Tests whose point is not validation may pass a stub. */
  validate: ValidateFunction;
  /** Default: derived from the gate's rules and tools (`gateFingerprint()`). Part of every cache key. */
  gateFingerprint?: string;
  /** Recorded in provenance for readers of older entries; the cache key uses the gate fingerprint. */
  validatorVersion?: string;
  catalogVersion?: string;
  /** The runtime's: who is generating which key, so a spec missing from the cache is paid for once. Absent: no coordination (each request generates). */
  claims?: GenerationClaims;
  /** The runtime's: a breaker opened by one request stays open for the next. */
  breakers: CircuitBreakerRegistry;
  telemetry: GenerationTelemetry;
}

export interface GenerationResult {
  /** The validated bundle, with its provenance. */
  bundle: Bundle;
  provenance: Provenance;
  /** Tokens of this request's attempts, over every provider called (zero on a cache hit). */
  usage: Usage;
  /** USD this request spent over every provider called (0 on a cache hit, null when any call was unpriced). */
  cost: number | null;
  /** USD a cache hit saved. */
  costSaved: number;
  cacheHit: boolean;
  cacheKey: string;
  /** Attempts made over every provider called (on a cache hit: those of the generation that made the entry). */
  attempts: number;
  /** The gate's warnings about the returned bundle (empty on a cache hit). */
  warnings: Finding[];
  /** Things the caller may want to surface: deprecated prompts, providers that were skipped. */
  notices: string[];
}
