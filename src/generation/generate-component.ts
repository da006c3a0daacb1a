import path from 'node:path';
import type { CacheEntry, ContentCache, Provenance, Usage } from '../cache/cache-entry.js';
import { cacheKeyOf, canonicalJson, hashBundle, sha256Hex } from '../cache/canonical-json.js';
import { CATALOG_VERSION } from '../catalog/catalog.js';
import type { BudgetReservation, CostTracker } from '../cost/cost-tracker.js';
import type { LedgerRecord } from '../cost/ledger-record.js';
import { BudgetExceededError, DspecError, InputError, ProviderError, ProviderUnavailableError, ValidationFailedError, type ErrorIssue } from '../errors.js';
import { writeFileAtomic } from '../infra/atomic-write.js';
import type { GenerationConfig } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { BundleSchema, type Bundle } from '../validation/bundle.js';
import { BUNDLE_FILE, finding, type Finding } from '../validation/finding.js';
import { formatFindingsForRepair } from '../validation/format-findings.js';
import { VALIDATOR_VERSION, validateBundle, type ValidateBundleOptions, type ValidationResult } from '../validation/validate-bundle.js';
import { VERSION } from '../version.js';
import { CircuitBreakerRegistry, type CircuitBreaker } from './circuit-breaker.js';
import { systemClock, type Clock } from './clock.js';
import { renderExamples, type ExampleSource } from './example-source.js';
import { GENERATED_COMPONENT_TOOL, GeneratedComponentSchema, generatedComponentJsonSchema, toBundle } from './generated-bundle.js';
import { loadPromptRegistry, type ComposedPrompt, type PromptRegistry } from './prompt-registry.js';
import { ProviderCallError, ZERO_USAGE, type ErrorCategory, type GenerationProvider, type ProviderAnswer, type ProviderCall } from './provider.js';
import { CONFIGURE_PROVIDER_HINT } from './select-providers.js';
import { GenerationTelemetry } from './telemetry.js';
import { decideRetry, type RetryPolicy } from './transport-retry.js';

/** The prompt that writes a component, and the ones that talk back to the model. */
export const COMPONENT_PROMPT_ID = 'component-generation';
export const REPAIR_PROMPT_ID = 'repair-feedback';
export const TRUNCATION_PROMPT_ID = 'truncation-note';

/** The theme as generation needs it: every variable it defines (for the prompt and the gate) and its hash (for the cache key). */
export interface GenerationTheme {
  variables: ReadonlyMap<string, string>;
  hash: string;
}

export interface GenerationProgress {
  stage: 'cache-hit' | 'calling' | 'retrying' | 'validating' | 'repairing' | 'done' | 'failed';
  /** 1-based repair attempt (0 before the first call). */
  attempt: number;
  maxAttempts: number;
  provider?: string;
  model?: string;
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
  /** Default: the real gate. Tests whose point is not validation may pass a stub. */
  validate?: ValidateFunction;
  validatorVersion?: string;
  catalogVersion?: string;
  breakers?: CircuitBreakerRegistry;
  telemetry?: GenerationTelemetry;
}

export interface GenerationResult {
  /** The validated bundle, with its provenance. */
  bundle: Bundle;
  provenance: Provenance;
  /** Tokens of this request's attempts (zero on a cache hit). */
  usage: Usage;
  /** USD this request spent (0 on a cache hit, null when the model is unpriced). */
  cost: number | null;
  /** USD a cache hit saved. */
  costSaved: number;
  cacheHit: boolean;
  cacheKey: string;
  attempts: number;
  /** The gate's warnings about the returned bundle (empty on a cache hit). */
  warnings: Finding[];
  /** Things the caller may want to surface: deprecated prompts, providers that were skipped. */
  notices: string[];
}

/** Process-wide defaults, for callers that do not inject their own (the server passes its own). */
export const defaultTelemetry = new GenerationTelemetry();
const defaultBreakers = new Map<string, CircuitBreakerRegistry>();

