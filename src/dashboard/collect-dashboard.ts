import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cachePathsOf } from '../cache/cache-paths.js';
import { breakerOpenings } from '../cost/breaker-streaks.js';
import { periodStartDay, readBudgets, type Budgets } from '../cost/budgets.js';
import { Ledger, ledgerFileOf } from '../cost/ledger.js';
import { bucketValue, DIMENSION_SEPARATOR, LedgerSummaryStore, type DayBuckets } from '../cost/ledger-summary.js';
import { readCacheIndexTotals, type CacheIndexTotals } from './cache-index-totals.js';
import { loadSummary } from '../eval/compare.js';
import type { EvalSummary } from '../eval/summary.js';
import { evalsDirOf } from '../eval/paths.js';

/** Sums of one period (a day or an ISO week) along one dimension (model, provider or component). */
export type SpendSeries = Map<string, Map<string, number>>;

export interface ProviderHealthFigures {
  requests: number;
  retries: number;
  failures: number;
  /** Circuit-breaker openings replayed from the ledger (see `breakerOpenings`). */
  breakerOpenings: number;
}

export interface DashboardData {
  generatedAt: string;
  home: string;
  ledgerLines: number;
  corruptLines: number;
  days: string[];
  weeks: string[];
  /** period → dimension value → USD. */
  spend: { dayByModel: SpendSeries; dayByProvider: SpendSeries; weekByModel: SpendSeries; weekByProvider: SpendSeries; byComponent: Map<string, number> };
  totals: { cost: number; saved: number; cacheHits: number; generations: number; unpriced: number };
  /** day → { hits, generations (first calls that reached a provider), saved USD }. */
  cacheByDay: Map<string, { hits: number; generations: number; saved: number }>;
  cacheIndex: CacheIndexTotals | null;
  byProvider: Map<string, ProviderHealthFigures>;
  budgets: Budgets;
  evals: EvalSummary[];
  breakerThreshold: number;
}

function add(series: SpendSeries, period: string, key: string, value: number): void {
  let byKey = series.get(period);
  if (!byKey) series.set(period, (byKey = new Map<string, number>()));
  byKey.set(key, (byKey.get(key) ?? 0) + value);
}

/**
 * Everything the dashboard shows: the ledger's day buckets and breaker streaks from the same
 * summary index as `dspec cost` (`costs.summary.json`: only lines appended since it was written
 * are read, and it is rebuilt when the ledger was replaced, truncated or rewritten), plus the
 * cache index, the budgets and the eval runs under `<home>/evals/`.
 */
export async function collectDashboard(options: { home: string; breakerThreshold: number; now?: Date }): Promise<DashboardData> {
  // Reading only: no fsync needed, and the store's persisted index is a cache it may fail to write.
  const summary = await new LedgerSummaryStore(new Ledger(ledgerFileOf(options.home), { fsync: false }), options.home).refresh();
  const days: DayBuckets = summary.days;

  // Annotated, not `satisfies`: an argument-less `new Map()` would otherwise be Map<any, any>.
  const spend: DashboardData['spend'] = { dayByModel: new Map(), dayByProvider: new Map(), weekByModel: new Map(), weekByProvider: new Map(), byComponent: new Map() };
  const totals = { cost: 0, saved: 0, cacheHits: 0, generations: 0, unpriced: 0 };
  const cacheByDay: DashboardData['cacheByDay'] = new Map();
  const byProvider = new Map<string, ProviderHealthFigures>();
  const weeks = new Set<string>();
  const sortedDays = [...days.keys()].sort();
  for (const day of sortedDays) {
    const week = periodStartDay('weekly', new Date(`${day}T00:00:00Z`));
    weeks.add(week);
    const cache = { hits: 0, generations: 0, saved: 0 };
    for (const [key, bucket] of days.get(day)!) {
      const [component = '', model = '', provider = ''] = key.split(DIMENSION_SEPARATOR);
      const cost = bucketValue(bucket, 'cost');
      add(spend.dayByModel, day, model, cost);
      add(spend.dayByProvider, day, provider, cost);
      add(spend.weekByModel, week, model, cost);
      add(spend.weekByProvider, week, provider, cost);
      spend.byComponent.set(component, (spend.byComponent.get(component) ?? 0) + cost);
      const hits = bucketValue(bucket, 'cacheHits');
      const requests = bucketValue(bucket, 'requests');
      cache.hits += hits;
      cache.generations += requests;
      cache.saved += bucketValue(bucket, 'saved');
      totals.cost += cost;
      totals.saved += bucketValue(bucket, 'saved');
      totals.cacheHits += hits;
      totals.generations += requests;
      totals.unpriced += bucketValue(bucket, 'unpriced');
      if (requests + bucketValue(bucket, 'repairs') + bucketValue(bucket, 'retries') > 0) {
        const health = byProvider.get(provider) ?? { requests: 0, retries: 0, failures: 0, breakerOpenings: 0 };
        health.requests += requests;
        health.retries += bucketValue(bucket, 'retries');
        health.failures += bucketValue(bucket, 'failures');
        byProvider.set(provider, health);
      }
    }
    cacheByDay.set(day, cache);
  }
  for (const [provider, openings] of breakerOpenings(summary.streaks, options.breakerThreshold)) {
    const health = byProvider.get(provider) ?? { requests: 0, retries: 0, failures: 0, breakerOpenings: 0 };
    health.breakerOpenings = openings;
    byProvider.set(provider, health);
  }

  const cacheIndex = await readCacheIndexTotals(cachePathsOf(options.home).index);

  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    home: options.home,
    ledgerLines: summary.lines,
    corruptLines: summary.corruptLines,
    days: sortedDays,
    weeks: [...weeks].sort(),
    spend,
    totals,
    cacheByDay,
    cacheIndex,
    byProvider,
    budgets: await readBudgets(options.home),
    evals: await loadEvalRuns(options.home),
    breakerThreshold: options.breakerThreshold,
  };
}

/** Every run under `<home>/evals/` and the one `latest.json` points at (it may live elsewhere), oldest first; unreadable ones are skipped. */
export async function loadEvalRuns(home: string): Promise<EvalSummary[]> {
  const dir = evalsDirOf(home);
  const candidates = new Set<string>();
  try {
    for (const entry of await readdir(dir, { withFileTypes: true })) if (entry.isDirectory()) candidates.add(path.join(dir, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const latest = await latestRunDir(home);
  if (latest) candidates.add(latest);
  const runs: EvalSummary[] = [];
  for (const candidate of candidates) {
    try {
      runs.push(await loadSummary(candidate));
    } catch {
      // A run still in progress (no summary yet) or a foreign folder.
    }
  }
  return runs.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
}

/** The run directory `<home>/evals/latest.json` names, if any. */
export async function latestRunDir(home: string): Promise<string | undefined> {
  try {
    const pointer = JSON.parse(await readFile(path.join(evalsDirOf(home), 'latest.json'), 'utf8')) as { run?: unknown };
    return typeof pointer.run === 'string' ? pointer.run : undefined;
  } catch {
    return undefined;
  }
}
