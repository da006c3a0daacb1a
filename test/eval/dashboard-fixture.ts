import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileCache } from '../../src/cache/file-cache.js';
import type { LedgerRecord } from '../../src/shapes/ledger-record.js';
import { summarise } from '../../src/eval/run-eval.js';
import type { TrialRecord } from '../../src/eval/trial-record.js';
import { makeEntry, tempHome } from '../cache/entry-fixture.js';
import { sampleRecord } from '../cost/ledger-record-fixture.js';

let counter = 0;
const record = (overrides: Partial<LedgerRecord>): LedgerRecord => sampleRecord({ id: `r${++counter}`, ...overrides });

/**
 * A state directory with known contents: two weeks of ledger lines (priced calls, cache hits, a
 * retried call, and a run of server errors that opens a breaker twice), budgets, three cache
 * entries and one eval run. The figures the dashboard must show are in EXPECTED.
 */
export const EXPECTED = {
  cost: 6 * 0.0105 + 2 * 0.002,
  saved: 2 * 0.0105,
  day1HitRate: 2 / (2 + 4),
  breakerOpenings: { anthropic: 2 },
  retries: { 'openai-compatible': 1 },
  cacheEntries: 3,
};

export async function makeDashboardHome(): Promise<string> {
  const home = tempHome('dspec-report-');
  const lines: LedgerRecord[] = [];
  // Monday 2026-11-16: four generations of two components, two cache hits.
  for (let i = 0; i < 4; i++) lines.push(record({ timestamp: `2026-11-16T10:0${i}:00.000Z`, component: i % 2 ? 'StatCard' : 'PricingTable' }));
  for (let i = 0; i < 2; i++)
    lines.push(
      record({ timestamp: `2026-11-16T11:0${i}:00.000Z`, outcome: 'cache_hit', cacheHit: true, inputTokens: 0, outputTokens: 0, inputCost: 0, outputCost: 0, totalCost: 0, costSaved: 0.0105 }),
    );
  // Tuesday: a local model; one call rate-limited, then retried successfully.
  const local = { provider: 'openai-compatible', model: 'qwen2.5-coder:14b', component: 'DataGrid' };
  lines.push(record({ ...local, timestamp: '2026-11-17T09:00:00.000Z', outcome: 'error', errorCategory: 'rate_limit', inputTokens: 0, outputTokens: 0, inputCost: 0, outputCost: 0, totalCost: 0 }));
  lines.push(record({ ...local, timestamp: '2026-11-17T09:00:02.000Z', retry: 1, totalCost: 0.002 }));
  lines.push(record({ ...local, timestamp: '2026-11-17T09:05:00.000Z', totalCost: 0.002 }));
  // The next Monday: five server errors open the breaker (threshold 5), a failed probe opens it again, then it recovers.
  for (let i = 0; i < 6; i++)
    lines.push(
      record({ timestamp: `2026-11-23T08:0${i}:00.000Z`, outcome: 'error', errorCategory: 'server', retry: i % 5, inputTokens: 0, outputTokens: 0, inputCost: 0, outputCost: 0, totalCost: 0 }),
    );
  lines.push(record({ timestamp: '2026-11-23T08:30:00.000Z', component: 'StatCard' }));
  lines.push(record({ timestamp: '2026-11-23T08:31:00.000Z', component: 'StatCard' }));
  writeFileSync(path.join(home, 'costs.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  writeFileSync(path.join(home, 'budgets.json'), JSON.stringify({ version: 1, daily: 0.05, weekly: 0.2, monthly: 5, components: {}, alertAtPercent: 80 }));

  const cache = new FileCache({ home });
  for (let seed = 1; seed <= 3; seed++) await cache.set(makeEntry({ seed, component: 'StatCard' }));

  const trial = (spec: string, n: number, valid: boolean, attempts: number): TrialRecord => ({
    version: 1,
    spec,
    trial: n,
    valid,
    attempts,
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    promptVersion: 'component-generation@3',
    attemptLog: Array.from({ length: attempts }, (_, i) => ({
      attempt: i + 1,
      outcome: valid && i === attempts - 1 ? ('success' as const) : ('invalid' as const),
      layer: valid && i === attempts - 1 ? null : ('a11y' as const),
      codes: valid && i === attempts - 1 ? [] : ['jsx-a11y/label-has-associated-control'],
      retries: 0,
    })),
    tokens: { input: 1000 * attempts, output: 500 * attempts, cacheWrite: 0, cacheRead: 0 },
    cost: 0.0105 * attempts,
    latencyMs: 1000 * attempts,
    cacheHit: false,
    finishedAt: '2026-11-23T12:00:00.000Z',
  });
  const summary = summarise({
    suite: {
      path: 'evals/components.json',
      hash: 'h',
      specs: [
        { name: 'StatCard', description: 'd', tags: ['display'], source: 's' },
        { name: 'SearchField', description: 'd', tags: ['form'], source: 's' },
      ],
    },
    trials: 2,
    finished: [trial('StatCard', 1, true, 1), trial('StatCard', 2, true, 1), trial('SearchField', 1, true, 2), trial('SearchField', 2, false, 3)],
    errors: [],
    stoppedBy: null,
    provider: { id: 'anthropic', model: 'claude-sonnet-4-6' },
    startedAt: '2026-11-23T11:00:00.000Z',
    finishedAt: '2026-11-23T12:00:00.000Z',
    maxAttempts: 3,
    useCache: false,
    maxCostUsd: null,
    harnessOverheadMs: 1,
  });
  mkdirSync(path.join(home, 'evals', 'run-1'), { recursive: true });
  writeFileSync(path.join(home, 'evals', 'run-1', 'summary.json'), JSON.stringify(summary));
  return home;
}
