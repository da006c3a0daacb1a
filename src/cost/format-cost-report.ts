import type { BudgetStatus } from './create-cost-tracker.js';
import type { Budgets } from './budgets.js';
import type { Breakdown, CostSummary, ForecastReport, OptimizeReport } from './cost-report.js';
import { renderTable } from '../infra/text-table.js';
import { formatUsd } from './spend.js';

const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);

function breakdownTable(title: string, rows: Breakdown[], limit = 15): string {
  if (rows.length === 0) return '';
  const shown = rows.slice(0, limit);
  const table = renderTable(
    [title, 'cost', 'share', 'saved', 'calls', 'hits', 'unpriced', 'in tok', 'out tok'],
    shown.map((r) => [r.name || '(none)', formatUsd(r.cost), percent(r.share), formatUsd(r.saved), r.llmCalls, r.cacheHits, r.unpricedCalls, r.inputTokens, r.outputTokens]),
  );
  return `${table}${rows.length > limit ? `\n… ${rows.length - limit} more` : ''}\n`;
}

export function formatSummary(summary: CostSummary): string {
  const t = summary.totals;
  const lines = [
    `Cost summary, ${summary.period.label} (prices ${summary.priceTableVersion})`,
    '',
    renderTable(
      ['total', 'value'],
      [
        ['cost', formatUsd(t.cost)],
        ['saved by cache', formatUsd(t.saved)],
        ['LLM calls', t.llmCalls],
        ['cache hits', t.cacheHits],
        ['cache hit rate', percent(t.cacheHitRate)],
        ['repairs', `${t.repairs} (${percent(t.repairRate)})`],
        ['retries', t.retries],
        ['failed attempts', t.failures],
        // Only when there are some: most ledgers never have one.
        ...(t.abandoned > 0 ? [['  abandoned (charged at worst case)', t.abandoned]] : []),
        ['unpriced calls', t.unpricedCalls],
        ['tokens in / out', `${t.inputTokens} / ${t.outputTokens}`],
        ['cache write / read', `${t.cacheWriteTokens} / ${t.cacheReadTokens}`],
      ],
    ),
    '',
  ];
  if (summary.unpricedModels.length) lines.push(`UNPRICED models (cost missing from totals): ${summary.unpricedModels.join(', ')}`, '');
  for (const [title, rows] of [
    ['component', summary.byComponent],
    ['model', summary.byModel],
    ['provider', summary.byProvider],
    ['operation', summary.byOperation],
  ] as const) {
    const table = breakdownTable(title, rows);
    if (table) lines.push(table);
  }
  if (summary.ledger.corruptLines) lines.push(`${summary.ledger.corruptLines} corrupt or torn ledger line(s) skipped`);
  return `${lines.join('\n').trimEnd()}\n`;
}

export function formatForecast(forecast: ForecastReport): string {
  const lines = [
    `Forecast from ${forecast.window.fromDay} to ${forecast.window.toDay} (${forecast.window.daysObserved} days observed, ${forecast.window.pricedCalls} priced calls): confidence ${forecast.confidence}`,
    '',
    renderTable(
      ['figure', 'USD'],
      [
        ['daily average', formatUsd(forecast.dailyAverage)],
        ['month to date', formatUsd(forecast.monthToDate)],
        ['projected month', formatUsd(forecast.projectedMonth)],
        ['year to date', formatUsd(forecast.yearToDate)],
        ['projected year', formatUsd(forecast.projectedYear)],
        ['run rate / 30 days', formatUsd(forecast.runRate.monthly)],
      ],
    ),
    '',
    `Confidence rule: ${forecast.confidenceRule}`,
  ];
  if (forecast.unpricedCalls) lines.push(`UNPRICED: ${forecast.unpricedCalls} calls (${forecast.unpricedModels.join(', ')}) are not in these figures.`);
  return `${lines.join('\n')}\n`;
}

export function formatOptimize(report: OptimizeReport): string {
  if (report.advice.length === 0) return `No optimisation advice for ${report.period.label}: nothing in the ledger crossed a threshold.\n`;
  const lines = [`Optimisation advice, ${report.period.label}:`, ''];
  for (const item of report.advice) {
    lines.push(`- [${item.severity}] ${item.code}: ${item.message}`);
    lines.push(
      `  numbers: ${Object.entries(item.numbers)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function formatBudget(report: { budgets: Budgets; limits: BudgetStatus[] }): string {
  if (report.limits.length === 0) return 'No budgets set. Set one with: dspec cost budget --daily 5 --monthly 100 [--component Name=10] [--alert-at 80]\n';
  const table = renderTable(
    ['budget', 'limit', 'spent', 'in flight', 'used', 'state'],
    report.limits.map((s) => [s.name, formatUsd(s.limit), formatUsd(s.spent), formatUsd(s.reserved), `${s.percent.toFixed(1)}%`, s.exceeded ? 'EXCEEDED' : s.alert ? 'ALERT' : 'ok']),
  );
  return `${table}\nAlert at ${report.budgets.alertAtPercent}% of a limit. Periods are UTC (week from Monday); component limits are monthly.\n`;
}
