import { describe, expect, it } from 'vitest';
import type { CallEstimate } from '../../src/cost/cost-tracker.js';
import type { LedgerRecordInput } from '../../src/shapes/ledger-record.js';
import { EvalCostGuard } from '../../src/eval/cost-guard.js';
import { BudgetExceededError } from '../../src/errors.js';
import { RecordingCostTracker } from '../fakes/recording-cost-tracker.js';

// claude-test at $3 / $15 per million: 10,000 input + 20,000 output tokens = $0.33 worst case.
const estimate = (model = 'claude-test'): CallEstimate => ({ operation: 'eval', component: 'X', provider: 'anthropic', model, estimatedInputTokens: 10_000, maxOutputTokens: 20_000 });
const line = (outputTokens: number): LedgerRecordInput => ({
  operation: 'eval',
  component: 'X',
  provider: 'anthropic',
  model: 'claude-test',
  requestId: null,
  attempt: 1,
  retry: 0,
  outcome: 'success',
  inputTokens: 0,
  outputTokens,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  cacheHit: false,
  costSaved: 0,
  promptVersion: 'v',
});

describe('--max-cost through the budget reservations', () => {
  it('holds each call’s worst case until it is recorded, and refuses a call that would pass the cap', async () => {
    const inner = new RecordingCostTracker();
    const guard = new EvalCostGuard(inner, 1);
    const tracker = guard.trackerFor(() => {});
    const [a, b, c] = await Promise.all([tracker.reserve(estimate()), tracker.reserve(estimate()), tracker.reserve(estimate())]);
    expect([a, b, c].every((r) => r.amount === 0.33)).toBe(true);
    // 3 × 0.33 held = 0.99: a fourth would pass $1.
    await expect(tracker.reserve(estimate())).rejects.toBeInstanceOf(BudgetExceededError);
    expect(inner.released).toHaveLength(1); // the refused call's own reservation was given back
    // Recording settles the hold and counts what was really spent ($0.15 for 10,000 output tokens).
    await tracker.record(line(10_000), a);
    expect(guard.spent).toBeCloseTo(0.15, 9);
    // 0.15 spent + 0.66 held + 0.33 > 1: still refused.
    await expect(tracker.reserve(estimate())).rejects.toBeInstanceOf(BudgetExceededError);
    await tracker.record(line(10_000), b);
    // 0.30 spent + 0.33 held + 0.33 = 0.96: fits.
    await expect(tracker.reserve(estimate())).resolves.toMatchObject({ amount: 0.33 });
    expect(guard.canStartTrial(3)).toBe(false);
  });

  it('counts what earlier invocations of the run spent, and refuses unpriced models when a cap is set', async () => {
    const guard = new EvalCostGuard(new RecordingCostTracker(), 0.5, 0.3);
    await expect(guard.trackerFor(() => {}).reserve(estimate())).rejects.toThrow(/--max-cost \$0\.50 would be exceeded/);
    const capped = new EvalCostGuard(new RecordingCostTracker(), 10);
    await expect(capped.trackerFor(() => {}).reserve(estimate('unknown-model'))).rejects.toThrow(/not in the price table/);
    const uncapped = new EvalCostGuard(new RecordingCostTracker(), undefined);
    await expect(uncapped.trackerFor(() => {}).reserve(estimate('unknown-model'))).resolves.toMatchObject({ amount: 0 });
  });
});
