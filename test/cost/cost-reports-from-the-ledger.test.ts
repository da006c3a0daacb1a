import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCostTracker } from '../../src/cost/create-cost-tracker.js';
import type { LedgerRecordInput } from '../../src/shapes/ledger-record.js';
import { sampleCall } from './ledger-record-fixture.js';
import { CostReports } from '../../src/cost/cost-report.js';
import { tempHome } from '../cache/entry-fixture.js';

const now = new Date('2026-11-20T12:00:00.000Z');

function call(day: string, overrides: Partial<LedgerRecordInput> = {}): LedgerRecordInput {
  return sampleCall({ timestamp: `${day}T10:00:00.000Z`, ...overrides });
}

async function seeded() {
  const home = tempHome('dspec-reports-');
  const tracker = createCostTracker({ home, clock: () => now, fsync: false });
  // $0.045 per sonnet call (10k × 3 + 1k × 15 per MTok); opus $0.075.
  for (let i = 0; i < 12; i++) await tracker.record(call('2026-11-20', { model: 'claude-opus-4-6', component: 'Badge' }));
  await tracker.record(call('2026-11-20', { component: 'Card', attempt: 2 }));
  await tracker.record(call('2026-11-20', { component: 'Card', retry: 1, outcome: 'error', errorCategory: 'rate_limit', outputTokens: 0 }));
  await tracker.record(call('2026-11-19', { component: 'Card' }));
  await tracker.record(call('2026-11-17', { component: 'Tabs', model: 'mystery-model', provider: 'ollama' }));
  await tracker.record(call('2026-11-20', { component: 'Card', outcome: 'cache_hit', cacheHit: true, costSaved: 0.045, requestId: null }));
  await tracker.record(call('2026-10-15', { component: 'Old' }));
  return { home, tracker, reports: new CostReports(tracker, () => now) };
}

describe('cost reports', () => {
  it('totals a period by component, model, provider and operation, with savings, repairs, retries and unpriced calls flagged', async () => {
    const { reports } = await seeded();
    const today = await reports.summary({ period: 'today' });
    expect(today.totals.cost).toBeCloseTo(12 * 0.075 + 0.045 + 0.03);
    expect(today.totals.saved).toBeCloseTo(0.045);
    expect(today.totals).toMatchObject({ llmCalls: 14, cacheHits: 1, requests: 12, repairs: 1, retries: 1, failures: 1, unpricedCalls: 0 });
    expect(today.totals.cacheHitRate).toBeCloseTo(1 / 13);
    expect(today.byComponent[0]).toMatchObject({ name: 'Badge', llmCalls: 12 });

    const month = await reports.summary({ period: 'month' });
    expect(month.unpricedModels).toEqual(['mystery-model']);
    expect(month.totals.unpricedCalls).toBe(1);
    expect(month.byProvider.map((p) => p.name).sort()).toEqual(['anthropic', 'ollama']);
    expect(month.byComponent.map((c) => c.name)).not.toContain('Old');

    const all = await reports.summary({ period: 'all' });
    expect(all.byComponent.map((c) => c.name)).toContain('Old');
    const ranged = await reports.summary({ since: '2026-11-17', until: '2026-11-19' });
    expect(ranged.totals.llmCalls).toBe(2);
    const exact = await reports.summary({ since: '2026-11-19T09:00:00Z', until: '2026-11-19T11:00:00Z' });
    expect(exact.totals.llmCalls).toBe(1);
    await expect(reports.summary({ since: 'yesterday' })).rejects.toThrow(/neither YYYY-MM-DD/);
  });

  it('keeps a summary index beside the ledger and survives a torn line in it', async () => {
    const { home, tracker, reports } = await seeded();
    await reports.summary();
    appendFileSync(path.join(home, 'costs.jsonl'), '{"id":"torn","timest');
    const withTail = await reports.summary({ period: 'all' });
    expect(withTail.ledger.corruptLines).toBe(1);
    await tracker.record(call('2026-11-20'));
    const after = await reports.summary({ period: 'all' });
    expect(after.ledger.corruptLines).toBe(1);
    expect(after.totals.llmCalls).toBe(withTail.totals.llmCalls + 1);
    // A fresh reader (another process) gets the same answer, from the persisted index or the ledger.
    const fresh = await new CostReports(createCostTracker({ home, clock: () => now }), () => now).summary({ period: 'all' });
    expect(fresh.totals).toEqual(after.totals);
    expect(existsSync(path.join(home, 'costs.summary.json'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(home, 'costs.summary.json'), 'utf8')).version).toBe(2);
  });

  it('forecasts from the last 30 days with a confidence that follows the documented rule', async () => {
    const { reports } = await seeded();
    const forecast = await reports.forecast();
    expect(forecast.window).toMatchObject({ fromDay: '2026-10-22', toDay: '2026-11-20', daysObserved: 4 }); // first record in the window: 2026-11-17
    expect(forecast.confidence).toBe('low'); // 4 days, 15 priced calls
    expect(forecast.monthToDate).toBeCloseTo(12 * 0.075 + 0.045 + 0.03 + 0.045);
    expect(forecast.projectedMonth).toBeCloseTo(forecast.monthToDate + forecast.dailyAverage * 10);
    expect(forecast.unpricedModels).toEqual(['mystery-model']);
    expect(forecast.confidenceRule).toMatch(/high: at least 14 days/);
  });

  it('gives advice with the numbers behind it', async () => {
    const { reports } = await seeded();
    const { advice } = await reports.optimize({ period: 'month' });
    const codes = advice.map((item) => item.code);
    expect(codes).toContain('premium-model-on-simple-component');
    expect(codes).toContain('prompt-caching-unused');
    expect(codes).toContain('unpriced-models');
    const premium = advice.find((item) => item.code === 'premium-model-on-simple-component')!;
    expect(premium.numbers).toMatchObject({ component: 'Badge', model: 'claude-opus-4-6', llmCalls: 12, averageOutputTokens: 1000 });
    expect(premium.numbers.alternativeCostUsd).toBeLessThan(premium.numbers.costUsd as number);
    const caching = advice.find((item) => item.code === 'prompt-caching-unused')!;
    expect(caching.numbers).toMatchObject({ model: 'claude-opus-4-6', llmCalls: 12, inputTokens: 120_000 });
  });
});
