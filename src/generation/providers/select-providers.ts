import type { GenerationConfig } from '../../infra/config.js';
import { AnthropicProvider } from './anthropic-provider.js';
import { McpSamplingProvider, type SampleFunction } from './mcp-sampling-provider.js';
import { OpenAiCompatibleProvider } from './openai-compatible-provider.js';
import { ProviderCallError, type GenerationProvider, type ProviderAnswer, type ProviderHealth } from './provider.js';

/** How to make Tier 2 work, for every "no provider" answer. */
export const CONFIGURE_PROVIDER_HINT =
  'Set ANTHROPIC_API_KEY (model via DSPEC_MODEL), or OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for an OpenAI-compatible server such as Ollama (http://127.0.0.1:11434/v1), ' +
  'or connect with an MCP client that supports sampling; choose and order them with DSPEC_PROVIDER=anthropic,openai-compatible,mcp-sampling.';

/**
 * A provider named in the configuration that cannot be used right now (no key, no sampling
 * client). It keeps its identity so cached results it produced earlier are still found.
 */
export class UnavailableProvider implements GenerationProvider {
  constructor(
    readonly id: string,
    readonly model: string,
    private readonly reason: string,
  ) {}

  health(): ProviderHealth {
    return { provider: this.id, model: this.model, configured: false, detail: this.reason };
  }

  generate(): Promise<ProviderAnswer> {
    return Promise.reject(new ProviderCallError(this.reason, { category: 'unavailable', retryable: false }));
  }
}

export interface ProviderRegistry {
  /** The providers for one request, in fallback order; `sample` when the client declared sampling. */
  forRequest(options?: { sample?: SampleFunction | undefined }): GenerationProvider[];
  /** Health of each configured provider (no network), for a status tool. */
  describe(): ProviderHealth[];
}

type ProviderName = GenerationConfig['providers'][number];

/** The model asked of OpenAI's own API when none is configured. */
export const DEFAULT_OPENAI_MODEL = 'gpt-5.4-mini';
/** The model asked of a local OpenAI-compatible server when none is configured. */
export const DEFAULT_LOCAL_MODEL = 'qwen2.5-coder:14b';

/**
 * Builds providers once from config and environment (keys are read from `env` here and kept
 * inside the provider objects only: never logged, never in config). SDK clients are created
 * lazily on the first call.
 */
export function createProviderRegistry(config: GenerationConfig, env: NodeJS.ProcessEnv): ProviderRegistry {
  const explicit = config.providers.length > 0;
  const modelFor = (index: number, fallback: string) => (index === 0 && config.model ? config.model : fallback);
  /** Built once per position in the list, so SDK clients (and their connection pools) are reused. */
  const staticProviders = new Map<string, GenerationProvider>();
  /** The OpenAI-compatible server named by config or `OPENAI_BASE_URL`; undefined means OpenAI's own API. */
  const localBaseUrl = config.openaiCompatible.baseUrl ?? (env.OPENAI_BASE_URL || undefined);

  const order = (sample: SampleFunction | undefined): ProviderName[] => {
    if (explicit) return config.providers;
    if (env.ANTHROPIC_API_KEY) return ['anthropic'];
    if (localBaseUrl || env.OPENAI_API_KEY) return ['openai-compatible'];
    if (sample) return ['mcp-sampling'];
    return ['none'];
  };

  const build = (name: ProviderName, index: number, sample: SampleFunction | undefined): GenerationProvider => {
    switch (name) {
      case 'anthropic': {
        const model = modelFor(index, config.anthropic.model);
        const key = env.ANTHROPIC_API_KEY;
        if (!key) return new UnavailableProvider('anthropic', model, 'ANTHROPIC_API_KEY is not set.');
        return new AnthropicProvider({ apiKey: key, baseURL: config.anthropic.baseUrl, model, timeoutMs: config.timeoutMs, idleTimeoutMs: config.idleTimeoutMs });
      }
      case 'openai-compatible': {
        // No base URL means OpenAI's own API: a key alone never goes to a local port.
        const baseURL = localBaseUrl;
        const model = modelFor(index, config.openaiCompatible.model ?? (baseURL ? DEFAULT_LOCAL_MODEL : DEFAULT_OPENAI_MODEL));
        if (!baseURL && !env.OPENAI_API_KEY) return new UnavailableProvider('openai-compatible', model, 'Neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.');
        return new OpenAiCompatibleProvider({ baseURL, apiKey: env.OPENAI_API_KEY, model, timeoutMs: config.timeoutMs, idleTimeoutMs: config.idleTimeoutMs });
      }
      case 'mcp-sampling': {
        const hint = index === 0 && config.model ? config.model : config.samplingModelHint;
        if (!sample) return new UnavailableProvider('mcp-sampling', hint ?? 'client-selected', 'The connected MCP client does not offer sampling.');
        return new McpSamplingProvider({ sample, modelHint: hint });
      }
      case 'none':
        return new UnavailableProvider('none', 'none', 'Tier 2 generation is turned off (DSPEC_PROVIDER=none).');
    }
  };

  /**
   * With no provider, requests are still looked up in the cache under the identities the
   * configuration would have used, so components generated earlier keep being served.
   */
  const cacheOnlyIdentities = (reason: string): GenerationProvider[] => [
    new UnavailableProvider('anthropic', config.model ?? config.anthropic.model, reason),
    new UnavailableProvider('openai-compatible', config.openaiCompatible.model ?? (localBaseUrl ? DEFAULT_LOCAL_MODEL : DEFAULT_OPENAI_MODEL), reason),
    new UnavailableProvider('mcp-sampling', config.samplingModelHint ?? 'client-selected', reason),
  ];

  return {
    forRequest(options = {}) {
      return order(options.sample).flatMap((name, index): GenerationProvider[] => {
        if (name === 'none') {
          return cacheOnlyIdentities(explicit ? 'Tier 2 generation is turned off (DSPEC_PROVIDER=none).' : 'No LLM provider is configured.');
        }
        if (name === 'mcp-sampling') return [build(name, index, options.sample)];
        const key = `${name}#${index}`;
        let provider = staticProviders.get(key);
        if (!provider) {
          provider = build(name, index, undefined);
          staticProviders.set(key, provider);
        }
        return [provider];
      });
    },
    describe() {
      return this.forRequest().map((provider) => provider.health());
    },
  };
}
