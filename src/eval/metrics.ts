import { VALIDATION_LAYERS, type ValidationLayer } from '../shapes/finding.js';
import type { EvalMetrics, Verdict } from './summary.js';
import type { TrialRecord } from './trial-record.js';
import { zeroTokens } from './trial-record.js';

/** Nearest-rank percentile of unsorted values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
const usd = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * The figures of a set of trials. `specsOf` groups them for pass^k: a spec counts only when
 * it has `trialsPerSpec` trials, all valid.
 */
export function computeMetrics(trials: readonly TrialRecord[], trialsPerSpec: number): EvalMetrics {
  const bySpec = new Map<string, TrialRecord[]>();
  for (const trial of trials) {
    const list = bySpec.get(trial.spec);
    if (list) list.push(trial);
    else bySpec.set(trial.spec, [trial]);
  }
  const valid = trials.filter((trial) => trial.valid).length;
  const firstPass = trials.filter((trial) => trial.valid && trial.attempts === 1).length;
  const allValid = [...bySpec.values()].filter((list) => list.length >= trialsPerSpec && list.every((trial) => trial.valid)).length;

  const byLayer: Partial<Record<ValidationLayer, number>> = {};
  const codes = new Map<string, { layer: ValidationLayer; code: string; count: number }>();
  for (const trial of trials) {
    const first = trial.attemptLog[0];
    if (!first || first.layer === null) continue;
    byLayer[first.layer] = (byLayer[first.layer] ?? 0) + 1;
    for (const code of first.codes) {
      const key = `${first.layer}\0${code}`;
      const entry = codes.get(key) ?? { layer: first.layer, code, count: 0 };
      entry.count++;
      codes.set(key, entry);
    }
  }
  let firstFailingLayer: ValidationLayer | null = null;
  for (const layer of VALIDATION_LAYERS) if ((byLayer[layer] ?? 0) > (firstFailingLayer ? byLayer[firstFailingLayer]! : 0)) firstFailingLayer = layer;

  const tokens = zeroTokens();
  let total = 0;
  let unpriced = 0;
  for (const trial of trials) {
    tokens.input += trial.tokens.input;
    tokens.output += trial.tokens.output;
    tokens.cacheWrite += trial.tokens.cacheWrite;
    tokens.cacheRead += trial.tokens.cacheRead;
    if (trial.cost === null) unpriced++;
    else total += trial.cost;
  }
  const priced = trials.length - unpriced;
  const latencies = trials.map((trial) => trial.latencyMs);
  return {
    trials: trials.length,
    valid,
    passAt1: trials.length ? round(firstPass / trials.length) : 0,
    passWithinBudget: trials.length ? round(valid / trials.length) : 0,
    passHatK: bySpec.size ? round(allValid / bySpec.size) : 0,
    specs: bySpec.size,
    meanAttempts: trials.length ? round(trials.reduce((sum, trial) => sum + trial.attempts, 0) / trials.length, 3) : 0,
    firstFailureByLayer: byLayer,
    firstFailingLayer,
    topCodes: [...codes.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)).slice(0, 5),
    tokens,
    cost: {
      total: usd(total),
      perTrial: priced ? usd(total / priced) : null,
      perValid: valid && unpriced === 0 ? usd(total / valid) : null,
      unpricedTrials: unpriced,
    },
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      mean: latencies.length ? Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length) : null,
    },
    cacheHits: trials.filter((trial) => trial.cacheHit).length,
  };
}

/** A spec's verdict over its k trials: every one valid, some, or none. */
export function verdictOf(trials: readonly TrialRecord[], trialsPerSpec: number): Verdict {
  if (trials.length < trialsPerSpec) return 'incomplete';
  const valid = trials.filter((trial) => trial.valid).length;
  return valid === trials.length ? 'pass' : valid === 0 ? 'fail' : 'flaky';
}
