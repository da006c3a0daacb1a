import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../src/errors.js';
import { readBudgets, updateBudgets } from '../../src/cost/budgets.js';
import { createCostTracker } from '../../src/cost/create-cost-tracker.js';
import type { LedgerRecord, LedgerRecordInput } from '../../src/shapes/ledger-record.js';
import { tempHome } from '../cache/entry-fixture.js';
import { sampleCall } from './sample-call.mjs';

const now = new Date('2026-11-20T12:00:00.000Z');
const clock = () => now;

/** A successful call of 10,000 input and 2,000 output tokens ($0.06 on the default table). */
const attempt = (overrides: Partial<LedgerRecordInput> = {}): LedgerRecordInput => sampleCall({ requestId: 'req', outputTokens: 2_000, ...overrides });
const estimate = { operation: 'generate_component', component: 'Button', provider: 'anthropic', model: 'claude-sonnet-4-6', estimatedInputTokens: 10_000, maxOutputTokens: 4_000 };
// Worst case: 10,000 × $3.75 (cache write) + 4,000 × $15 per MTok = $0.0975.

describe('budgets', () => {
  it('prices each attempt from the table and records cache hits at zero cost with what they saved', async () => {
    const tracker = createCostTracker({ home: tempHome('dspec-cost-'), clock, fsync: false });
    const { record, warnings } = await tracker.record(attempt());
    expect(record.totalCost).toBeCloseTo(0.06); // 10k × 3 + 2k × 15 per MTok
    expect(record.priceTableVersion).toBe('2026-11-01');
    expect(record.timestamp).toBe(now.toISOString());
    expect(warnings).toEqual([]);
    const saved = tracker.estimateCost('claude-sonnet-4-6', { inputTokens: 10_000, outputTokens: 2_000 });
    const hit = await tracker.record(attempt({ outcome: 'cache_hit', cacheHit: true, costSaved: saved!, requestId: null }));
    expect(hit.record).toMatchObject({ totalCost: 0, inputCost: 0, costSaved: saved });
  });

  it('records an unpriced model with null costs and a warning, never $0', async () => {
    const tracker = createCostTracker({ home: tempHome('dspec-cost-'), clock, fsync: false });
    const { record, warnings } = await tracker.record(attempt({ model: 'llama-9-local', provider: 'ollama' }));
    expect(record).toMatchObject({ inputCost: null, outputCost: null, totalCost: null });
    expect(warnings.join()).toMatch(/llama-9-local is unpriced/);
    expect(tracker.estimateCost('llama-9-local', { inputTokens: 1, outputTokens: 1 })).toBeNull();
    const reservation = await tracker.reserve({ ...estimate, model: 'llama-9-local' });
    expect(reservation.amount).toBe(0);
    expect(reservation.warnings?.join()).toMatch(/not in the price table/);
  });

  it('refuses a call whose worst case would pass the daily limit, naming the limit, the spend and the worst case', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { daily: 0.2 }, now);
    const tracker = createCostTracker({ home, clock, fsync: false });
    const first = await tracker.reserve(estimate);
    expect(first.amount).toBeCloseTo(0.0975);
    await tracker.record(attempt(), first); // $0.06 spent, reservation settled
    expect(readdirSync(path.join(home, 'reservations'))).toEqual([]);
    const second = await tracker.reserve(estimate); // 0.06 + 0.0975 ≤ 0.2
    const refused = await tracker.reserve(estimate).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as Error).message).toMatch(/daily budget of \$0\.20 would be exceeded: \$0\.06 spent, \$0\.10 held by calls in flight, and this call's worst case is \$0\.10/);
    await tracker.release(second);
    await expect(tracker.reserve(estimate)).resolves.toMatchObject({ amount: expect.any(Number) });
  });

  it('warns once spend plus holds cross the alert threshold, from reserve and from record', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { monthly: 0.15, alertAtPercent: 50 }, now);
    const tracker = createCostTracker({ home, clock, fsync: false });
    const reservation = await tracker.reserve(estimate);
    expect(reservation.warnings?.join()).toMatch(/monthly budget: \$0\.10 of \$0\.15 used \(65%\)/);
    expect((await tracker.record(attempt(), reservation)).warnings).toEqual([]); // $0.06 = 40%
    const { warnings } = await tracker.record(attempt({ outputTokens: 0, inputTokens: 5_000 })); // + $0.015
    expect(warnings).toEqual(['monthly budget: $0.08 of $0.15 used (50%)']);
  });

  it('applies a component limit only to that component', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { components: { Table: 0.05 } }, now);
    const tracker = createCostTracker({ home, clock, fsync: false });
    await expect(tracker.reserve({ ...estimate, component: 'Table' })).rejects.toThrow(/component Table \(monthly\) budget/);
    await expect(tracker.reserve(estimate)).resolves.toMatchObject({ id: expect.any(String), amount: expect.closeTo(0.0975, 10) });
    await updateBudgets(home, { components: { Table: null } }, now);
    expect((await readBudgets(home)).components).toEqual({});
  });

  it('charges the holds of dead processes, expired holds and holds a dead sweeper was charging, once each, as abandoned ledger lines', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { daily: 0.5 }, now);
    mkdirSync(path.join(home, 'reservations'), { recursive: true });
    // Written by an earlier dspec: no operation, provider, attempt or price table on the hold.
    const dead = { id: 'dead-1', pid: 2 ** 22 + 12345, amount: 0.14, component: 'Button', model: 'm', createdAt: '2026-11-20T11:59:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z' };
    const expired = { ...dead, id: 'old-1', pid: process.pid, createdAt: '2026-11-20T10:00:00.000Z', expiresAt: '2026-11-20T11:00:00.000Z' };
    const crashedSweep = { ...expired, id: 'swept-1', amount: 0.01, operation: 'export_screen', provider: 'openai', attempt: 2, retry: 1, priced: true, priceTableVersion: 'v9' };
    writeFileSync(path.join(home, 'reservations', 'dead-1.json'), JSON.stringify(dead));
    writeFileSync(path.join(home, 'reservations', 'old-1.json'), JSON.stringify(expired));
    writeFileSync(path.join(home, 'reservations', 'swept-1.json.charging'), JSON.stringify(crashedSweep));
    const tracker = createCostTracker({ home, clock, fsync: false });
    await expect(tracker.reserve(estimate)).resolves.toMatchObject({ id: expect.any(String), amount: expect.closeTo(0.0975, 10) });
    expect(readdirSync(path.join(home, 'reservations'))).toHaveLength(1); // the new hold only
    const lines: LedgerRecord[] = [];
    await tracker.ledger.scan((record) => lines.push(record));
    const charged = (hold: typeof dead, extra: Partial<LedgerRecord> = {}) => ({
      id: hold.id,
      timestamp: hold.createdAt,
      operation: 'unknown',
      component: 'Button',
      provider: 'unknown',
      model: 'm',
      requestId: null,
      attempt: 1,
      retry: 0,
      outcome: 'error',
      errorCategory: 'abandoned',
      inputTokens: 0,
      outputTokens: 0,
      cacheWriteTokens: 0,
      cacheReadTokens: 0,
      inputCost: null,
      outputCost: null,
      totalCost: hold.amount,
      cacheHit: false,
      costSaved: 0,
      promptVersion: 'unknown',
      priceTableVersion: 'unknown',
      ...extra,
    });
    expect(lines.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      charged(dead),
      charged(expired),
      charged(crashedSweep, { operation: 'export_screen', provider: 'openai', attempt: 2, retry: 1, priceTableVersion: 'v9' }),
    ]);
    // Counted as spent: 0.14 + 0.14 + 0.01, and the new hold in flight.
    const { limits } = await tracker.budgetStatus();
    expect(limits[0]).toMatchObject({ spent: expect.closeTo(0.29, 10), reserved: expect.closeTo(0.0975, 10) });
    expect(await tracker.sweepExpiredReservations()).toBe(0);
    lines.length = 0;
    await tracker.ledger.scan((record) => lines.push(record));
    expect(lines).toHaveLength(3);
  });

  it('takes over a hold whose dead sweeper had already written its abandoned line without writing it twice', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { daily: 0.5 }, now);
    mkdirSync(path.join(home, 'reservations'), { recursive: true });
    const hold = { id: 'half-1', pid: process.pid, amount: 0.02, component: 'Button', model: 'm', createdAt: '2026-11-20T10:00:00.000Z', expiresAt: '2026-11-20T11:00:00.000Z' };
    const first = createCostTracker({ home, clock, fsync: false });
    writeFileSync(path.join(home, 'reservations', 'half-1.json'), JSON.stringify(hold));
    expect(await first.sweepExpiredReservations()).toBe(1);
    // The sweeper died after its append and before removing the hold: the hold is back as `.charging`.
    writeFileSync(path.join(home, 'reservations', 'half-1.json.charging'), JSON.stringify(hold));
    const next = createCostTracker({ home, clock, fsync: false });
    expect(await next.sweepExpiredReservations()).toBe(0);
    expect(readdirSync(path.join(home, 'reservations'))).toEqual([]);
    const ids: string[] = [];
    await next.ledger.scan((record) => ids.push(record.id));
    expect(ids).toEqual(['half-1']);
    expect((await next.budgetStatus()).limits[0]).toMatchObject({ spent: expect.closeTo(0.02, 10) });
  });

  it('counts every attempt once when one process records and reserves many calls at the same time', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { daily: 100 }, now);
    const tracker = createCostTracker({ home, clock, fsync: false });
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const reservation = await tracker.reserve(estimate);
        await tracker.record(attempt(), reservation);
      }),
    );
    const { limits } = await tracker.budgetStatus();
    expect(limits[0]!.spent).toBeCloseTo(20 * 0.06);
    expect(limits[0]!.reserved).toBe(0);
  });

  it('recovers a lock left by a dead process', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { daily: 10 }, now);
    mkdirSync(path.join(home, 'locks'), { recursive: true });
    writeFileSync(path.join(home, 'locks', 'budget.lock'), JSON.stringify({ pid: 2 ** 22 + 4242, token: 't', acquiredAt: Date.now() }));
    const tracker = createCostTracker({ home, clock, fsync: false, lockTimeoutMs: 2000 });
    await expect(tracker.reserve(estimate)).resolves.toMatchObject({ id: expect.any(String), amount: expect.closeTo(0.0975, 10) });
  });
});

