import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DspecError } from '../../src/errors.js';
import type { BudgetChanges } from '../../src/cost/budgets.js';
import type { CostReportSource, CostReports, CostSummary } from '../../src/cost/cost-report.js';
import { formatSummary } from '../../src/cost/format-cost-report.js';
import type { BudgetReservation, CallEstimate, CostTracker } from '../../src/cost/cost-tracker.js';
import { openCostState } from '../../src/cost/open-cost-state.js';
import { openPgCostStore } from '../../src/cost/pg/open-pg-cost-store.js';
import type { LedgerRecord, LedgerRecordInput } from '../../src/shapes/ledger-record.js';
import { tempHome } from '../cache/entry-fixture.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { sampleCall } from './ledger-record-fixture.js';

/**
 * The contract both cost backends keep: the same calls, on the same clock, give the same
 * reservations, warnings, refusals (message and context), reports and breaker streaks, whether
 * the ledger is the file under .dspec/ or PostgreSQL.
 */
interface OpenedStore {
  tracker: CostTracker & CostReportSource;
  reports: CostReports;
  updateBudgets(changes: BudgetChanges): Promise<unknown>;
  close(): Promise<void>;
}
type Backend = (clock: () => Date) => Promise<OpenedStore>;

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await server?.stop();
});

const config = { cost: { prices: {}, allowUnpriced: false } };
const backends: Record<'file' | 'postgres', Backend> = {
  file: async (clock) => {
    const store = openCostState({ home: tempHome('dspec-contract-'), config, clock });
    return { ...store, close: async () => undefined };
  },
  postgres: async (clock) => openPgCostStore({ url: await server.createDatabase(), config, clock, migrate: true }),
};

/** One store over shared state, opened as many times as there are replicas, that can sweep and show its ledger. */
interface SweepingStore extends OpenedStore {
  sweep(): Promise<number>;
  ledgerLines(): Promise<LedgerRecord[]>;
}
type SharedBackend = (clock: () => Date, storeConfig?: object) => Promise<() => Promise<SweepingStore>>;

const sharedBackends: Record<'file' | 'postgres', SharedBackend> = {
  file: async (clock, storeConfig = config) => {
    const home = tempHome('dspec-contract-');
    return async () => {
      const store = openCostState({ home, config: storeConfig, clock });
      const ledgerLines = async () => {
        const lines: LedgerRecord[] = [];
        await store.tracker.ledger.scan((record) => lines.push(record));
        return lines;
      };
      return { ...store, sweep: () => store.tracker.sweepExpiredReservations(), ledgerLines, close: async () => undefined };
    };
  },
  postgres: async (clock, storeConfig = config) => {
    const url = await server.createDatabase();
    return async () => {
      const store = await openPgCostStore({ url, config: storeConfig, clock, migrate: true });
      const ledgerLines = async () => (await store.database.pool.query<{ record: LedgerRecord }>('SELECT record FROM dspec_ledger ORDER BY seq')).rows.map((row) => row.record);
      return { ...store, sweep: () => store.sweepExpiredReservations(), ledgerLines };
    };
  },
};

function estimateFor(component: string, overrides: Partial<CallEstimate> = {}): CallEstimate {
  // Worst case 10,000 × $3.75 + 4,000 × $15 per MTok = $0.0975.
  return { operation: 'generate_component', component, provider: 'anthropic', model: 'claude-sonnet-4-6', estimatedInputTokens: 10_000, maxOutputTokens: 4_000, ...overrides };
}

/** Numbers rounded to 1e-9 (SQL sums in another order than the file's fold) and Maps as sorted entries. */
function comparable(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e9) / 1e9;
  if (value instanceof Map) return [...value].map(([key, inner]) => [comparable(key), comparable(inner)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, comparable(inner)]));
  return value;
}

type Step = { at: string } & ({ reserve: CallEstimate; hold?: string } | { record: Partial<LedgerRecordInput>; settle?: string } | { release: string });

