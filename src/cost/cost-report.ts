import { InputError } from '../errors.js';
import type { BudgetStatus } from './budget-checks.js';
import type { Budgets } from './budgets.js';
import { BUCKET_FIELDS, BUCKET_SIZE, DIMENSION_SEPARATOR, type Bucket, type LedgerSummary } from './ledger-summary.js';
import { costWith, type PriceTable } from './price-table.js';
import { formatUsd } from './spend.js';

export type ReportPeriod = 'today' | 'week' | 'month' | 'all';

export interface PeriodQuery {
  period?: ReportPeriod;
  /** `YYYY-MM-DD` (from the start of that UTC day) or an ISO timestamp; inclusive. */
  since?: string;
  /** `YYYY-MM-DD` (to the end of that UTC day) or an ISO timestamp; inclusive. */
  until?: string;
}

export interface ResolvedPeriod {
  label: string;
  since: string | null;
  until: string | null;
  fromDay: string | null;
  toDay: string | null;
  /** A bound falls inside a day: the day buckets cannot answer, the ledger is scanned with a time filter. */
  exact: boolean;
  sinceMs: number | null;
  untilMs: number | null;
}

const DAY_MS = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Periods are UTC calendar periods: today, this ISO week (from Monday), this month, or everything. */
export function resolvePeriod(query: PeriodQuery, now: Date): ResolvedPeriod {
  if (query.since !== undefined || query.until !== undefined) {
    const since = query.since === undefined ? null : parseBound(query.since, 'since', false);
    const until = query.until === undefined ? null : parseBound(query.until, 'until', true);
    if (since !== null && until !== null && since.time > until.time) throw new InputError('since is after until');
    return {
      label: `${query.since ?? 'start'} to ${query.until ?? 'now'}`,
      since: since === null ? null : new Date(since.time).toISOString(),
      until: until === null ? null : new Date(until.time).toISOString(),
      fromDay: since === null ? null : dayOf(since.time),
      toDay: until === null ? null : dayOf(until.time),
      exact: (since !== null && !since.dayAligned) || (until !== null && !until.dayAligned),
      sinceMs: since?.time ?? null,
      untilMs: until?.time ?? null,
    };
  }
  const period = query.period ?? 'month';
  const today = now.toISOString().slice(0, 10);
  let fromDay: string | null;
  if (period === 'all') fromDay = null;
  else if (period === 'today') fromDay = today;
  else if (period === 'month') fromDay = `${today.slice(0, 8)}01`;
  else fromDay = dayOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
  return {
    label: period === 'all' ? 'all time' : period === 'today' ? `today (${today})` : `this ${period} (${fromDay} to ${today}, UTC)`,
    since: fromDay === null ? null : `${fromDay}T00:00:00.000Z`,
    until: now.toISOString(),
    fromDay,
    toDay: period === 'all' ? null : today,
    exact: false,
    sinceMs: fromDay === null ? null : Date.parse(`${fromDay}T00:00:00.000Z`),
    untilMs: now.getTime(),
  };
}

function parseBound(text: string, name: string, endOfDay: boolean): { time: number; dayAligned: boolean } {
  if (DATE_ONLY.test(text)) {
    const start = Date.parse(`${text}T00:00:00.000Z`);
    if (Number.isNaN(start)) throw new InputError(`${name}: ${text} is not a valid date`);
    return { time: endOfDay ? start + DAY_MS - 1 : start, dayAligned: true };
  }
  const time = Date.parse(text);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new InputError(`${name}: "${text}" is neither YYYY-MM-DD nor an ISO 8601 timestamp`);
  }
  return { time, dayAligned: false };
}

export interface Breakdown {
  name: string;
  /** USD of priced calls. */
  cost: number;
  /** Share of the period's priced cost, 0–1. */
  share: number;
  saved: number;
  llmCalls: number;
  cacheHits: number;
  unpricedCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  requests: number;
  repairs: number;
  retries: number;
  failures: number;
  /** Failed attempts charged at their hold's worst case because the call never settled (its process died): abandoned-hold.ts. */
  abandoned: number;
}

