import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, issuesFromZod } from '../errors.js';
import { parseJsonText } from '../infra/json.js';
import { EvalSummarySchema, type EvalMetrics, type EvalSummary, type Verdict } from './summary.js';

/** Reads `summary.json` from a run directory (or the file itself). */
export async function loadSummary(target: string): Promise<EvalSummary> {
  const file = target.endsWith('.json') ? target : path.join(target, 'summary.json');
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${file}: ${error.code ?? error.message}`, { suggestion: 'Pass a directory written by `dspec eval --out DIR`.' });
  });
  const parsed = EvalSummarySchema.safeParse(parseJsonText(text, file));
  if (!parsed.success) throw new InputError(`${file} is not a dspec eval summary`, { issues: issuesFromZod(parsed.error.issues) });
  return parsed.data;
}

export interface FigureDifference {
  figure: string;
  a: number | null;
  b: number | null;
  /** b − a; null when either side is unknown. */
  delta: number | null;
  /** Whether a higher value is better (pass rates) or worse (cost, attempts, latency). */
  higherIsBetter: boolean;
}

export interface RunComparison {
  a: { label: string; provider: string; model: string; promptVersions: string[]; trialsPerSpec: number };
  b: { label: string; provider: string; model: string; promptVersions: string[]; trialsPerSpec: number };
  overall: FigureDifference[];
  specs: Array<{ name: string; a: Verdict | null; b: Verdict | null; passAt1: FigureDifference; changed: boolean }>;
  changedVerdicts: number;
  /** The two runs used different suites: only specs in both are compared. */
  suitesDiffer: boolean;
}

const FIGURES: Array<{ figure: string; read: (m: EvalMetrics) => number | null; higherIsBetter: boolean }> = [
  { figure: 'pass@1', read: (m) => m.passAt1, higherIsBetter: true },
  { figure: 'pass within repairs', read: (m) => m.passWithinBudget, higherIsBetter: true },
  { figure: 'pass^k', read: (m) => m.passHatK, higherIsBetter: true },
  { figure: 'mean attempts', read: (m) => m.meanAttempts, higherIsBetter: false },
  { figure: 'cost per trial (USD)', read: (m) => m.cost.perTrial, higherIsBetter: false },
  { figure: 'cost per valid component (USD)', read: (m) => m.cost.perValid, higherIsBetter: false },
  { figure: 'input tokens', read: (m) => m.tokens.input, higherIsBetter: false },
  { figure: 'output tokens', read: (m) => m.tokens.output, higherIsBetter: false },
  { figure: 'latency p50 (ms)', read: (m) => m.latencyMs.p50, higherIsBetter: false },
  { figure: 'latency p95 (ms)', read: (m) => m.latencyMs.p95, higherIsBetter: false },
];

function difference(figure: string, a: number | null, b: number | null, higherIsBetter: boolean): FigureDifference {
  return { figure, a, b, delta: a === null || b === null ? null : Math.round((b - a) * 1e6) / 1e6, higherIsBetter };
}

/** Two runs side by side (model vs model, prompt version vs version): each figure, its change, and the specs whose verdict changed. */
export function compareRuns(a: EvalSummary, b: EvalSummary, labels: { a: string; b: string }): RunComparison {
  const bSpecs = new Map(b.specs.map((spec) => [spec.name, spec]));
  const aNames = new Set(a.specs.map((spec) => spec.name));
  const names = [...a.specs.map((spec) => spec.name), ...b.specs.map((spec) => spec.name).filter((name) => !aNames.has(name))];
  const aSpecs = new Map(a.specs.map((spec) => [spec.name, spec]));
  const specs = names.map((name) => {
    const left = aSpecs.get(name);
    const right = bSpecs.get(name);
    return {
      name,
      a: left?.verdict ?? null,
      b: right?.verdict ?? null,
      passAt1: difference('pass@1', left?.metrics.passAt1 ?? null, right?.metrics.passAt1 ?? null, true),
      changed: (left?.verdict ?? null) !== (right?.verdict ?? null),
    };
  });
  const side = (summary: EvalSummary, label: string) => ({ label, provider: summary.provider, model: summary.model, promptVersions: summary.promptVersions, trialsPerSpec: summary.trialsPerSpec });
  return {
    a: side(a, labels.a),
    b: side(b, labels.b),
    overall: FIGURES.map(({ figure, read, higherIsBetter }) => difference(figure, read(a.overall), read(b.overall), higherIsBetter)),
    specs,
    changedVerdicts: specs.filter((spec) => spec.changed).length,
    suitesDiffer: a.suite.hash !== b.suite.hash,
  };
}
