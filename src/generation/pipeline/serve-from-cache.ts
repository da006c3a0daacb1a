import type { CacheEntry } from '../../cache/cache-entry.js';
import { gateAdmission } from './cached-entry-gate.js';
import type { KeyedIdentity } from './component-cache-key.js';
import type { GenerationResult } from './generation-request.js';
import { ZERO_USAGE } from '../providers/provider.js';
import type { RunContext } from './run-context.js';

/** The first cache hit among the request's provider keys (in fallback order), if any. */
export async function serveFirstHit(run: RunContext, identities: readonly KeyedIdentity[]): Promise<GenerationResult | undefined> {
  for (const identity of identities) {
    const hit = await serveFromCache(run, identity);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A cache hit, if there is one that passes the gate: an entry read from disk is validated
 * before this process first serves it (the verdict is memoised), one that fails is
 * quarantined by the cache and counts as a miss. A hit is recorded in the ledger at no cost.
 */
export async function serveFromCache(run: RunContext, identity: KeyedIdentity): Promise<GenerationResult | undefined> {
  let entry: CacheEntry | undefined;
  try {
    entry = await run.deps.cache.get(identity.key, { admit: gateAdmission({ validate: run.validate, fingerprint: run.gateFingerprint, themeVariables: run.themeVariables }) });
  } catch (error) {
    if (run.cacheStrategy === 'always') throw error;
    run.logger.warn({ err: error, key: identity.key }, 'generation cache read failed; treating as a miss');
    return undefined;
  }
  if (!entry) return undefined;
  const costSaved = run.deps.costs.estimateCost(entry.provenance.model, entry.usage) ?? entry.cost ?? 0;
  await run.deps.costs.record({
    operation: run.operation,
    component: run.spec.name,
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
  run.telemetry.cacheHit();
  run.progress({ stage: 'cache-hit', attempt: 0, provider: entry.provenance.provider, model: entry.provenance.model, message: `cache hit for ${run.spec.name}` });
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
    notices: run.notices,
  };
}