export interface CostSummary {
  period: { label: string; since: string | null; until: string | null };
  priceTableVersion: string;
  totals: Omit<Breakdown, 'name' | 'share'> & {
    /** Ledger lines (LLM attempts + cache hits). */
    records: number;
    /** Cache hits / (cache hits + generations that reached a provider); null with neither. */
    cacheHitRate: number | null;
    /** Repair attempts per generation that reached a provider; null without any. */
    repairRate: number | null;
  };
  byComponent: Breakdown[];
  byModel: Breakdown[];
  byProvider: Breakdown[];
  byOperation: Breakdown[];
  /** Models with calls the price table does not know: their cost is missing from every total. */
  unpricedModels: string[];
  activeDays: number;
  ledger: { lines: number; corruptLines: number; pendingTailBytes: number };
}

interface Aggregate {
  totals: Bucket;
  byComponent: Map<string, Bucket>;
  byModel: Map<string, Bucket>;
  byProvider: Map<string, Bucket>;
  byOperation: Map<string, Bucket>;
  byComponentModel: Map<string, Bucket>;
  byDay: Map<string, Bucket>;
}

const I = Object.fromEntries(BUCKET_FIELDS.map((field, i) => [field, i])) as Record<(typeof BUCKET_FIELDS)[number], number>;

function addInto(map: Map<string, Bucket>, key: string, bucket: Bucket): void {
  let sum = map.get(key);
  if (!sum) {
    sum = new Array<number>(BUCKET_SIZE).fill(0);
    map.set(key, sum);
  }
  for (let i = 0; i < BUCKET_SIZE; i++) sum[i]! += bucket[i]!;
}

function aggregate(summary: LedgerSummary, fromDay: string | null, toDay: string | null): Aggregate {
  const result: Aggregate = {
    totals: new Array<number>(BUCKET_SIZE).fill(0),
    byComponent: new Map(),
    byModel: new Map(),
    byProvider: new Map(),
    byOperation: new Map(),
    byComponentModel: new Map(),
    byDay: new Map(),
  };
  for (const [day, byDimensions] of summary.days) {
    if ((fromDay !== null && day < fromDay) || (toDay !== null && day > toDay)) continue;
    for (const [dimensions, bucket] of byDimensions) {
      const [component = '', model = '', provider = '', operation = ''] = dimensions.split(DIMENSION_SEPARATOR);
      for (let i = 0; i < BUCKET_SIZE; i++) result.totals[i]! += bucket[i]!;
      addInto(result.byComponent, component, bucket);
      addInto(result.byModel, model, bucket);
      addInto(result.byProvider, provider, bucket);
      addInto(result.byOperation, operation, bucket);
      addInto(result.byComponentModel, component + DIMENSION_SEPARATOR + model, bucket);
      addInto(result.byDay, day, bucket);
    }
  }
  return result;
}

function breakdownOf(name: string, bucket: Bucket, totalCost: number): Breakdown {
  const cost = bucket[I.cost]!;
  return {
    name,
    cost,
    share: totalCost > 0 ? cost / totalCost : 0,
    saved: bucket[I.saved]!,
    llmCalls: bucket[I.records]! - bucket[I.cacheHits]!,
    cacheHits: bucket[I.cacheHits]!,
    unpricedCalls: bucket[I.unpriced]!,
    inputTokens: bucket[I.inputTokens]!,
    outputTokens: bucket[I.outputTokens]!,
    cacheWriteTokens: bucket[I.cacheWriteTokens]!,
    cacheReadTokens: bucket[I.cacheReadTokens]!,
    requests: bucket[I.requests]!,
    repairs: bucket[I.repairs]!,
    retries: bucket[I.retries]!,
    failures: bucket[I.failures]!,
    abandoned: bucket[I.abandoned]!,
  };
}

function breakdowns(map: Map<string, Bucket>, totalCost: number): Breakdown[] {
  return [...map]
    .map(([name, bucket]) => breakdownOf(name, bucket, totalCost))
    .sort((a, b) => b.cost - a.cost || b.llmCalls + b.cacheHits - (a.llmCalls + a.cacheHits) || a.name.localeCompare(b.name));
}

