import * as z from 'zod';

/** The date the built-in prices were checked against the vendors' pricing pages. */
export const PRICE_TABLE_VERSION = '2026-11-01';

/** USD per million tokens. `cacheWrite`/`cacheRead` are the prices of prompt-cache writes and reads. */
export const ModelPriceSchema = z.object({
  input: z.number().min(0),
  output: z.number().min(0),
  /** Defaults to `input` (providers that do not charge extra to write the cache). */
  cacheWrite: z.number().min(0).optional(),
  /** Defaults to `input` (no discount). */
  cacheRead: z.number().min(0).optional(),
});
export type ModelPriceInput = z.infer<typeof ModelPriceSchema>;

/** Config `prices`: model id (as the provider reports it, or a built-in name such as `claude-sonnet-4-5`) → prices. */
export const PriceOverridesSchema = z.record(z.string().min(1), ModelPriceSchema);
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

export interface ModelPrice {
  /** The table row that matched: a built-in name or the config key. */
  id: string;
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  /** Whether the provider offers prompt caching for this model (for optimisation advice). */
  promptCaching: boolean;
  /** Rough tier used by advice: 'premium' models are worth avoiding on simple components. */
  tier: 'premium' | 'standard' | 'economy';
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens?: number;
  cacheReadTokens?: number;
}

export interface UsageCost {
  inputCost: number;
  outputCost: number;
  totalCost: number;
}

export interface PriceTable {
  /** `PRICE_TABLE_VERSION`, with `+config` when config overrides took part. */
  version: string;
  lookup(model: string): ModelPrice | undefined;
  /** Costs in USD, or null when the model is not in the table (unpriced, never a silent 0). */
  costOf(model: string, usage: TokenUsage): UsageCost | null;
}

// Anthropic: cache writes 1.25× input (5-minute TTL), cache reads 0.1× input.
const claude = (id: string, input: number, output: number, tier: ModelPrice['tier']): ModelPrice => ({
  id,
  input,
  output,
  cacheWrite: input * 1.25,
  cacheRead: input * 0.1,
  promptCaching: true,
  tier,
});
// OpenAI: no charge for writing the cache, cached input at the listed price.
const gpt = (id: string, input: number, cachedInput: number, output: number, tier: ModelPrice['tier']): ModelPrice => ({
  id,
  input,
  output,
  cacheWrite: input,
  cacheRead: cachedInput,
  promptCaching: true,
  tier,
});

/**
 * The built-in rows (SDK-NOTES, late 2026). Opus 4 and 4.1 are deliberately absent: their
 * prices differ from 4.5+ and were not re-checked, so they report as unpriced rather than wrong.
 */
export const BUILT_IN_PRICES: readonly ModelPrice[] = [
  claude('claude-opus-4-5', 5, 25, 'premium'),
  claude('claude-opus-4-6', 5, 25, 'premium'),
  claude('claude-opus-4-7', 5, 25, 'premium'),
  claude('claude-opus-4-8', 5, 25, 'premium'),
  claude('claude-sonnet-4', 3, 15, 'standard'),
  claude('claude-sonnet-4-5', 3, 15, 'standard'),
  claude('claude-sonnet-4-6', 3, 15, 'standard'),
  claude('claude-haiku-4-5', 1, 5, 'economy'),
  gpt('gpt-5.4', 2.5, 0.25, 15, 'standard'),
  gpt('gpt-5.4-mini', 0.75, 0.075, 4.5, 'economy'),
];

/**
 * Normalises a model id the way providers spell them, so that one row covers every alias:
 * lower case; a routing prefix (`anthropic/`, `openai/`, Bedrock's `anthropic.`) and a
 * Bedrock/Vertex version suffix (`-v1:0`, `@20250929`) dropped; a date suffix
 * (`-20250929`, `-2026-03-05`) and `-latest` dropped; `4.5` written `4-5` for Claude; the
 * older order `claude-4-5-sonnet` turned into `claude-sonnet-4-5`. GPT ids keep their dot.
 */
export function normaliseModelId(model: string): string {
  let id = model.trim().toLowerCase();
  id = id.replace(/^(?:[a-z0-9_-]+\/)+/, '');
  id = id.replace(/^(?:us\.|eu\.|apac\.|global\.)?anthropic\./, '');
  id = id.replace(/@.*$/, '').replace(/-v\d+(?::\d+)?$/, '');
  id = id
    .replace(/-latest$/, '')
    .replace(/-\d{8}$/, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '');
  if (id.startsWith('claude')) {
    id = id.replace(/(\d)\.(\d)/g, '$1-$2');
    const older = /^claude-(\d+(?:-\d+)?)-(opus|sonnet|haiku)$/.exec(id);
    if (older) id = `claude-${older[2]}-${older[1]}`;
    id = id.replace(/^(claude-(?:opus|sonnet|haiku)-\d+)-0$/, '$1');
  }
  return id;
}

/** Builds the table: config overrides (matched exactly, then normalised) win over the built-in rows. */
export function createPriceTable(overrides: PriceOverrides = {}): PriceTable {
  const rows = new Map<string, ModelPrice>();
  for (const row of BUILT_IN_PRICES) rows.set(row.id, row);
  const exact = new Map<string, ModelPrice>();
  for (const [model, price] of Object.entries(PriceOverridesSchema.parse(overrides))) {
    const builtIn = rows.get(normaliseModelId(model));
    const row: ModelPrice = {
      id: model,
      input: price.input,
      output: price.output,
      cacheWrite: price.cacheWrite ?? price.input,
      cacheRead: price.cacheRead ?? price.input,
      promptCaching: builtIn?.promptCaching ?? (price.cacheRead !== undefined || price.cacheWrite !== undefined),
      tier: builtIn?.tier ?? tierOf(price.input),
    };
    exact.set(model, row);
    rows.set(normaliseModelId(model), row);
  }
  const version = exact.size ? `${PRICE_TABLE_VERSION}+config` : PRICE_TABLE_VERSION;
  const lookup = (model: string): ModelPrice | undefined => exact.get(model) ?? rows.get(normaliseModelId(model));
  return {
    version,
    lookup,
    costOf(model, usage) {
      const price = lookup(model);
      if (!price) return null;
      return costWith(price, usage);
    },
  };
}

export function costWith(price: ModelPrice, usage: TokenUsage): UsageCost {
  const inputCost = (usage.inputTokens * price.input + (usage.cacheWriteTokens ?? 0) * price.cacheWrite + (usage.cacheReadTokens ?? 0) * price.cacheRead) / 1_000_000;
  const outputCost = (usage.outputTokens * price.output) / 1_000_000;
  return { inputCost, outputCost, totalCost: inputCost + outputCost };
}

function tierOf(inputPerMillion: number): ModelPrice['tier'] {
  return inputPerMillion >= 5 ? 'premium' : inputPerMillion >= 2 ? 'standard' : 'economy';
}
