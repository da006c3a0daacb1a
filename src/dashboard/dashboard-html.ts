import type { EvalSummary } from '../eval/summary.js';
import { groupedBarChart, lineChart, stackedBarChart, type ReferenceLine, type Series } from './charts.js';
import type { DashboardData, SpendSeries } from './collect-dashboard.js';
import { failuresByLayerChart } from './eval-run-page.js';
import { escapeHtml } from '../infra/escape-html.js';
import { formatCount, formatPercent, formatUsdShort, page, table } from './html.js';

/** Most days and weeks a time chart shows (the latest ones). */
const MAX_DAYS = 60;
const MAX_WEEKS = 26;
/** Most series a stacked chart shows; the rest are summed as "other". */
const MAX_SERIES = 6;

const usdAxis = (value: number) => (value === 0 ? '$0' : value >= 1 ? `$${value.toFixed(value >= 10 ? 0 : 1)}` : `$${value.toFixed(value >= 0.1 ? 2 : 3)}`);

function topKeys(totals: Map<string, number>, limit: number): { keys: string[]; rest: Set<string> } {
  const sorted = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);
  return { keys: sorted.slice(0, limit), rest: new Set(sorted.slice(limit)) };
}

/** Period × dimension sums as chart series, the largest dimensions first and the tail folded into "other". */
function seriesOf(spend: SpendSeries, periods: string[]): Series[] {
  const totals = new Map<string, number>();
  for (const period of periods) for (const [key, value] of spend.get(period) ?? []) totals.set(key, (totals.get(key) ?? 0) + value);
  const { keys, rest } = topKeys(totals, MAX_SERIES);
  const series: Series[] = keys.map((key) => ({ key, values: periods.map((period) => spend.get(period)?.get(key) ?? 0) }));
  if (rest.size) series.push({ key: 'other', values: periods.map((period) => [...(spend.get(period) ?? [])].filter(([key]) => rest.has(key)).reduce((sum, [, value]) => sum + value, 0)) });
  return series;
}

const shortDay = (day: string) => day.slice(5);

/** Latest run per model × prompt version: the comparison a user makes when choosing either. */
function latestRuns(evals: EvalSummary[]): Array<{ label: string; run: EvalSummary }> {
  const latest = new Map<string, EvalSummary>();
  for (const run of evals) latest.set(`${run.provider} ${run.model} · ${run.promptVersions.join('+') || '?'}`, run);
  return [...latest].map(([label, run]) => ({ label, run }));
}

function evalSection(evals: EvalSummary[]): string {
  if (evals.length === 0) return `<h2>Generation quality (dspec eval)</h2><p class="note">No eval run under the state directory yet: run <code>dspec eval</code> to measure your model.</p>`;
  const runs = latestRuns(evals);
  return [
    `<h2>Generation quality (dspec eval)</h2>`,
    `<div class="grid2">`,
    groupedBarChart({
      title: 'pass@1 and pass^k per model and prompt version',
      rows: runs.map((r) => r.label),
      series: [
        { key: 'pass@1', values: runs.map((r) => r.run.overall.passAt1) },
        { key: 'pass within repairs', values: runs.map((r) => r.run.overall.passWithinBudget) },
        { key: 'pass^k', values: runs.map((r) => r.run.overall.passHatK) },
      ],
      max: 1,
      format: (value) => formatPercent(value),
    }),
    failuresByLayerChart(
      'First failing gate layer per model',
      runs.map((r) => ({ label: r.label, metrics: r.run.overall })),
    ),
    `</div>`,
    table(
      ['finished', 'provider · model · prompt', 'specs × k', 'pass@1', 'pass^k', 'mean attempts', 'cost / valid', 'p95 ms'],
      [...evals]
        .reverse()
        .map((run) => [
          escapeHtml(run.finishedAt.slice(0, 16).replace('T', ' ')),
          escapeHtml(`${run.provider} · ${run.model} · ${run.promptVersions.join(', ')}`),
          `${run.suite.specs} × ${run.trialsPerSpec}${run.complete ? '' : ' (incomplete)'}`,
          formatPercent(run.overall.passAt1),
          formatPercent(run.overall.passHatK),
          run.overall.meanAttempts.toFixed(2),
          formatUsdShort(run.overall.cost.perValid),
          formatCount(run.overall.latencyMs.p95),
        ]),
      { numeric: [3, 4, 5, 6, 7] },
    ),
  ].join('\n');
}