function summaryOf(aggregateResult: Aggregate, period: ResolvedPeriod, source: LedgerSummary, priceTable: PriceTable): CostSummary {
  const totalCost = aggregateResult.totals[I.cost]!;
  const { name: _name, share: _share, ...totals } = breakdownOf('total', aggregateResult.totals, totalCost);
  const generations = totals.cacheHits + totals.requests;
  return {
    period: { label: period.label, since: period.since, until: period.until },
    priceTableVersion: priceTable.version,
    totals: {
      ...totals,
      records: aggregateResult.totals[I.records]!,
      cacheHitRate: generations > 0 ? totals.cacheHits / generations : null,
      repairRate: totals.requests > 0 ? totals.repairs / totals.requests : null,
    },
    byComponent: breakdowns(aggregateResult.byComponent, totalCost),
    byModel: breakdowns(aggregateResult.byModel, totalCost),
    byProvider: breakdowns(aggregateResult.byProvider, totalCost),
    byOperation: breakdowns(aggregateResult.byOperation, totalCost),
    unpricedModels: [...aggregateResult.byModel]
      .filter(([, bucket]) => bucket[I.unpriced]! > 0)
      .map(([model]) => model)
      .sort(),
    activeDays: aggregateResult.byDay.size,
    ledger: { lines: source.lines, corruptLines: source.corruptLines + (source.pendingTailBytes > 0 ? 1 : 0), pendingTailBytes: source.pendingTailBytes },
  };
}

export interface ForecastReport {
  priceTableVersion: string;
  window: { fromDay: string; toDay: string; daysObserved: number; records: number; pricedCalls: number };
  dailyAverage: number;
  monthToDate: number;
  projectedMonth: number;
  yearToDate: number;
  projectedYear: number;
  runRate: { monthly: number; yearly: number };
  confidence: 'low' | 'medium' | 'high';
  confidenceRule: string;
  unpricedCalls: number;
  unpricedModels: string[];
}

/** The forecast looks at the last 30 days (UTC) up to today. */
export const FORECAST_WINDOW_DAYS = 30;
export const CONFIDENCE_RULE =
  'high: at least 14 days observed and 100 priced calls in the window; medium: at least 7 days and 30 priced calls; otherwise low. Days observed count from the first day with a record in the 30-day window to today.';

export interface OptimizationAdvice {
  code: 'low-cache-hit-rate' | 'component-dominates-spend' | 'premium-model-on-simple-component' | 'high-repair-rate' | 'prompt-caching-unused' | 'high-retry-rate' | 'unpriced-models';
  severity: 'info' | 'warning';
  message: string;
  /** The figures that triggered the advice. */
  numbers: Record<string, number | string | null>;
}

export interface OptimizeReport {
  period: CostSummary['period'];
  advice: OptimizationAdvice[];
  /** The thresholds the rules use. */
  thresholds: typeof ADVICE_THRESHOLDS;
}

export const ADVICE_THRESHOLDS = {
  minGenerationsForCacheAdvice: 20,
  lowCacheHitRate: 0.2,
  minComponentsForDominance: 3,
  dominantShare: 0.5,
  simpleComponentMaxOutputTokens: 2000,
  minCallsForModelAdvice: 3,
  minRequestsForRepairAdvice: 10,
  highRepairRate: 0.25,
  minCallsForCachingAdvice: 10,
  highRetryRate: 0.2,
} as const;

const ratio = (value: number) => Math.round(value * 1000) / 1000;
const usd = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * What the reports read: the ledger folded into day buckets (whole, or a time range) and the
 * budgets' standing. The file tracker answers from `.dspec/`, the PostgreSQL store from SQL
 * aggregates in the same shape, so every report is computed by the same code.
 */
export interface CostReportSource {
  readonly priceTable: PriceTable;
  summary(): Promise<LedgerSummary>;
  summariseRange(sinceMs: number | null, untilMs: number | null): Promise<LedgerSummary>;
  budgetStatus(): Promise<{ budgets: Budgets; limits: BudgetStatus[] }>;
}