/** Circuit states of the process-wide breakers (the ones used when `deps.breakers` is not given). */
export function circuitStates() {
  return [...defaultBreakers.values()].flatMap((registry) => registry.states());
}

/** Categories that say the provider is unwell: they count towards opening its circuit. */
const AVAILABILITY_FAILURES: ReadonlySet<ErrorCategory> = new Set(['rate_limit', 'overloaded', 'server', 'timeout', 'connection']);

/**
 * Tier 2: a component the catalog does not have, generated by an LLM, validated by the gate,
 * repaired with the gate's findings, cached by content, and never returned unless it passed.
 *
 * Throws InputError (bad name), ProviderUnavailableError (no provider, or a cache-only miss),
 * BudgetExceededError (before any call that would exceed a budget), ProviderError (transport
 * failures after retries and fallbacks, cancellation), ValidationFailedError (no attempt passed).
 */
export async function generateTier2Component(request: GenerationRequest, deps: GenerationDeps): Promise<GenerationResult> {
  const nameCheck = BundleSchema.shape.name.safeParse(request.name);
  if (!nameCheck.success) throw new InputError(`"${String(request.name).slice(0, 80)}" is not a component name: it must be PascalCase, e.g. "StatCard".`);
  if (typeof request.description !== 'string' || request.description.trim() === '') throw new InputError('A generated component needs a description of what it is and does.');
  const run = new GenerationRun(request, deps);
  return run.execute();
}

interface KeyedIdentity {
  provider: GenerationProvider;
  key: string;
  keyMaterial: Record<string, unknown>;
}

class GenerationRun {
  private readonly config: GenerationConfig;
  private readonly clock: Clock;
  private readonly telemetry: GenerationTelemetry;
  private readonly breakers: CircuitBreakerRegistry;
  private readonly validate: ValidateFunction;
  private readonly validatorVersion: string;
  private readonly catalogVersion: string;
  private readonly operation: string;
  private readonly spec: { name: string; description: string; props: Record<string, unknown> | null };
  private readonly themeVariables: ReadonlySet<string> | undefined;
  private readonly registry: PromptRegistry;
  private readonly notices: string[] = [];
  private readonly deadline: number;
  private readonly retryPolicy: RetryPolicy;
  private prompt!: ComposedPrompt;
  private waitedMs = 0;

  constructor(
    private readonly request: GenerationRequest,
    private readonly deps: GenerationDeps,
  ) {
    this.config = deps.config;
    this.clock = deps.clock ?? systemClock;
    this.telemetry = deps.telemetry ?? defaultTelemetry;
    this.breakers = deps.breakers ?? defaultBreakerRegistry(deps.config, this.clock);
    this.validate = deps.validate ?? validateBundle;
    this.validatorVersion = deps.validatorVersion ?? VALIDATOR_VERSION;
    this.catalogVersion = deps.catalogVersion ?? CATALOG_VERSION;
    this.operation = request.operation ?? 'generate_component';
    this.spec = { name: request.name, description: request.description.trim(), props: request.props ?? null };
    this.themeVariables = request.theme ? new Set(request.theme.variables.keys()) : undefined;
    this.registry = deps.prompts ?? loadPromptRegistry(deps.promptsDir);
    this.deadline = this.clock.now() + this.config.deadlineMs;
    this.retryPolicy = this.config.retry;
  }

