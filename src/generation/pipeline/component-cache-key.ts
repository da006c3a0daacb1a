import { cacheKeyOf } from '../../cache/canonical-json.js';
import { GENERATED_COMPONENT_TOOL } from './model-answer.js';
import type { GenerationProvider } from '../providers/provider.js';
import type { RunContext } from './run-context.js';

/** A provider with the cache key of this request's spec on it. */
export interface KeyedIdentity {
  provider: GenerationProvider;
  key: string;
  keyMaterial: Record<string, unknown>;
}

/**
 * The cache key: everything that decides what a provider would answer and whether the gate
 * would pass it. The gate fingerprint is derived (see gate-fingerprint.ts), so a new rule,
 * linter or catalog gives new keys without anyone remembering to bump a version.
 */
export function keyFor(run: RunContext, provider: GenerationProvider): KeyedIdentity {
  const keyMaterial = {
    kind: 'dspec/tier2-component',
    spec: run.spec,
    prompt: { id: run.prompt.id, version: run.prompt.version, hash: run.prompt.hash },
    provider: provider.id,
    model: provider.model,
    parameters: { maxTokens: run.config.maxTokens, maxTokensCeiling: run.config.maxTokensCeiling, maxAttempts: run.config.maxAttempts, tool: GENERATED_COMPONENT_TOOL.name },
    gateFingerprint: run.gateFingerprint,
    themeHash: run.request.theme?.hash ?? null,
  };
  return { provider, keyMaterial, key: cacheKeyOf(keyMaterial) };
}
