import { LRUCache } from 'lru-cache';
import type { AdmissionVerdict, CacheEntry, EntryAdmission } from '../../cache/cache-entry.js';
import type { Finding } from '../../shapes/finding.js';
import { gateFingerprint } from './gate-fingerprint.js';
import type { ValidateFunction } from './generation-request.js';

/**
 * Verdicts of this process, by (entry, bundle hash, gate fingerprint, theme check): a cached
 * bundle is run through the gate once per process, later reads of it cost a map lookup. The
 * entry's key covers its spec, theme hash and gate fingerprint; its bundle hash was checked
 * against its contents by the cache before admission is asked.
 */
const verdicts = new LRUCache<string, Promise<AdmissionVerdict>>({ max: 10_000 });

export interface GateAdmissionOptions {
  /** The gate the entry must pass (its runtime's). */
  validate: ValidateFunction;
  /** Default: this process's derived fingerprint. */
  fingerprint?: string;
  /** The theme the entry was made for; without it, undefined theme variables are not checked. */
  themeVariables?: ReadonlySet<string> | undefined;
}

/** The gate as a cache admission policy: an entry is served only if its bundle passes the gate today. */
export function gateAdmission(options: GateAdmissionOptions): EntryAdmission {
  const { validate } = options;
  return async (entry: CacheEntry) => {
    const fingerprint = options.fingerprint ?? (await gateFingerprint());
    const memoKey = `${entry.key}:${entry.provenance.generationHash}:${fingerprint}:${options.themeVariables ? 'theme' : 'no-theme'}`;
    let verdict = verdicts.get(memoKey);
    if (!verdict) {
      verdict = judge(entry, validate, options.themeVariables);
      verdicts.set(memoKey, verdict);
      // A gate that threw has no verdict: the next read asks again.
      verdict.catch(() => verdicts.delete(memoKey));
    }
    return verdict;
  };
}

async function judge(entry: CacheEntry, validate: ValidateFunction, themeVariables: ReadonlySet<string> | undefined): Promise<AdmissionVerdict> {
  const result = await validate(entry.value, themeVariables ? { themeVariables } : {});
  if (result.valid) return { ok: true };
  return {
    ok: false,
    reason: `the bundle fails the validation gate (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}: ${summarise(result.errors)})`,
    details: { findings: result.errors },
  };
}

function summarise(findings: readonly Finding[]): string {
  const codes = [...new Set(findings.map((f) => f.code))];
  return codes.slice(0, 5).join(', ') + (codes.length > 5 ? ', …' : '');
}

/** For tests: forget every verdict of this process. */
export function forgetGateVerdicts(): void {
  verdicts.clear();
}