  async execute(): Promise<GenerationResult> {
    this.prompt = this.composePrompt();
    const strategy = this.request.cacheStrategy ?? this.config.cacheStrategy;
    const identities = this.deps.providers.filter((provider) => provider.id !== 'none').map((provider) => this.keyFor(provider));

    if (strategy !== 'never') {
      for (const identity of identities) {
        const hit = await this.readCache(identity, strategy);
        if (hit) return hit;
      }
    }
    if (this.request.cacheOnly ?? this.config.cacheOnly) {
      this.telemetry.failure('cache_miss');
      throw new ProviderUnavailableError(`"${this.spec.name}" is not in the cache, and cache-only mode forbids calling a model.`, {
        suggestion: 'Run without DSPEC_CACHE_ONLY / --cached to generate it, or request a component that was generated before with the same spec, theme and model.',
        context: { component: this.spec.name },
      });
    }

    const usable = identities.filter((identity) => identity.provider.health().configured);
    if (usable.length === 0) {
      this.telemetry.failure('unavailable');
      const reasons = [...new Set(this.deps.providers.map((provider) => provider.health().detail))];
      throw new ProviderUnavailableError(`"${this.spec.name}" is not in the catalog and no LLM provider is available to generate it${reasons.length ? ` (${reasons.join(' ')})` : ''}`, {
        suggestion: CONFIGURE_PROVIDER_HINT,
        context: { component: this.spec.name },
      });
    }

    let lastFailure: ProviderCallError | undefined;
    for (const [index, identity] of usable.entries()) {
      try {
        return await this.generateWith(identity);
      } catch (error) {
        if (!(error instanceof ProviderCallError) || error.category === 'aborted') {
          if (!(error instanceof ValidationFailedError)) this.telemetry.failure(error instanceof ProviderCallError ? error.category : categoryOfFailure(error));
          throw error instanceof ProviderCallError ? this.toProviderError(error, identity.provider) : error;
        }
        lastFailure = error;
        const next = usable[index + 1];
        if (next) {
          const notice = `${identity.provider.id} (${identity.provider.model}) failed (${error.category}); falling back to ${next.provider.id}.`;
          this.notices.push(notice);
          this.deps.logger.warn({ provider: identity.provider.id, model: identity.provider.model, category: error.category }, 'generation provider failed; falling back');
        }
      }
    }
    this.telemetry.failure(lastFailure!.category);
    throw this.toProviderError(lastFailure!, usable[usable.length - 1]!.provider);
  }

  private composePrompt(): ComposedPrompt {
    const examples = this.deps.examples?.similar({ name: this.spec.name, description: this.spec.description, props: this.spec.props ?? undefined }, 3) ?? [];
    const variables = this.request.theme ? [...this.request.theme.variables].sort(([a], [b]) => a.localeCompare(b)) : undefined;
    const prompt = this.registry.compose(COMPONENT_PROMPT_ID, {
      name: this.spec.name,
      description: this.spec.description,
      props: this.spec.props ? `\`\`\`json\n${JSON.stringify(this.spec.props, null, 2)}\n\`\`\`` : undefined,
      themeVariables: variables ? variables.map(([name, value]) => `${name}: ${value}`).join('\n') : undefined,
      outputSchema: `\`\`\`json\n${JSON.stringify(generatedComponentJsonSchema())}\n\`\`\``,
      examples: examples.length ? renderExamples(examples) : undefined,
    });
    for (const warning of prompt.warnings) {
      this.notices.push(warning);
      this.deps.logger.warn({ prompt: prompt.id }, warning);
    }
    return prompt;
  }

  private keyFor(provider: GenerationProvider): KeyedIdentity {
    const keyMaterial = {
      kind: 'dspec/tier2-component',
      spec: this.spec,
      prompt: { id: this.prompt.id, version: this.prompt.version, hash: this.prompt.hash },
      provider: provider.id,
      model: provider.model,
      parameters: { maxTokens: this.config.maxTokens, maxTokensCeiling: this.config.maxTokensCeiling, maxAttempts: this.config.maxAttempts, tool: GENERATED_COMPONENT_TOOL.name },
      validatorVersion: this.validatorVersion,
      catalogVersion: this.catalogVersion,
      themeHash: this.request.theme?.hash ?? null,
    };
    return { provider, keyMaterial, key: cacheKeyOf(keyMaterial) };
  }

