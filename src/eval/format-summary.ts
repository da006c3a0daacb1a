import { renderTable } from '../infra/text-table.js';
import type { RunComparison } from './compare.js';
import type { EvalSummary } from './summary.js';

const pct = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
const usd = (value: number | null) => (value === null ? '–' : `$${value.toFixed(4)}`);
const num = (value: number | null) => (value === null ? '–' : String(value));

/** The terminal view of a run: the overall figures, then one line per spec. */
export function formatEvalSummary(summary: EvalSummary, outDir: string): string {
  const o = summary.overall;
  const lines = [
    `dspec eval: ${summary.provider} ${summary.model}, prompt ${summary.promptVersions.join(', ') || '–'}, ${summary.suite.specs} specs × ${summary.trialsPerSpec} trials${summary.complete ? '' : ` (incomplete: ${o.trials} judged${summary.stoppedBy ? `, stopped by ${summary.stoppedBy}` : ''})`}`,
    '',
    renderTable(
      ['pass@1', 'within repairs', 'pass^k', 'mean attempts', 'first failing layer', 'tokens in/out', 'cost/trial', 'cost/valid', 'p50 ms', 'p95 ms'],
      [
        [
          pct(o.passAt1),
          pct(o.passWithinBudget),
          pct(o.passHatK),
          o.meanAttempts.toFixed(2),
          o.firstFailingLayer ?? '–',
          `${o.tokens.input}/${o.tokens.output}`,
          usd(o.cost.perTrial),
          usd(o.cost.perValid),
          num(o.latencyMs.p50),
          num(o.latencyMs.p95),
        ],
      ],
    ),
    '',
    renderTable(
      ['spec', 'verdict', 'pass@1', 'within repairs', 'attempts', 'first failing layer', 'top code', 'cost/trial'],
      summary.specs.map((spec) => [
        spec.name,
        spec.verdict,
        pct(spec.metrics.passAt1),
        pct(spec.metrics.passWithinBudget),
        spec.metrics.meanAttempts.toFixed(2),
        spec.metrics.firstFailingLayer ?? '–',
        spec.metrics.topCodes[0]?.code ?? '–',
        usd(spec.metrics.cost.perTrial),
      ]),
    ),
    '',
    `${summary.errors.length ? `${summary.errors.length} trial(s) ended without a verdict (${[...new Set(summary.errors.map((e) => e.kind))].join(', ')}); they run again on resume.\n` : ''}wrote ${outDir}/summary.json and ${outDir}/report.html`,
    '',
  ];
  return lines.join('\n');
}

/** Two runs side by side, then the specs whose verdict changed. */
export function formatComparison(comparison: RunComparison): string {
  const describe = (side: RunComparison['a']) => `${side.provider} ${side.model} (prompt ${side.promptVersions.join(', ') || '–'}, k=${side.trialsPerSpec})`;
  const sign = (delta: number | null, higherIsBetter: boolean) => {
    if (delta === null || delta === 0) return delta === 0 ? '=' : '–';
    const better = delta > 0 === higherIsBetter;
    return `${delta > 0 ? '+' : ''}${Number.isInteger(delta) ? delta : delta.toFixed(4)} ${better ? '(better)' : '(worse)'}`;
  };
  const changed = comparison.specs.filter((spec) => spec.changed);
  return [
    `A: ${comparison.a.label}: ${describe(comparison.a)}`,
    `B: ${comparison.b.label}: ${describe(comparison.b)}`,
    ...(comparison.suitesDiffer ? ['note: the runs used different suites; specs only in one run show "–" on the other side'] : []),
    '',
    renderTable(
      ['figure', 'A', 'B', 'B − A'],
      comparison.overall.map((f) => [f.figure, num(f.a), num(f.b), sign(f.delta, f.higherIsBetter)]),
    ),
    '',
    changed.length
      ? `${changed.length} spec(s) changed verdict:\n${renderTable(
          ['spec', 'A', 'B', 'pass@1 A', 'pass@1 B'],
          changed.map((spec) => [spec.name, spec.a ?? '–', spec.b ?? '–', pct(spec.passAt1.a), pct(spec.passAt1.b)]),
        )}`
      : 'No spec changed verdict.',
    '',
  ].join('\n');
}
