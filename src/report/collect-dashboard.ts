import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cachePathsOf } from '../cache/cache-paths.js';
import { periodStartDay, readBudgets, type Budgets } from '../cost/budgets.js';
import { Ledger, ledgerFileOf } from '../cost/ledger.js';
import { bucketValue, DIMENSION_SEPARATOR, foldLine, type DayBuckets } from '../cost/ledger-summary.js';
import { loadSummary } from '../eval/compare.js';
import type { EvalSummary } from '../eval/summary.js';
import { evalsDirOf } from '../eval/paths.js';

/** Sums of one period (a day or an ISO week) along one dimension (model, provider or component). */
export type SpendSeries = Map<string, Map<string, number>>;

export interface ProviderHealthFigures {
  requests: number;
  retries: number;
  failures: number;
  /** Circuit-breaker openings replayed from the ledger (see `replayBreakers`). */
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
  cacheIndex: { entries: number; bytes: number; byModel: Map<string, number> } | null;
  byProvider: Map<string, ProviderHealthFigures>;
  budgets: Budgets;
  evals: EvalSummary[];
  breakerThreshold: number;
}

const AVAILABILITY = new Set(['rate_limit', 'overloaded', 'server', 'timeout', 'connection']);

function add(series: SpendSeries, period: string, key: string, value: number): void {
  let byKey = series.get(period);
  if (!byKey) series.set(period, (byKey = new Map()));
  byKey.set(key, (byKey.get(key) ?? 0) + value);
}

function stringAfter(line: string, marker: string): string | undefined {
  const start = line.indexOf(marker);
  if (start === -1) return undefined;
  const from = start + marker.length;
  const end = line.indexOf('"', from);
  return end === -1 ? undefined : line.slice(from, end);
}

/**
 * Circuit-breaker openings are not logged as such; they are replayed from the ledger with the
 * breaker's own rule: per provider+model, `threshold` consecutive availability failures
 * (rate limit, overload, 5xx, timeout, connection) open it, an answered call closes it, and
 * every further failure recorded while it is open is a failed half-open probe, which opens it
 * again (calls refused by an open circuit never reach the ledger). Processes share the ledger
 * but not breakers, so with several processes this is an estimate.
 */
export class BreakerReplay {
  private readonly consecutive = new Map<string, number>();
  readonly openings = new Map<string, number>();

  constructor(private readonly threshold: number) {}

  visit(line: string): void {
    const outcomeAt = line.indexOf('"outcome":"');
    if (outcomeAt === -1) return;
    const first = line.charCodeAt(outcomeAt + 11);
    if (first === 0x63 /* cache_hit */) return;
    if (first !== 0x65 /* error */) {
      if (this.consecutive.size === 0) return;
      const key = this.keyOf(line);
      if (key !== undefined && this.consecutive.has(key)) this.consecutive.set(key, 0);
      return;
    }
    const category = stringAfter(line, '"errorCategory":"');
    if (category === undefined || !AVAILABILITY.has(category)) return;
    const key = this.keyOf(line);
    if (key === undefined) return;
    const count = (this.consecutive.get(key) ?? 0) + 1;
    this.consecutive.set(key, count);
    if (count >= this.threshold) {
      const provider = key.slice(0, key.indexOf(DIMENSION_SEPARATOR));
      this.openings.set(provider, (this.openings.get(provider) ?? 0) + 1);
    }
  }

  private keyOf(line: string): string | undefined {
    const provider = stringAfter(line, '"provider":"');
    const model = stringAfter(line, '"model":"');
    return provider === undefined || model === undefined ? undefined : provider + DIMENSION_SEPARATOR + model;
  }
}

/**
 * Everything the dashboard shows, in one streaming pass over the ledger (folded into day
 * buckets by the same fast path as `dspec cost`, with the breaker replay alongside), plus the
 * cache index, the budgets and the eval runs under `<home>/evals/`.
 */
export async function collectDashboard(options: { home: string; breakerThreshold: number; now?: Date }): Promise<DashboardData> {
  const days: DayBuckets = new Map();
  const replay = new BreakerReplay(options.breakerThreshold);
  let corruptLines = 0;
  const scan = await new Ledger(ledgerFileOf(options.home)).scanLines((line) => {
    if (foldLine(days, line) === 'corrupt') corruptLines++;
    else replay.visit(line);
  });

  const spend = { dayByModel: new Map(), dayByProvider: new Map(), weekByModel: new Map(), weekByProvider: new Map(), byComponent: new Map<string, number>() } satisfies DashboardData['spend'];
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
  for (const [provider, openings] of replay.openings) {
    const health = byProvider.get(provider) ?? { requests: 0, retries: 0, failures: 0, breakerOpenings: 0 };
    health.breakerOpenings = openings;
    byProvider.set(provider, health);
  }

  const cacheIndex = await readCacheIndexTotals(cachePathsOf(options.home).index);

  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    home: options.home,
    ledgerLines: scan.lines,
    corruptLines,
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

/**
 * Entries, bytes and entries per model from `<home>/cache/index.jsonl` (last line per key
 * wins, as in `readIndex`). The page needs three fields, so lines get a plain JSON.parse and
 * type checks instead of the full schema, which costs seconds over 100,000 entries.
 */
export async function readCacheIndexTotals(file: string): Promise<DashboardData['cacheIndex']> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const records = new Map<string, { model: string; bytes: number }>();
  for (const line of text.split('\n')) {
    if (line.length < 2) continue;
    let raw: { key?: unknown; model?: unknown; bytes?: unknown };
    try {
      raw = JSON.parse(line);
    } catch {
      continue; // a torn line, as readIndex skips it
    }
    if (typeof raw.key !== 'string' || typeof raw.model !== 'string' || typeof raw.bytes !== 'number') continue;
    records.set(raw.key, { model: raw.model, bytes: raw.bytes });
  }
  const byModel = new Map<string, number>();
  let bytes = 0;
  for (const record of records.values()) {
    bytes += record.bytes;
    byModel.set(record.model, (byModel.get(record.model) ?? 0) + 1);
  }
  return { entries: records.size, bytes, byModel };
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