  private async readCache(identity: KeyedIdentity, strategy: GenerationConfig['cacheStrategy']): Promise<GenerationResult | undefined> {
    let entry: CacheEntry | undefined;
    try {
      entry = await this.deps.cache.get(identity.key);
    } catch (error) {
      if (strategy === 'always') throw error;
      this.deps.logger.warn({ err: error, key: identity.key }, 'generation cache read failed; treating as a miss');
      return undefined;
    }
    if (!entry) return undefined;
    const costSaved = this.deps.costs.estimateCost(entry.provenance.model, entry.usage) ?? entry.cost ?? 0;
    await this.deps.costs.record({
      operation: this.operation,
      component: this.spec.name,
      provider: entry.provenance.provider,
      model: entry.provenance.model,
      requestId: null,
      attempt: 1,
      retry: 0,
      outcome: 'cache_hit',
      inputTokens: 0,
      outputTokens: 0,
      cacheWriteTokens: 0,
      cacheReadTokens: 0,
      cacheHit: true,
      costSaved,
      promptVersion: entry.provenance.promptVersion,
      cacheKey: identity.key,
    });
    this.telemetry.cacheHit();
    this.progress({ stage: 'cache-hit', attempt: 0, provider: entry.provenance.provider, model: entry.provenance.model, message: `cache hit for ${this.spec.name}` });
    return {
      bundle: { ...entry.value, provenance: entry.provenance },
      provenance: entry.provenance,
      usage: { ...ZERO_USAGE },
      cost: 0,
      costSaved,
      cacheHit: true,
      cacheKey: identity.key,
      attempts: entry.provenance.attempts,
      warnings: [],
      notices: this.notices,
    };
  }