/** Everything `cost_report` and `dspec cost` show, over one ledger. */
export class CostReports {
  constructor(
    private readonly tracker: CostReportSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async load(period: ResolvedPeriod): Promise<{ aggregate: Aggregate; source: LedgerSummary }> {
    if (period.exact) {
      const source = await this.tracker.summariseRange(period.sinceMs, period.untilMs);
      return { aggregate: aggregate(source, null, null), source };
    }
    const source = await this.tracker.summary();
    return { aggregate: aggregate(source, period.fromDay, period.toDay), source };
  }

  async summary(query: PeriodQuery = {}): Promise<CostSummary> {
    const period = resolvePeriod(query, this.clock());
    const { aggregate: result, source } = await this.load(period);
    return summaryOf(result, period, source, this.tracker.priceTable);
  }

  async forecast(): Promise<ForecastReport> {
    const now = this.clock();
    const today = now.toISOString().slice(0, 10);
    const fromDay = dayOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (FORECAST_WINDOW_DAYS - 1)));
    const source = await this.tracker.summary();
    const window = aggregate(source, fromDay, today);
    const firstDay = [...window.byDay.keys()].sort()[0];
    const daysObserved = firstDay ? Math.round((Date.parse(today) - Date.parse(firstDay)) / DAY_MS) + 1 : 0;
    const windowCost = window.totals[I.cost]!;
    const dailyAverage = daysObserved > 0 ? windowCost / daysObserved : 0;
    const pricedCalls = window.totals[I.records]! - window.totals[I.cacheHits]! - window.totals[I.unpriced]!;
    const monthToDate = aggregate(source, `${today.slice(0, 8)}01`, today).totals[I.cost]!;
    const yearToDate = aggregate(source, `${today.slice(0, 4)}-01-01`, today).totals[I.cost]!;
    const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
    const daysLeftInMonth = daysInMonth - now.getUTCDate();
    const daysInYear = Math.round((Date.UTC(now.getUTCFullYear() + 1, 0, 1) - Date.UTC(now.getUTCFullYear(), 0, 1)) / DAY_MS);
    const dayOfYear = Math.round((Date.parse(today) - Date.UTC(now.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    const confidence = daysObserved >= 14 && pricedCalls >= 100 ? 'high' : daysObserved >= 7 && pricedCalls >= 30 ? 'medium' : 'low';
    return {
      priceTableVersion: this.tracker.priceTable.version,
      window: { fromDay, toDay: today, daysObserved, records: window.totals[I.records]!, pricedCalls },
      dailyAverage,
      monthToDate,
      projectedMonth: monthToDate + dailyAverage * daysLeftInMonth,
      yearToDate,
      projectedYear: yearToDate + dailyAverage * (daysInYear - dayOfYear),
      runRate: { monthly: dailyAverage * 30, yearly: dailyAverage * 365 },
      confidence,
      confidenceRule: CONFIDENCE_RULE,
      unpricedCalls: window.totals[I.unpriced]!,
      unpricedModels: [...window.byModel]
        .filter(([, bucket]) => bucket[I.unpriced]! > 0)
        .map(([model]) => model)
        .sort(),
    };
  }

  async optimize(query: PeriodQuery = {}): Promise<OptimizeReport> {
    const period = resolvePeriod(query, this.clock());
    const { aggregate: result, source } = await this.load(period);
    const summary = summaryOf(result, period, source, this.tracker.priceTable);
    return { period: summary.period, advice: adviceFor(summary, result, this.tracker.priceTable), thresholds: ADVICE_THRESHOLDS };
  }

  async budget(): Promise<{ budgets: Budgets; limits: BudgetStatus[] }> {
    return this.tracker.budgetStatus();
  }
}

function adviceFor(summary: CostSummary, result: Aggregate, priceTable: PriceTable): OptimizationAdvice[] {
  const t = ADVICE_THRESHOLDS;
  const advice: OptimizationAdvice[] = [];
  const totals = summary.totals;
  const generations = totals.cacheHits + totals.requests;

  if (generations >= t.minGenerationsForCacheAdvice && totals.cacheHitRate !== null && totals.cacheHitRate < t.lowCacheHitRate) {
    advice.push({
      code: 'low-cache-hit-rate',
      severity: 'info',
      message: `Only ${(totals.cacheHitRate * 100).toFixed(0)}% of ${generations} generations came from the cache: regenerating identical specs costs money. Keep specs, prompts and theme stable between runs, or share the cache (dspec cache export/import).`,
      numbers: { cacheHits: totals.cacheHits, generations, cacheHitRate: ratio(totals.cacheHitRate), savedUsd: usd(totals.saved) },
    });
  }

  const pricedComponents = summary.byComponent.filter((component) => component.cost > 0);
  const top = pricedComponents[0];
  if (top && pricedComponents.length >= t.minComponentsForDominance && top.share >= t.dominantShare) {
    advice.push({
      code: 'component-dominates-spend',
      severity: 'info',
      message: `${top.name} accounts for ${(top.share * 100).toFixed(0)}% of spend (${formatUsd(top.cost)} of ${formatUsd(totals.cost)}) over ${top.llmCalls} calls: split it into smaller components or check why it needs ${top.repairs} repairs.`,
      numbers: { component: top.name, costUsd: usd(top.cost), totalUsd: usd(totals.cost), share: ratio(top.share), llmCalls: top.llmCalls, repairs: top.repairs },
    });
  }

  const cheaper = priceTable.lookup('claude-sonnet-4-6');
  for (const [key, bucket] of result.byComponentModel) {
    const [component = '', model = ''] = key.split(DIMENSION_SEPARATOR);
    const price = priceTable.lookup(model);
    if (!price || price.tier !== 'premium' || !cheaper) continue;
    const b = breakdownOf(component, bucket, 0);
    const calls = b.llmCalls;
    if (calls < t.minCallsForModelAdvice) continue;
    const averageOutput = b.outputTokens / calls;
    if (averageOutput > t.simpleComponentMaxOutputTokens) continue;
    const alternative = costWith(cheaper, b).totalCost;
    advice.push({
      code: 'premium-model-on-simple-component',
      severity: 'info',
      message: `${component} is generated with ${model} (a premium model) although its answers average ${Math.round(averageOutput)} output tokens: ${cheaper.id} would have cost about ${formatUsd(alternative)} instead of ${formatUsd(b.cost)}.`,
      numbers: { component, model, llmCalls: calls, averageOutputTokens: Math.round(averageOutput), costUsd: usd(b.cost), alternativeModel: cheaper.id, alternativeCostUsd: usd(alternative) },
    });
  }

  if (totals.requests >= t.minRequestsForRepairAdvice && totals.repairRate !== null && totals.repairRate > t.highRepairRate) {
    const worst = summary.byComponent.filter((c) => c.requests > 0).sort((a, b) => b.repairs / b.requests - a.repairs / a.requests)[0];
    advice.push({
      code: 'high-repair-rate',
      severity: 'warning',
      message: `${(totals.repairRate * 100).toFixed(0)}% of generations needed a repair attempt (${totals.repairs} repairs for ${totals.requests} generations)${worst ? `; worst: ${worst.name} (${worst.repairs} for ${worst.requests})` : ''}. Each repair is a full extra call: tighten the prompt or the spec where the gate keeps failing.`,
      numbers: { repairs: totals.repairs, requests: totals.requests, repairRate: ratio(totals.repairRate), worstComponent: worst?.name ?? null, worstComponentRepairs: worst?.repairs ?? null },
    });
  }

  for (const model of summary.byModel) {
    const price = priceTable.lookup(model.name);
    if (!price?.promptCaching || model.llmCalls < t.minCallsForCachingAdvice) continue;
    if (model.cacheReadTokens + model.cacheWriteTokens > 0) continue;
    const potential = (model.inputTokens * (price.input - price.cacheRead)) / 1_000_000;
    advice.push({
      code: 'prompt-caching-unused',
      severity: 'info',
      message: `${model.llmCalls} calls to ${model.name} sent ${model.inputTokens} input tokens with no prompt-cache reads or writes: mark the stable system prompt and catalog context as cacheable (reads cost ${((price.cacheRead / price.input) * 100).toFixed(0)}% of input).`,
      numbers: { model: model.name, llmCalls: model.llmCalls, inputTokens: model.inputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, upperBoundSavingUsd: usd(potential) },
    });
  }

  const attempts = totals.llmCalls;
  if (attempts >= t.minCallsForCachingAdvice && totals.retries / attempts > t.highRetryRate) {
    advice.push({
      code: 'high-retry-rate',
      severity: 'warning',
      message: `${totals.retries} of ${attempts} HTTP attempts were transport retries (rate limits, overload or timeouts): lower concurrency or check the provider's limits.`,
      numbers: { retries: totals.retries, llmCalls: attempts, retryRate: ratio(totals.retries / attempts) },
    });
  }

  if (totals.unpricedCalls > 0) {
    advice.push({
      code: 'unpriced-models',
      severity: 'warning',
      message: `${totals.unpricedCalls} calls used models missing from price table ${priceTable.version} (${summary.unpricedModels.join(', ')}): their cost is not in any total. Add them under "prices" in dspec.config.json.`,
      numbers: { unpricedCalls: totals.unpricedCalls, models: summary.unpricedModels.join(', ') },
    });
  }
  return advice;
}