/** Runs the steps, each at its own time, and writes down everything a caller would see. */
async function transcriptOf(backend: Backend, budgets: BudgetChanges, steps: Step[]): Promise<unknown[]> {
  let now = new Date(steps[0]!.at);
  const store = await backend(() => now);
  try {
    await store.updateBudgets(budgets);
    const holds = new Map<string, BudgetReservation>();
    const transcript: unknown[] = [];
    for (const step of steps) {
      now = new Date(step.at);
      try {
        if ('reserve' in step) {
          const reservation = await store.tracker.reserve(step.reserve);
          if (step.hold) holds.set(step.hold, reservation);
          transcript.push({ reserved: reservation.amount, warnings: reservation.warnings });
        } else if ('record' in step) {
          const { record, warnings } = await store.tracker.record(sampleCall(step.record), step.settle ? holds.get(step.settle) : undefined);
          transcript.push({ recorded: record.totalCost, timestamp: record.timestamp, warnings });
        } else {
          await store.tracker.release(holds.get(step.release)!);
          transcript.push({ released: step.release });
        }
      } catch (error) {
        if (!(error instanceof DspecError)) throw error;
        transcript.push({ refused: error.code, message: error.message, context: error.context });
      }
    }
    transcript.push({ budget: await store.reports.budget() });
    return comparable(transcript) as unknown[];
  } finally {
    await store.close();
  }
}

// Monday 2026-11-16 is the start of an ISO week; November's month budget runs on.
const BUDGETS: BudgetChanges = { daily: 0.3, weekly: 0.5, monthly: 0.8, components: { Card: 0.15 }, alertAtPercent: 50 };
const STEPS: Step[] = [
  { at: '2026-11-16T09:00:00.000Z', reserve: estimateFor('Button'), hold: 'a' },
  { at: '2026-11-16T09:00:01.000Z', record: { component: 'Button', outputTokens: 2_000 }, settle: 'a' }, // $0.06
  { at: '2026-11-16T09:01:00.000Z', reserve: estimateFor('Card'), hold: 'b' },
  { at: '2026-11-16T09:01:01.000Z', reserve: estimateFor('Card') }, // Card: 0.0975 + 0.0975 > 0.15
  { at: '2026-11-16T09:01:02.000Z', record: { component: 'Card', outputTokens: 2_000 }, settle: 'b' },
  { at: '2026-11-16T09:02:00.000Z', reserve: estimateFor('Button'), hold: 'c' },
  { at: '2026-11-16T09:02:01.000Z', reserve: estimateFor('Button') }, // daily: 0.12 + 0.0975 + 0.0975 ≤ 0.3? 0.315 > 0.3
  { at: '2026-11-16T09:03:00.000Z', release: 'c' },
  { at: '2026-11-16T09:04:00.000Z', reserve: estimateFor('Nav', { model: 'llama-9-local' }) }, // unpriced with a budget: refused
  { at: '2026-11-16T09:05:00.000Z', record: { component: 'Nav', outcome: 'cache_hit', cacheHit: true, costSaved: 0.05, inputTokens: 0, outputTokens: 0 } },
  // A replica dies holding budget: its hold lapses after 15 minutes and is charged at its worst case.
  { at: '2026-11-16T10:00:00.000Z', reserve: estimateFor('Button'), hold: 'lost' },
  { at: '2026-11-16T10:00:01.000Z', reserve: estimateFor('Button') }, // 0.12 + 0.195 > 0.3
  { at: '2026-11-16T10:16:00.000Z', reserve: estimateFor('Button'), hold: 'd' }, // 0.12 + 0.0975 spent + 0.0975 > 0.3
  { at: '2026-11-16T10:16:01.000Z', record: { component: 'Button', outputTokens: 3_000, attempt: 2 }, settle: 'd' }, // $0.075
  // Tuesday: a new day, the same week.
  { at: '2026-11-17T08:00:00.000Z', reserve: estimateFor('Button'), hold: 'e' },
  { at: '2026-11-17T08:00:01.000Z', record: { component: 'Button', outputTokens: 2_000, retry: 1, outcome: 'error', errorCategory: 'overloaded' }, settle: 'e' },
  { at: '2026-11-17T08:01:00.000Z', reserve: estimateFor('Button'), hold: 'f' },
  { at: '2026-11-17T08:01:01.000Z', record: { component: 'Button', outputTokens: 2_000 }, settle: 'f' },
  // Wednesday: the day has room, the week does not (0.315 + 0.09 + 0.0975 > 0.5).
  { at: '2026-11-18T08:00:00.000Z', record: { component: 'Button', outputTokens: 4_000 } }, // $0.09
  { at: '2026-11-18T08:01:00.000Z', reserve: estimateFor('Button') },
  // The next week: the weekly limit starts again, the monthly one does not.
  { at: '2026-11-23T08:00:00.000Z', reserve: estimateFor('Button'), hold: 'g' },
  { at: '2026-11-23T08:00:01.000Z', record: { component: 'Button', outputTokens: 2_000 }, settle: 'g' },
  { at: '2026-11-23T08:01:00.000Z', reserve: estimateFor('Button'), hold: 'h' },
  { at: '2026-11-23T08:01:01.000Z', record: { component: 'Button', outputTokens: 2_000 }, settle: 'h' },
  { at: '2026-11-24T08:00:00.000Z', record: { component: 'Button', outputTokens: 4_000 } },
  { at: '2026-11-24T08:01:00.000Z', record: { component: 'Button', outputTokens: 4_000 } },
  { at: '2026-11-24T08:02:00.000Z', reserve: estimateFor('Button') }, // monthly: 0.705 + 0.0975 > 0.8
];