  /** The repair loop with one provider: at most `maxAttempts` answers, each validated. */
  private async generateWith(identity: KeyedIdentity): Promise<GenerationResult> {
    const { provider } = identity;
    const breaker = this.breakers.for(provider.id, provider.model);
    const maxAttempts = this.config.maxAttempts;
    const usage: Usage = { ...ZERO_USAGE };
    const costs: Array<number | null> = [];
    const failures: Array<{ attempt: number; outcome: 'invalid' | 'truncated'; output: unknown; findings: Finding[] }> = [];
    let maxTokens = this.config.maxTokens;
    let repair: ProviderCall['repair'];

    const ledger = async (reservation: BudgetReservation, fields: { attempt: number; retry: number; outcome: LedgerRecord['outcome']; errorCategory?: string; requestId: string | null; usage: Usage }) => {
      addUsage(usage, fields.usage);
      const { record, warnings } = await this.deps.costs.record(
        {
          operation: this.operation,
          component: this.spec.name,
          provider: provider.id,
          model: provider.model,
          requestId: fields.requestId,
          attempt: fields.attempt,
          retry: fields.retry,
          outcome: fields.outcome,
          ...(fields.errorCategory ? { errorCategory: fields.errorCategory } : {}),
          inputTokens: fields.usage.inputTokens,
          outputTokens: fields.usage.outputTokens,
          cacheWriteTokens: fields.usage.cacheWriteTokens,
          cacheReadTokens: fields.usage.cacheReadTokens,
          cacheHit: false,
          costSaved: 0,
          promptVersion: this.prompt.version,
          cacheKey: identity.key,
        },
        reservation,
      );
      costs.push(record.totalCost);
      this.notice(...warnings);
    };

    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      this.progress({ stage: attempt === 1 ? 'calling' : 'repairing', attempt, provider: provider.id, model: provider.model, message: `attempt ${attempt} of ${maxAttempts} with ${provider.id} (${provider.model})` });
      const call: ProviderCall = {
        prompt: { system: this.prompt.system, user: this.prompt.user },
        tool: { ...GENERATED_COMPONENT_TOOL, inputSchema: generatedComponentJsonSchema() },
        maxTokens,
        ...(repair ? { repair } : {}),
        ...(this.request.signal ? { signal: this.request.signal } : {}),
      };
      const { answer, reservation, retry } = await this.callWithRetries(provider, breaker, call, attempt, ledger);
      const base = { attempt, retry, requestId: answer.requestId, usage: answer.usage };

      let recorded = false;
      const settle = async (outcome: LedgerRecord['outcome'], errorCategory?: string) => {
        recorded = true;
        await ledger(reservation, { ...base, outcome, ...(errorCategory ? { errorCategory } : {}) });
      };
      try {
        if (answer.stop === 'refused') {
          await settle('error', 'refused');
          this.telemetry.category('refused');
          throw new ProviderCallError('The model declined to write this component.', { category: 'refused', retryable: false, requestId: answer.requestId });
        }
        if (answer.stop === 'truncated') {
          await settle('truncated', 'truncated');
          this.telemetry.category('truncated');
          const finding = truncationFinding(maxTokens);
          failures.push({ attempt, outcome: 'truncated', output: answer.output ?? answerText(answer), findings: [finding] });
          repair = { feedback: this.registry.compose(TRUNCATION_PROMPT_ID, { maxTokens: String(maxTokens) }).user.join('\n\n') };
          maxTokens = Math.min(maxTokens * 2, Math.max(this.config.maxTokensCeiling, maxTokens));
          continue;
        }

        const { bundle, findings, warnings } = await this.check(answer, attempt, provider);
        if (bundle) {
          await settle('success');
          return await this.succeed(identity, bundle, { attempt, usage, costs, warnings });
        }
        await settle('invalid', 'invalid');
        this.telemetry.category('invalid');
        failures.push({ attempt, outcome: 'invalid', output: answer.output ?? answerText(answer), findings });
        repair = {
          previous: answer.answer,
          feedback: this.registry
            .compose(REPAIR_PROMPT_ID, { findings: formatFindingsForRepair(findings), attempt: String(attempt), maxAttempts: String(maxAttempts) })
            .user.join('\n\n'),
        };
      } catch (error) {
        if (!recorded) await settle('error', 'internal');
        throw error;
      }
    }
    return this.fail(identity, failures, usage, costs);
  }

  /** Parses the answer against the schema, then runs the gate; a bundle only when both pass. */
  private async check(answer: ProviderAnswer, attempt: number, provider: GenerationProvider): Promise<{ bundle?: Bundle; findings: Finding[]; warnings: Finding[] }> {
    if (answer.output === undefined) {
      return {
        findings: [
          finding({ layer: 'schema', severity: 'error', code: 'answer-not-json', message: 'The answer contained no JSON object with the bundle.', file: BUNDLE_FILE, line: 0, column: 0, suggestion: `Call the ${GENERATED_COMPONENT_TOOL.name} tool (or answer with one JSON object) with every field of the schema.` }),
        ],
        warnings: [],
      };
    }
    const parsed = GeneratedComponentSchema.safeParse(answer.output);
    if (!parsed.success) {
      return {
        findings: parsed.error.issues.map((issue) =>
          finding({ layer: 'schema', severity: 'error', code: `answer-${issue.code}`, message: `${issue.path.length ? issue.path.map(String).join('.') : '(answer)'}: ${issue.message}`, file: BUNDLE_FILE, line: 0, column: 0, suggestion: 'Follow the output schema exactly: every field present, strings for file contents, dependencies as [{ name, version }].' }),
        ),
        warnings: [],
      };
    }
    const bundle = toBundle(this.spec.name, parsed.data);
    this.progress({ stage: 'validating', attempt, provider: provider.id, model: provider.model, message: `validating attempt ${attempt}` });
    const result = await this.validate(bundle, this.themeVariables ? { themeVariables: this.themeVariables } : {});
    return result.valid ? { bundle, findings: [], warnings: result.warnings } : { findings: result.errors, warnings: result.warnings };
  }

  /**
   * One attempt, with our transport retries: each HTTP try reserves budget first (a
   * BudgetExceededError means no call) and a failed try is recorded at once; the caller
   * records the try that answered, after judging the answer.
   */
  private async callWithRetries(
    provider: GenerationProvider,
    breaker: CircuitBreaker,
    call: ProviderCall,
    attempt: number,
    ledger: (reservation: BudgetReservation, fields: { attempt: number; retry: number; outcome: LedgerRecord['outcome']; errorCategory?: string; requestId: string | null; usage: Usage }) => Promise<void>,
  ): Promise<{ answer: ProviderAnswer; reservation: BudgetReservation; retry: number }> {
    const signal = this.request.signal;
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw new ProviderCallError('The request was cancelled.', { category: 'aborted', retryable: false });
      if (!breaker.tryAcquire()) {
        this.telemetry.category('circuit_open');
        const snapshot = breaker.snapshot();
        throw new ProviderCallError(`The circuit for ${breaker.key} is open after repeated failures${snapshot.retryAt ? `; it lets a probe through at ${snapshot.retryAt}` : ''}.`, { category: 'circuit_open', retryable: false });
      }
      let reservation: BudgetReservation;
      try {
        reservation = await this.deps.costs.reserve({
          operation: this.operation,
          component: this.spec.name,
          provider: provider.id,
          model: provider.model,
          estimatedInputTokens: estimateInputTokens(call),
          maxOutputTokens: call.maxTokens,
        });
      } catch (error) {
        breaker.onNeutral();
        throw error;
      }
      this.notice(...(reservation.warnings ?? []));
      try {
        const answer = await provider.generate(call);
        breaker.onSuccess();
        return { answer, reservation, retry };
      } catch (raw) {
        const error = raw instanceof ProviderCallError ? raw : new ProviderCallError('Unexpected provider failure.', { category: 'unknown', retryable: false, cause: raw });
        if (AVAILABILITY_FAILURES.has(error.category)) breaker.onFailure();
        else breaker.onNeutral();
        await ledger(reservation, { attempt, retry, outcome: 'error', errorCategory: error.category, requestId: error.requestId, usage: error.usage ?? ZERO_USAGE });
        this.telemetry.category(error.category);
        const decision = decideRetry(error, { retry, waitedMs: this.waitedMs, now: this.clock.now(), deadline: this.deadline }, this.retryPolicy, () => this.clock.random());
        if (!decision.retry) {
          this.deps.logger.debug({ provider: provider.id, category: error.category, status: error.status, reason: decision.reason }, 'provider attempt failed; not retrying');
          throw error;
        }
        this.progress({ stage: 'retrying', attempt, provider: provider.id, model: provider.model, message: `${error.category}${error.status ? ` (HTTP ${error.status})` : ''}; retrying in ${decision.delayMs} ms` });
        this.waitedMs += decision.delayMs;
        try {
          await this.clock.sleep(decision.delayMs, signal);
        } catch (cause) {
          throw new ProviderCallError('The request was cancelled.', { category: 'aborted', retryable: false, cause });
        }
      }
    }
  }

  private async succeed(identity: KeyedIdentity, value: Bundle, outcome: { attempt: number; usage: Usage; costs: Array<number | null>; warnings: Finding[] }): Promise<GenerationResult> {
    const provenance: Provenance = {
      specHash: sha256Hex(canonicalJson(this.spec)),
      promptId: this.prompt.id,
      promptVersion: this.prompt.version,
      promptHash: this.prompt.hash,
      provider: identity.provider.id,
      model: identity.provider.model,
      generationHash: hashBundle(value),
      cacheKey: identity.key,
      timestamp: new Date(this.clock.now()).toISOString(),
      dspecVersion: VERSION,
      attempts: outcome.attempt,
      validatorVersion: this.validatorVersion,
      catalogVersion: this.catalogVersion,
      themeHash: this.request.theme?.hash ?? null,
    };
    const cost = sumCosts(outcome.costs);
    const strategy = this.request.cacheStrategy ?? this.config.cacheStrategy;
    if (strategy !== 'never') {
      const entry: CacheEntry = { key: identity.key, component: this.spec.name, keyMaterial: identity.keyMaterial, value, provenance, usage: outcome.usage, cost, createdAt: provenance.timestamp };
      try {
        await this.deps.cache.set(entry);
      } catch (error) {
        // The bundle is valid and paid for: a cache that cannot store it must not cost the caller the result.
        this.deps.logger.warn({ err: error, key: identity.key }, 'generation cache write failed');
      }
    }
    this.telemetry.success(outcome.attempt);
    this.progress({ stage: 'done', attempt: outcome.attempt, provider: identity.provider.id, model: identity.provider.model, message: `${this.spec.name} passed validation on attempt ${outcome.attempt}` });
    return {
      bundle: { ...value, provenance },
      provenance,
      usage: outcome.usage,
      cost,
      costSaved: 0,
      cacheHit: false,
      cacheKey: identity.key,
      attempts: outcome.attempt,
      warnings: outcome.warnings,
      notices: this.notices,
    };
  }

  /** Keeps the invalid outputs on disk for diagnosis and answers with the last findings, never the code. */
  private async fail(
    identity: KeyedIdentity,
    failures: Array<{ attempt: number; outcome: 'invalid' | 'truncated'; output: unknown; findings: Finding[] }>,
    usage: Usage,
    costs: Array<number | null>,
  ): Promise<never> {
    const last = failures[failures.length - 1];
    const findings = last?.findings ?? [];
    const cost = sumCosts(costs);
    const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
    const file = path.join(this.deps.failedDir, `${stamp}-${this.spec.name}.json`);
    let savedTo: string | undefined;
    try {
      await writeFileAtomic(
        file,
        `${JSON.stringify({ component: this.spec.name, spec: this.spec, provider: identity.provider.id, model: identity.provider.model, prompt: { id: this.prompt.id, version: this.prompt.version, hash: this.prompt.hash }, cacheKey: identity.key, usage, cost, attempts: failures }, null, 2)}\n`,
      );
      savedTo = file;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not keep the failed generation for diagnosis');
    }
    this.telemetry.failure(last?.outcome === 'truncated' ? 'truncated' : 'validation');
    this.progress({ stage: 'failed', attempt: failures.length, provider: identity.provider.id, model: identity.provider.model, message: `${this.spec.name} failed validation after ${failures.length} attempts` });
    const issues: ErrorIssue[] = findings.map((f) => ({ path: f.line ? `${f.file}:${f.line}:${f.column}` : f.file, code: f.code, message: f.message, ...(f.suggestion ? { suggestion: f.suggestion } : {}) }));
    throw new ValidationFailedError(
      `The generated ${this.spec.name} failed validation after ${failures.length} attempt${failures.length === 1 ? '' : 's'} (${last?.outcome === 'truncated' ? 'the answer was cut off by the output-token limit' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`}); no code was returned.`,
      {
        issues,
        suggestion:
          last?.outcome === 'truncated'
            ? 'Raise generation.maxTokensCeiling (or DSPEC_MAX_TOKENS), or describe a smaller component.'
            : 'Refine the description (or props) and try again, or choose a stronger model with DSPEC_MODEL.',
        context: { component: this.spec.name, attempts: failures.length, costUsd: cost, usage, provider: identity.provider.id, model: identity.provider.model, findings, ...(savedTo ? { failedOutput: savedTo } : {}) },
      },
    );
  }

  private toProviderError(error: ProviderCallError, provider: GenerationProvider): DspecError {
    if (error.category === 'unavailable') return new ProviderUnavailableError(error.message, { suggestion: CONFIGURE_PROVIDER_HINT, cause: error });
    const suggestions: Partial<Record<ErrorCategory, string>> = {
      auth: 'Check the API key (ANTHROPIC_API_KEY / OPENAI_API_KEY) and that it may use this model.',
      spend_limit: "The provider account's spend limit is reached: raise it in the provider's console; retrying will not help.",
      rate_limit: 'The provider is rate-limiting this key: try again in a minute.',
      overloaded: 'The provider is overloaded: try again shortly, or configure a fallback with DSPEC_PROVIDER=anthropic,openai-compatible.',
      circuit_open: 'The provider failed repeatedly and is paused: try again after the cool-down, or configure a fallback provider.',
      bad_request: 'The provider refused the request: check the model name (DSPEC_MODEL) and the base URL.',
      refused: 'The model declined: rephrase the description.',
      aborted: 'The request was cancelled by the client.',
    };
    return new ProviderError(`Generating ${this.spec.name} with ${provider.id} (${provider.model}) failed: ${error.message}`, {
      suggestion: suggestions[error.category] ?? 'The provider is unreachable or failing: try again later, or configure a fallback provider.',
      context: { component: this.spec.name, provider: provider.id, model: provider.model, category: error.category, ...(error.status ? { status: error.status } : {}), ...(error.requestId ? { requestId: error.requestId } : {}) },
      cause: error,
    });
  }

  /** Budget alerts and similar, each once per request. */
  private notice(...messages: string[]): void {
    for (const message of messages) if (!this.notices.includes(message)) this.notices.push(message);
  }

  private progress(event: Omit<GenerationProgress, 'maxAttempts'>): void {
    try {
      this.request.onProgress?.({ ...event, maxAttempts: this.config.maxAttempts });
    } catch (error) {
      this.deps.logger.debug({ err: error }, 'progress callback threw');
    }
  }
}

function defaultBreakerRegistry(config: GenerationConfig, clock: Clock): CircuitBreakerRegistry {
  const key = `${config.breaker.failureThreshold}/${config.breaker.coolDownMs}/${clock === systemClock ? 'system' : 'custom'}`;
  let registry = defaultBreakers.get(key);
  if (!registry) {
    registry = new CircuitBreakerRegistry(config.breaker, clock);
    defaultBreakers.set(key, registry);
  }
  return registry;
}

function categoryOfFailure(error: unknown): string {
  if (error instanceof BudgetExceededError) return 'budget';
  if (error instanceof ValidationFailedError) return 'validation';
  if (error instanceof DspecError) return error.code.toLowerCase();
  return 'internal';
}

function truncationFinding(maxTokens: number): Finding {
  return finding({ layer: 'schema', severity: 'error', code: 'answer-truncated', message: `The answer was cut off at the output limit of ${maxTokens} tokens.`, file: BUNDLE_FILE, line: 0, column: 0 });
}

function answerText(answer: ProviderAnswer): unknown {
  return answer.answer.kind === 'text' ? answer.answer.text : answer.answer.input;
}

function addUsage(total: Usage, add: Usage): void {
  total.inputTokens += add.inputTokens;
  total.outputTokens += add.outputTokens;
  total.cacheWriteTokens += add.cacheWriteTokens;
  total.cacheReadTokens += add.cacheReadTokens;
}

/** Null when any part is unpriced: an unknown cost is never reported as a smaller known one. */
function sumCosts(costs: ReadonlyArray<number | null>): number | null {
  let sum = 0;
  for (const cost of costs) {
    if (cost === null) return null;
    sum += cost;
  }
  return Math.round(sum * 1e6) / 1e6;
}

/** About four characters a token: enough for a worst-case budget hold. */
function estimateInputTokens(call: ProviderCall): number {
  let characters = call.prompt.system.length + call.prompt.user.reduce((sum, segment) => sum + segment.length, 0) + JSON.stringify(call.tool.inputSchema).length;
  if (call.repair) {
    characters += call.repair.feedback.length;
    const previous = call.repair.previous;
    if (previous) characters += previous.kind === 'text' ? previous.text.length : JSON.stringify(previous.input ?? '').length;
  }
  return Math.ceil(characters / 4);
}
