import type { EvalMetrics, EvalSummary } from '../eval/summary.js';
import { VALIDATION_LAYERS } from '../shapes/finding.js';
import { groupedBarChart } from './charts.js';
import { escapeHtml } from '../infra/escape-html.js';
import { formatCount, formatPercent, formatUsdShort, page, table } from './html.js';

const percent = (value: number) => formatPercent(value);

export function metricCards(metrics: EvalMetrics): string {
  const cards: Array<[string, string]> = [
    ['pass@1', formatPercent(metrics.passAt1)],
    ['pass within repairs', formatPercent(metrics.passWithinBudget)],
    [`pass^k (${metrics.specs} specs)`, formatPercent(metrics.passHatK)],
    ['mean attempts', metrics.meanAttempts.toFixed(2)],
    ['cost per trial', formatUsdShort(metrics.cost.perTrial)],
    ['cost per valid component', formatUsdShort(metrics.cost.perValid)],
    ['tokens in / out', `${formatCount(metrics.tokens.input)} / ${formatCount(metrics.tokens.output)}`],
    ['latency p50 / p95', `${formatCount(metrics.latencyMs.p50)} / ${formatCount(metrics.latencyMs.p95)} ms`],
  ];
  return `<div class="cards">${cards.map(([label, value]) => `<div class="card"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`).join('')}</div>`;
}

export function failuresByLayerChart(title: string, byLayer: ReadonlyArray<{ label: string; metrics: EvalMetrics }>): string {
  const layers = VALIDATION_LAYERS.filter((layer) => byLayer.some((entry) => (entry.metrics.firstFailureByLayer[layer] ?? 0) > 0));
  return groupedBarChart({
    title,
    rows: layers,
    series: byLayer.map((entry) => ({ key: entry.label, values: layers.map((layer) => entry.metrics.firstFailureByLayer[layer] ?? 0) })),
    format: (value) => String(Math.round(value)),
  });
}

/** The page of one eval run (`report.html` in its directory): headline figures, pass rates by tag, failures by layer, and every spec. */
export function renderEvalRunPage(summary: EvalSummary): string {
  const tags = Object.entries(summary.byTag);
  const body = [
    `<h1>dspec eval: ${escapeHtml(summary.provider)} · ${escapeHtml(summary.model)}</h1>`,
    `<p class="meta">prompt ${escapeHtml(summary.promptVersions.join(', ') || '–')} · suite ${escapeHtml(summary.suite.path)} (${summary.suite.specs} specs, ${summary.trialsPerSpec} trials each, up to ${summary.maxAttempts} attempts) · ${escapeHtml(summary.startedAt)} → ${escapeHtml(summary.finishedAt)}${summary.useCache ? ' · cache used' : ''}</p>`,
    summary.complete
      ? ''
      : `<p class="note">Incomplete run${summary.stoppedBy ? ` (stopped: ${escapeHtml(summary.stoppedBy)})` : ''}: ${summary.overall.trials} of ${summary.suite.specs * summary.trialsPerSpec} trials judged. Run the same command with the same --out to finish it.</p>`,
    metricCards(summary.overall),
    '<div class="grid2">',
    groupedBarChart({
      title: 'Pass rates by tag',
      rows: tags.map(([tag]) => tag),
      series: [
        { key: 'pass@1', values: tags.map(([, m]) => m.passAt1) },
        { key: 'within repairs', values: tags.map(([, m]) => m.passWithinBudget) },
        { key: 'pass^k', values: tags.map(([, m]) => m.passHatK) },
      ],
      max: 1,
      format: percent,
    }),
    failuresByLayerChart('First failing gate layer', [{ label: 'trials whose first attempt failed', metrics: summary.overall }]),
    '</div>',
    summary.overall.topCodes.length
      ? `<h2>Most common first-failure findings</h2>${table(
          ['layer', 'code', 'trials'],
          summary.overall.topCodes.map((c) => [escapeHtml(c.layer), `<code>${escapeHtml(c.code)}</code>`, String(c.count)]),
          { numeric: [2] },
        )}`
      : '',
    `<h2>Specs</h2>`,
    table(
      ['spec', 'tags', 'verdict', 'pass@1', 'within repairs', 'mean attempts', 'first failing layer', 'top codes', 'cost / trial', 'p50 ms'],
      summary.specs.map((spec) => [
        escapeHtml(spec.name),
        escapeHtml(spec.tags.join(', ')),
        `<span class="${spec.verdict}">${spec.verdict}</span>`,
        formatPercent(spec.metrics.passAt1),
        formatPercent(spec.metrics.passWithinBudget),
        spec.metrics.meanAttempts.toFixed(2),
        escapeHtml(spec.metrics.firstFailingLayer ?? '–'),
        spec.metrics.topCodes.map((c) => `<code>${escapeHtml(c.code)}</code>×${c.count}`).join(' '),
        formatUsdShort(spec.metrics.cost.perTrial),
        formatCount(spec.metrics.latencyMs.p50),
      ]),
      { numeric: [3, 4, 5, 8, 9] },
    ),
    summary.errors.length
      ? `<h2>Trials without a verdict</h2>${table(
          ['spec', 'trial', 'kind', 'message'],
          summary.errors.map((e) => [escapeHtml(e.spec), String(e.trial), escapeHtml(e.kind), escapeHtml(e.message)]),
        )}`
      : '',
  ].join('\n');
  return page(`dspec eval · ${summary.model}`, body);
}