describe('budgets fail closed for unpriced models', () => {
  const unpriced = { ...estimate, provider: 'openai-compatible', model: 'llama-9-local' };

  it('refuses a call to a model without a price while any budget is set, naming the model and both ways out', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { monthly: 50 }, now);
    const tracker = createCostTracker({ home, clock, fsync: false });
    const refused = await tracker.reserve(unpriced).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as BudgetExceededError).message).toMatch(/model llama-9-local has no price .* budget is set/);
    expect((refused as BudgetExceededError).suggestion).toMatch(/"cost": \{ "prices": \{ "llama-9-local"/);
    expect((refused as BudgetExceededError).suggestion).toMatch(/"allowUnpriced": true/);
    // Refused before any hold was written: nothing was reserved, nothing was called.
    expect(existsSync(path.join(home, 'reservations')) ? readdirSync(path.join(home, 'reservations')) : []).toEqual([]);
  });

  it('a component budget for another component still closes the door (any budget set)', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { components: { Other: 1 } }, now);
    await expect(createCostTracker({ home, clock, fsync: false }).reserve(unpriced)).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it('lets it run when cost.allowUnpriced is true, recorded as unpriced', async () => {
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { daily: 1 }, now);
    const tracker = createCostTracker({ home, clock, fsync: false, allowUnpriced: true });
    const reservation = await tracker.reserve(unpriced);
    expect(reservation.warnings?.join()).toMatch(/not in the price table/);
    const { record } = await tracker.record(attempt({ model: 'llama-9-local', provider: 'openai-compatible' }), reservation);
    expect(record.totalCost).toBeNull();
  });

  it('with no budget set, an unpriced call goes on and is reported as unpriced', async () => {
    const tracker = createCostTracker({ home: tempHome('dspec-cost-'), clock, fsync: false });
    const reservation = await tracker.reserve(unpriced);
    expect(reservation).toMatchObject({ amount: 0 });
    expect(reservation.warnings?.join()).toMatch(/recorded as unpriced/);
  });

  it('reads cost.allowUnpriced from the configuration', async () => {
    const { openCostState } = await import('../../src/cost/open-cost-state.js');
    const { configSchema } = await import('../../src/infra/config.js');
    const home = tempHome('dspec-cost-');
    await updateBudgets(home, { daily: 1 }, now);
    const allowed = openCostState({ home, clock, config: configSchema().parse({ cost: { allowUnpriced: true } }) }).tracker;
    await expect(allowed.reserve(unpriced)).resolves.toMatchObject({ amount: 0 });
    const closed = openCostState({ home, clock, config: configSchema().parse({}) }).tracker;
    await expect(closed.reserve(unpriced)).rejects.toBeInstanceOf(BudgetExceededError);
    const priced = openCostState({ home, clock, config: configSchema().parse({ cost: { prices: { 'llama-9-local': { input: 0, output: 0 } } } }) }).tracker;
    await expect(priced.reserve(unpriced)).resolves.toMatchObject({ amount: 0 });
  });
});
