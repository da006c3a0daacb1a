import type { CacheEntry, Provenance } from '../../cache/cache-entry.js';
import { canonicalJson, hashBundle, sha256Hex } from '../../cache/canonical-json.js';
import { ValidationFailedError, type ErrorIssue } from '../../errors.js';
import type { Bundle } from '../../shapes/bundle.js';
import type { Finding } from '../../shapes/finding.js';
import { VERSION } from '../../version.js';
import type { KeyedIdentity } from './component-cache-key.js';
import { keepFailedAnswers } from './failure-dump.js';
import type { GenerationResult } from './generation-request.js';
import type { RepairState } from './repair-loop.js';
import type { RunAccount } from './run-account.js';
import type { RunContext } from './run-context.js';

/** A bundle that passed: stamped with its provenance, cached (unless bypassed) and returned. */
export async function succeed(run: RunContext, identity: KeyedIdentity, value: Bundle, warnings: Finding[], account: RunAccount): Promise<GenerationResult> {
  const provenance: Provenance = {
    specHash: sha256Hex(canonicalJson(run.spec)),
    promptId: run.prompt.id,
    promptVersion: run.prompt.version,
    promptHash: run.prompt.hash,
    provider: identity.provider.id,
    model: identity.provider.model,
    generationHash: hashBundle(value),
    cacheKey: identity.key,
    timestamp: new Date(run.clock.now()).toISOString(),
    dspecVersion: VERSION,
    attempts: account.attempts,
    validatorVersion: run.validatorVersion,
    catalogVersion: run.catalogVersion,
    themeHash: run.request.theme?.hash ?? null,
    gateFingerprint: run.gateFingerprint,
  };
  const cost = account.cost;
  if (run.cacheStrategy !== 'never') {
    const entry: CacheEntry = { key: identity.key, component: run.spec.name, keyMaterial: identity.keyMaterial, value, provenance, usage: { ...account.usage }, cost, createdAt: provenance.timestamp };
    try {
      await run.deps.cache.set(entry);
    } catch (error) {
      // The bundle is valid and paid for: a cache that cannot store it must not cost the caller the result.
      run.logger.warn({ err: error, key: identity.key }, 'generation cache write failed');
    }
  }
  run.telemetry.success(account.attempts);
  run.progress({
    stage: 'done',
    attempt: account.attempts,
    provider: identity.provider.id,
    model: identity.provider.model,
    message: `${run.spec.name} passed validation on attempt ${account.attempts}`,
  });
  return {
    bundle: { ...value, provenance },
    provenance,
    usage: { ...account.usage },
    cost,
    costSaved: 0,
    cacheHit: false,
    cacheKey: identity.key,
    attempts: account.attempts,
    warnings,
    notices: run.notices,
  };
}

/** No attempt passed: the last provider's answers go to `failed/`, the caller gets the last findings, never the code. */
export async function validationFailed(run: RunContext, identity: KeyedIdentity, state: RepairState, account: RunAccount): Promise<ValidationFailedError> {
  const last = state.failures[state.failures.length - 1];
  const findings = last?.findings ?? [];
  const savedTo = await keepFailedAnswers(run, identity, state.failuresOf(identity), account);
  const answers = state.failures.length;
  run.telemetry.failure(last?.outcome === 'truncated' ? 'truncated' : 'validation');
  run.progress({ stage: 'failed', attempt: answers, provider: identity.provider.id, model: identity.provider.model, message: `${run.spec.name} failed validation after ${answers} attempts` });
  const issues: ErrorIssue[] = findings.map((f) => ({
    path: f.line ? `${f.file}:${f.line}:${f.column}` : f.file,
    code: f.code,
    message: f.message,
    ...(f.suggestion ? { suggestion: f.suggestion } : {}),
  }));
  const { usage, costUsd } = account.snapshot();
  return new ValidationFailedError(
    `The generated ${run.spec.name} failed validation after ${answers} attempt${answers === 1 ? '' : 's'} (${last?.outcome === 'truncated' ? 'the answer was cut off by the output-token limit' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`}); no code was returned.`,
    {
      issues,
      suggestion:
        last?.outcome === 'truncated'
          ? 'Raise generation.maxTokensCeiling (or DSPEC_MAX_TOKENS), or describe a smaller component.'
          : 'Refine the description (or props) and try again, or choose a stronger model with DSPEC_MODEL.',
      context: {
        component: run.spec.name,
        attempts: account.attempts,
        costUsd,
        usage,
        provider: identity.provider.id,
        model: identity.provider.model,
        findings,
        ...(savedTo ? { failedOutput: savedTo } : {}),
      },
    },
  );
}