describe('the file and PostgreSQL cost backends agree', () => {
  it('on every reservation, warning, refusal and the budget view, across days, weeks and an expired hold', async () => {
    const [file, postgres] = await Promise.all([transcriptOf(backends.file, BUDGETS, STEPS), transcriptOf(backends.postgres, BUDGETS, STEPS)]);
    expect(postgres).toEqual(file);
    // The scenario reaches each kind of refusal, so agreement is not agreement on nothing.
    const messages = file.flatMap((entry) => (entry && typeof entry === 'object' && 'message' in entry ? [String(entry.message)] : []));
    expect(messages).toEqual([
      expect.stringMatching(/^the component Card \(monthly\) budget of \$0\.15 would be exceeded: \$0\.00 spent, \$0\.10 held by calls in flight/),
      expect.stringMatching(/^the daily budget of \$0\.30 would be exceeded: \$0\.12 spent, \$0\.10 held/),
      expect.stringMatching(/^model llama-9-local has no price/),
      expect.stringMatching(/^the daily budget of \$0\.30 would be exceeded: \$0\.12 spent, \$0\.10 held/),
      expect.stringMatching(/^the daily budget of \$0\.30 would be exceeded: \$0\.22 spent, \$0\.00 held/), // the lost hold, charged
      expect.stringMatching(/^the weekly budget of \$0\.50 would be exceeded/),
      expect.stringMatching(/^the monthly budget of \$0\.80 would be exceeded/),
    ]);
    expect(file.some((entry) => JSON.stringify(entry).includes('budget: $0.'))).toBe(true); // alerts were raised too
  });

  it('on every report (summary by period and by time range, forecast, optimize) and the breaker streaks', async () => {
    const calls: Array<[string, Partial<LedgerRecordInput>]> = [
      ['2026-11-02T10:00:00.000Z', { component: 'Button' }],
      ['2026-11-02T10:05:00.000Z', { component: 'Button', outcome: 'error', errorCategory: 'overloaded', retry: 1, outputTokens: 0 }],
      ['2026-11-02T10:06:00.000Z', { component: 'Button', outcome: 'error', errorCategory: 'timeout', retry: 2, outputTokens: 0 }],
      ['2026-11-02T10:07:00.000Z', { component: 'Button', retry: 3 }],
      ['2026-11-09T11:00:00.000Z', { component: 'Card', provider: 'openai', model: 'gpt-5.4-mini', attempt: 2, outcome: 'invalid' }],
      ['2026-11-09T11:30:00.000Z', { component: 'Card', outcome: 'cache_hit', cacheHit: true, costSaved: 0.03, inputTokens: 0, outputTokens: 0 }],
      ['2026-11-16T12:00:00.000Z', { component: 'Nav', provider: 'ollama', model: 'llama-9-local' }],
      ['2026-11-16T12:10:00.000Z', { component: 'Nav', outcome: 'error', errorCategory: 'connection', provider: 'openai', model: 'gpt-5.4-mini', outputTokens: 0 }],
      ['2026-11-17T09:00:00.000Z', { component: 'Button', cacheReadTokens: 5_000, cacheWriteTokens: 1_000 }],
      ['2026-11-17T23:59:59.000Z', { component: 'Button', outcome: 'truncated', outputTokens: 8_000 }],
    ];
    const run = async (backend: Backend) => {
      let now = new Date('2026-11-18T12:00:00.000Z');
      const store = await backend(() => now);
      try {
        for (const [at, overrides] of calls) await store.tracker.record(sampleCall({ ...overrides, timestamp: at }));
        now = new Date('2026-11-18T12:00:00.000Z');
        return comparable({
          all: await store.reports.summary({ period: 'all' }),
          week: await store.reports.summary({ period: 'week' }),
          today: await store.reports.summary({ period: 'today' }),
          days: await store.reports.summary({ since: '2026-11-09', until: '2026-11-16' }),
          exact: await store.reports.summary({ since: '2026-11-02T10:05:30.000Z', until: '2026-11-17T12:00:00.000Z' }),
          forecast: await store.reports.forecast(),
          optimize: await store.reports.optimize({ period: 'all' }),
          streaks: (await store.tracker.summary()).streaks,
        });
      } finally {
        await store.close();
      }
    };
    const [file, postgres] = await Promise.all([run(backends.file), run(backends.postgres)]);
    expect(postgres).toEqual(file);
    const fileReports = file as { all: { totals: { records: number; llmCalls: number; cacheHits: number; unpricedCalls: number } }; exact: { totals: { records: number } }; streaks: unknown };
    expect(fileReports.all.totals).toMatchObject({ records: 10, llmCalls: 9, cacheHits: 1, unpricedCalls: 1 });
    expect(fileReports.exact.totals.records).toBe(7);
    // anthropic␟claude-sonnet-4-6: a run of 2 ended by the answered retry; openai␟gpt-5.4-mini: a run of 1 still going.
    expect(fileReports.streaks).toEqual([
      ['anthropic\u001fclaude-sonnet-4-6', { current: 0, ended: [[2, 1]] }],
      ['openai\u001fgpt-5.4-mini', { current: 1, ended: [] }],
    ]);
  });

  it('on abandoned holds: an expired hold becomes one abandoned ledger line at its reserved amount, exactly once with two sweepers racing, counted against the budget; a settled or released hold never does', async () => {
    const run = async (backend: SharedBackend) => {
      let now = new Date('2026-11-16T09:00:00.000Z');
      const clock = () => now;
      const open = await backend(clock);
      const [replica, other] = [await open(), await open()];
      try {
        await replica.updateBudgets({ daily: 1 });
        const paid = await replica.tracker.reserve(estimateFor('Button'));
        await replica.tracker.record(sampleCall({ component: 'Button', outputTokens: 2_000 }), paid); // $0.06
        const released = await replica.tracker.reserve(estimateFor('Card'));
        await replica.tracker.release(released);
        // A replica is killed holding four holds, one of them a repair attempt's transport retry on another operation.
        const lost: BudgetReservation[] = [];
        for (const [component, overrides] of [
          ['Nav', { operation: 'export_screen', attempt: 2, retry: 1 }],
          ['Nav', {}],
          ['Card', {}],
          ['Button', {}],
        ] as const) {
          now = new Date(now.getTime() + 1_000);
          lost.push(await other.tracker.reserve(estimateFor(component, overrides)));
        }
        // A slow call whose replica lives: it will settle after its hold expired, before any sweep saw it.
        now = new Date('2026-11-16T09:05:00.000Z');
        const late = await replica.tracker.reserve(estimateFor('Card'));
        const held = await replica.reports.budget();
        now = new Date('2026-11-16T09:16:00.000Z'); // past the lost holds' 15-minute expiry, not yet the late one's
        const charged = await Promise.all([replica.sweep(), other.sweep()]);
        const again = await Promise.all([replica.sweep(), other.sweep()]);
        const after = await replica.reports.budget();
        now = new Date('2026-11-16T09:21:00.000Z');
        await replica.tracker.record(sampleCall({ component: 'Card', outputTokens: 2_000 }), late); // $0.06, its own line only
        const final = await replica.reports.budget();
        await replica.tracker.reserve(estimateFor('Button')); // a reserve sweeps too: nothing is left to charge
        const lines = await replica.ledgerLines();
        const abandoned = lines.filter((line) => line.errorCategory === 'abandoned');
        const summary = await replica.reports.summary({ period: 'today' });
        const holdOf = new Map(lost.map((hold, index) => [hold.id, `lost-${index}`]));
        return {
          charged: charged[0] + charged[1],
          again,
          lines: lines.length,
          // The hold ids are random on each backend: name each line by the hold it charges.
          abandoned: comparable(abandoned.map((line) => ({ ...line, id: holdOf.get(line.id) ?? `not a lost hold: ${line.id}` })).sort((a, b) => a.id.localeCompare(b.id))),
          amounts: comparable(lost.map((hold) => hold.amount)),
          held: comparable(held),
          after: comparable(after),
          final: comparable(final),
          summary: comparable(summary) as CostSummary,
          text: formatSummary(summary),
        };
      } finally {
        await replica.close();
        await other.close();
      }
    };
    const [file, postgres] = await Promise.all([run(sharedBackends.file), run(sharedBackends.postgres)]);
    expect(postgres).toEqual(file);
    expect(file.charged).toBe(4);
    expect(file.again).toEqual([0, 0]);
    expect(file.lines).toBe(6); // the two settled calls and the four lost ones; the released hold has none
    const worstCase = 0.0975;
    expect(file.amounts).toEqual([worstCase, worstCase, worstCase, worstCase]);
    expect(file.abandoned).toEqual([
      expect.objectContaining({ id: 'lost-0', timestamp: '2026-11-16T09:00:01.000Z', operation: 'export_screen', component: 'Nav', attempt: 2, retry: 1, totalCost: worstCase }),
      expect.objectContaining({ id: 'lost-1', timestamp: '2026-11-16T09:00:02.000Z', operation: 'generate_component', component: 'Nav', attempt: 1, retry: 0, totalCost: worstCase }),
      expect.objectContaining({ id: 'lost-2', component: 'Card', totalCost: worstCase }),
      expect.objectContaining({ id: 'lost-3', component: 'Button', totalCost: worstCase }),
    ]);
    expect(file.abandoned).toEqual(
      Array.from({ length: 4 }, () =>
        expect.objectContaining({ outcome: 'error', errorCategory: 'abandoned', provider: 'anthropic', model: 'claude-sonnet-4-6', inputTokens: 0, outputTokens: 0, cacheHit: false, requestId: null }),
      ),
    );
    // Held while in flight, spent once charged: the day's use is the same before and after, and nothing stays held.
    const daily = (view: unknown) => (view as { limits: Array<{ spent: number; reserved: number }> }).limits[0];
    expect(daily(file.held)).toMatchObject({ spent: 0.06, reserved: expect.closeTo(5 * worstCase, 9) });
    expect(daily(file.after)).toMatchObject({ spent: expect.closeTo(0.06 + 4 * worstCase, 9), reserved: worstCase });
    expect(daily(file.final)).toMatchObject({ spent: expect.closeTo(0.12 + 4 * worstCase, 9), reserved: 0 });
    // The reports count them among the failed attempts, and say how many were abandoned.
    expect(file.summary.totals).toMatchObject({ llmCalls: 6, failures: 4, abandoned: 4, cost: expect.closeTo(0.12 + 4 * worstCase, 9), outputTokens: 4_000 });
    expect(file.summary.byComponent.map((row) => [row.name, row.abandoned])).toEqual([
      ['Nav', 2],
      ['Button', 1],
      ['Card', 1],
    ]);
    expect(file.text).toMatch(/failed attempts +│? *4 *│?\n.*abandoned \(charged at worst case\) +│? *4/);
  });

  it('on an abandoned hold of an unpriced model: its line is unpriced (cost null), never a silent $0', async () => {
    const run = async (backend: SharedBackend) => {
      let now = new Date('2026-11-16T09:00:00.000Z');
      const open = await backend(() => now, { cost: { prices: {}, allowUnpriced: true } });
      const store = await open();
      try {
        await store.updateBudgets({ daily: 1 });
        await store.tracker.reserve(estimateFor('Nav', { provider: 'openai-compatible', model: 'llama-9-local' }));
        now = new Date('2026-11-16T09:16:00.000Z');
        const charged = await store.sweep();
        const [line] = await store.ledgerLines();
        const summary = await store.reports.summary({ period: 'today' });
        return { charged, line: { ...line, id: 'hold' }, totals: comparable(summary.totals), budget: comparable(await store.reports.budget()) };
      } finally {
        await store.close();
      }
    };
    const [file, postgres] = await Promise.all([run(sharedBackends.file), run(sharedBackends.postgres)]);
    expect(postgres).toEqual(file);
    expect(file.charged).toBe(1);
    expect(file.line).toMatchObject({ model: 'llama-9-local', errorCategory: 'abandoned', totalCost: null });
    expect(file.totals).toMatchObject({ llmCalls: 1, unpricedCalls: 1, abandoned: 1, cost: 0 });
  });
});