/** The `dspec report` page: spend, budgets, cache, provider health and eval results, all inline. */
export function renderDashboard(data: DashboardData): string {
  const days = data.days.slice(-MAX_DAYS);
  const weeks = data.weeks.slice(-MAX_WEEKS);
  const budgetLine = (label: string, value: number | null): ReferenceLine[] => (value === null ? [] : [{ label, value }]);
  const componentTop = [...data.spend.byComponent].sort((a, b) => b[1] - a[1]).slice(0, 12);
  const providers = [...data.byProvider].sort((a, b) => a[0].localeCompare(b[0]));
  const hitRate = data.totals.cacheHits + data.totals.generations > 0 ? data.totals.cacheHits / (data.totals.cacheHits + data.totals.generations) : null;
  const cards: Array<[string, string]> = [
    ['spent (all time)', formatUsdShort(data.totals.cost)],
    ['saved by the cache', formatUsdShort(data.totals.saved)],
    ['cache hit rate', formatPercent(hitRate)],
    ['generations', formatCount(data.totals.generations)],
    ['cache entries', data.cacheIndex ? formatCount(data.cacheIndex.entries) : '–'],
    ['cache size', data.cacheIndex ? `${(data.cacheIndex.bytes / 2 ** 20).toFixed(1)} MiB` : '–'],
    ['ledger lines', formatCount(data.ledgerLines)],
    ['eval runs', formatCount(data.evals.length)],
  ];
  const body = [
    `<h1>dspec report</h1>`,
    `<p class="meta">${escapeHtml(data.home)} · generated ${escapeHtml(data.generatedAt)}${data.corruptLines ? ` · ${data.corruptLines} damaged ledger line(s) skipped` : ''}${data.totals.unpriced ? ` · ${data.totals.unpriced} call(s) on unpriced models not in the sums` : ''}</p>`,
    `<div class="cards">${cards.map(([label, value]) => `<div class="card"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`).join('')}</div>`,
    `<h2>Spend</h2>`,
    `<div class="grid2">`,
    `<div><h3>Per day, by model</h3>${stackedBarChart({ title: 'Spend per day by model', categories: days, series: seriesOf(data.spend.dayByModel, days), lines: budgetLine('daily', data.budgets.daily), format: usdAxis, label: shortDay })}</div>`,
    `<div><h3>Per week, by provider</h3>${stackedBarChart({ title: 'Spend per week by provider', categories: weeks, series: seriesOf(data.spend.weekByProvider, weeks), lines: budgetLine('weekly', data.budgets.weekly), format: usdAxis, label: shortDay })}</div>`,
    `<div><h3>Per day, by provider</h3>${stackedBarChart({ title: 'Spend per day by provider', categories: days, series: seriesOf(data.spend.dayByProvider, days), lines: budgetLine('daily', data.budgets.daily), format: usdAxis, label: shortDay })}</div>`,
    `<div><h3>By component (all time)</h3>${groupedBarChart({ title: 'Spend by component', rows: componentTop.map(([name]) => name), series: [{ key: 'USD', values: componentTop.map(([, cost]) => cost) }], format: usdAxis })}</div>`,
    `</div>`,
    data.budgets.monthly !== null || Object.keys(data.budgets.components).length
      ? `<p class="note">Budgets: ${[
          data.budgets.daily !== null ? `daily ${formatUsdShort(data.budgets.daily)}` : '',
          data.budgets.weekly !== null ? `weekly ${formatUsdShort(data.budgets.weekly)}` : '',
          data.budgets.monthly !== null ? `monthly ${formatUsdShort(data.budgets.monthly)}` : '',
          ...Object.entries(data.budgets.components).map(([component, limit]) => `${escapeHtml(component)} ${formatUsdShort(limit)}/month`),
        ]
          .filter(Boolean)
          .join(', ')}</p>`
      : '',
    `<h2>Cache</h2>`,
    `<div class="grid2">`,
    `<div><h3>Hit rate per day</h3>${lineChart({
      title: 'Cache hit rate per day',
      categories: days,
      series: [
        {
          key: 'hit rate',
          values: days.map((day) => {
            const c = data.cacheByDay.get(day)!;
            return c.hits + c.generations > 0 ? c.hits / (c.hits + c.generations) : null;
          }),
        },
      ],
      max: 1,
      format: (v) => formatPercent(v),
      label: shortDay,
    })}</div>`,
    `<div><h3>Money saved per day</h3>${stackedBarChart({ title: 'Money saved by the cache per day', categories: days, series: [{ key: 'saved', values: days.map((day) => data.cacheByDay.get(day)!.saved) }], format: usdAxis, label: shortDay })}</div>`,
    `</div>`,
    `<h2>Providers</h2>`,
    groupedBarChart({
      title: 'Retries, failed calls and circuit-breaker openings by provider',
      rows: providers.map(([provider]) => provider),
      series: [
        { key: 'transport retries', values: providers.map(([, h]) => h.retries) },
        { key: 'failed calls', values: providers.map(([, h]) => h.failures) },
        { key: 'breaker openings', values: providers.map(([, h]) => h.breakerOpenings) },
      ],
      format: (value) => formatCount(value),
    }),
    `<p class="note">Breaker openings are replayed from the ledger with the breaker's rule (${data.breakerThreshold} consecutive availability failures per provider and model); with several processes sharing the ledger they are an estimate.</p>`,
    evalSection(data.evals),
  ].join('\n');
  return page('dspec report', body);
}
