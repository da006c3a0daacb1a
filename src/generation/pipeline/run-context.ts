import { CATALOG_VERSION } from '../../catalog/catalog.js';
import type { GenerationConfig } from '../../infra/config.js';
import { VALIDATOR_VERSION } from '../../validation/validate-bundle.js';
import type { CircuitBreakerRegistry } from '../providers/circuit-breaker.js';
import { systemClock, type Clock } from '../clock.js';
import { renderExamples } from '../prompts/example-source.js';
import { gateFingerprint } from './gate-fingerprint.js';
import { generatedComponentJsonSchema } from './model-answer.js';
import type { GenerationDeps, GenerationLogger, GenerationProgress, GenerationRequest, ValidateFunction } from './generation-request.js';
import { loadPromptRegistry, type ComposedPrompt, type PromptRegistry } from '../prompts/prompt-registry.js';
import type { GenerationTelemetry } from './telemetry.js';

/** The prompt that writes a component, and the ones that talk back to the model. */
export const COMPONENT_PROMPT_ID = 'component-generation';
export const REPAIR_PROMPT_ID = 'repair-feedback';
export const TRUNCATION_PROMPT_ID = 'truncation-note';

/**
 * What every step of one request shares: the spec, the composed prompt, the gate fingerprint,
 * the collaborators with their defaults filled in, and the request's notices and progress.
 */
export class RunContext {
  readonly config: GenerationConfig;
  readonly clock: Clock;
  readonly telemetry: GenerationTelemetry;
  readonly breakers: CircuitBreakerRegistry;
  readonly validate: ValidateFunction;
  readonly validatorVersion: string;
  readonly catalogVersion: string;
  readonly operation: string;
  readonly spec: { name: string; description: string; props: Record<string, unknown> | null };
  readonly themeVariables: ReadonlySet<string> | undefined;
  readonly registry: PromptRegistry;
  readonly logger: GenerationLogger;
  readonly notices: string[] = [];
  readonly deadline: number;
  /** Sum of this request's backoff waits, against `retry.maxTotalWaitMs`. */
  waitedMs = 0;

  private constructor(
    readonly request: GenerationRequest,
    readonly deps: GenerationDeps,
    readonly gateFingerprint: string,
    readonly prompt: ComposedPrompt,
    registry: PromptRegistry,
  ) {
    this.config = deps.config;
    this.clock = deps.clock ?? systemClock;
    this.telemetry = deps.telemetry;
    this.breakers = deps.breakers;
    this.validate = deps.validate;
    this.validatorVersion = deps.validatorVersion ?? VALIDATOR_VERSION;
    this.catalogVersion = deps.catalogVersion ?? CATALOG_VERSION;
    this.operation = request.operation ?? 'generate_component';
    this.spec = specOf(request);
    this.themeVariables = request.theme ? new Set(request.theme.variables.keys()) : undefined;
    this.registry = registry;
    this.logger = deps.logger;
    this.deadline = this.clock.now() + this.config.deadlineMs;
    for (const warning of prompt.warnings) {
      this.notices.push(warning);
      this.logger.warn({ prompt: prompt.id }, warning);
    }
  }

  static async create(request: GenerationRequest, deps: GenerationDeps): Promise<RunContext> {
    const registry = deps.prompts ?? loadPromptRegistry(deps.promptsDir);
    const fingerprint = deps.gateFingerprint ?? (await gateFingerprint());
    return new RunContext(request, deps, fingerprint, composePrompt(request, deps, registry), registry);
  }

  get cacheStrategy(): GenerationConfig['cacheStrategy'] {
    return this.request.cacheStrategy ?? this.config.cacheStrategy;
  }

  /** Budget alerts and similar, each once per request. */
  notice(...messages: string[]): void {
    for (const message of messages) if (!this.notices.includes(message)) this.notices.push(message);
  }

  progress(event: Omit<GenerationProgress, 'maxAttempts'>): void {
    try {
      this.request.onProgress?.({ ...event, maxAttempts: this.config.maxAttempts });
    } catch (error) {
      this.logger.debug({ err: error }, 'progress callback threw');
    }
  }
}

function specOf(request: GenerationRequest): RunContext['spec'] {
  return { name: request.name, description: request.description.trim(), props: request.props ?? null };
}

function composePrompt(request: GenerationRequest, deps: GenerationDeps, registry: PromptRegistry): ComposedPrompt {
  const spec = specOf(request);
  const examples = deps.examples?.similar({ name: spec.name, description: spec.description, props: spec.props ?? undefined }, 3) ?? [];
  const variables = request.theme ? [...request.theme.variables].sort(([a], [b]) => a.localeCompare(b)) : undefined;
  return registry.compose(COMPONENT_PROMPT_ID, {
    name: spec.name,
    description: spec.description,
    props: spec.props ? `\`\`\`json\n${JSON.stringify(spec.props, null, 2)}\n\`\`\`` : undefined,
    themeVariables: variables ? variables.map(([name, value]) => `${name}: ${value}`).join('\n') : undefined,
    outputSchema: `\`\`\`json\n${JSON.stringify(generatedComponentJsonSchema())}\n\`\`\``,
    examples: examples.length ? renderExamples(examples) : undefined,
  });
}
