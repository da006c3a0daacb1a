import { normaliseModelId } from './price-table.js';

/**
 * What each model accepts, next to the price table so a new model is added to both at once.
 * Checked 2026-11-30 against the vendors' model pages (Claude "Max output" column; OpenAI
 * model cards) and SDK-NOTES "Vendor request rules a fake must enforce".
 */
export const MODEL_CAPABILITIES_VERSION = '2026-11-30';

export interface ModelCapabilities {
  /** Built-in row that matched, or `unknown-anthropic` / `unknown-openai-compatible`. */
  id: string;
  /** Whether a tool may carry `strict: true` (Anthropic: Opus/Sonnet 4.5+, Haiku 4.5). */
  strictTools: boolean;
  /** The largest `max_tokens` the vendor accepts; undefined = unknown, nothing is clamped. */
  maxOutputTokens: number | undefined;
  /** Whether `cache_control` breakpoints (Anthropic) or automatic caching (OpenAI) apply. */
  promptCaching: boolean;
  /**
   * Which output-limit parameter the chat-completions endpoint takes: reasoning models
   * (GPT-5 family, o-series) refuse `max_tokens`. Irrelevant for Anthropic.
   */
  maxTokensParam: 'max_tokens' | 'max_completion_tokens';
}

const claude = (id: string, maxOutputTokens: number, strictTools = true): ModelCapabilities => ({
  id,
  strictTools,
  maxOutputTokens,
  promptCaching: true,
  maxTokensParam: 'max_tokens',
});
// OpenAI strict function calling needs every property required; our schemas have optional ones, so it stays off.
const gpt = (id: string, maxOutputTokens: number): ModelCapabilities => ({
  id,
  strictTools: false,
  maxOutputTokens,
  promptCaching: true,
  maxTokensParam: 'max_completion_tokens',
});

export const BUILT_IN_CAPABILITIES: readonly ModelCapabilities[] = [
  claude('claude-opus-4-5', 64_000),
  claude('claude-opus-4-6', 128_000),
  claude('claude-opus-4-7', 128_000),
  claude('claude-opus-4-8', 128_000),
  claude('claude-sonnet-4', 64_000, false),
  claude('claude-sonnet-4-5', 64_000),
  claude('claude-sonnet-4-6', 128_000),
  claude('claude-haiku-4-5', 64_000),
  gpt('gpt-5.4', 128_000),
  gpt('gpt-5.4-mini', 128_000),
];

const byId = new Map(BUILT_IN_CAPABILITIES.map((row) => [row.id, row]));

/** The GPT-5 family and the o-series (o1, o3, o4-mini …) are reasoning models. */
const OPENAI_REASONING_FAMILY = /^(?:gpt-5(?:[.-]|$)|o\d+(?:-|$))/;

/**
 * Capabilities of `model` as `provider` serves it. Unknown Claude models are assumed current
 * (strict tools, caching) with no clamp; unknown OpenAI-compatible models get the parameter
 * their family takes (`max_tokens` for local servers), which the provider corrects once on a 400.
 */
export function capabilitiesOf(provider: 'anthropic' | 'openai-compatible', model: string): ModelCapabilities {
  const id = normaliseModelId(model);
  const row = byId.get(id);
  if (row) return row;
  if (provider === 'anthropic') return { id: 'unknown-anthropic', strictTools: true, maxOutputTokens: undefined, promptCaching: true, maxTokensParam: 'max_tokens' };
  return {
    id: 'unknown-openai-compatible',
    strictTools: false,
    maxOutputTokens: undefined,
    promptCaching: false,
    maxTokensParam: OPENAI_REASONING_FAMILY.test(id) ? 'max_completion_tokens' : 'max_tokens',
  };
}

/** `requested` clamped to what the model accepts (a vendor refuses anything above with a 400). */
export function clampMaxTokens(capabilities: ModelCapabilities, requested: number): number {
  return capabilities.maxOutputTokens === undefined ? requested : Math.min(requested, capabilities.maxOutputTokens);
}
