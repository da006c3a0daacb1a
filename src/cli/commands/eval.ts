import path from 'node:path';
import { InputError } from '../../errors.js';
import type { ConfigOverrides } from '../../infra/config.js';
import { ExitCode } from '../io.js';
import { usageLine } from '../command-definition.js';
import type { CliCommand, ParsedOptionValues } from '../run-cli.js';

const PROVIDERS = ['anthropic', 'openai-compatible'] as const;

function positiveInteger(value: ParsedOptionValues[string], flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) throw new InputError(`${flag} must be a whole number from 1 to ${max} (got "${String(value)}")`);
  return number;
}

export const evalCommand: CliCommand = {
  words: ['eval'],
  arguments: '[compare <runA/> <runB/>]',
  summary:
    'Measure generation quality: run a suite of component specs through the real Tier 2 pipeline several times each and report pass@1, pass^k, attempts, failing gate layers, tokens, cost and latency (summary.json + report.html in --out).',
  options: {
    suite: { type: 'string', value: 'FILE|DIR', description: 'suite of component specs (default: evals/components.json)' },
    trials: { type: 'string', value: 'N', description: 'runs per spec' },
    concurrency: { type: 'string', value: 'N', description: 'specs generated at once' },
    'max-cost': { type: 'string', value: 'USD', description: 'stop before spending more than this' },
    provider: { type: 'string', value: 'anthropic|openai-compatible', description: 'provider to generate with' },
    model: { type: 'string', value: 'MODEL', description: 'model to generate with' },
    out: { type: 'string', value: 'DIR', description: 'folder for summary.json and report.html' },
    'use-cache': { type: 'boolean', description: 'serve specs from the cache where it has them' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ values, positionals }, io, openRuntime) {
    if (positionals[0] === 'compare') return compare(positionals.slice(1), values, io);
    if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; usage: ${usageLine(this)}`);
    const trials = positiveInteger(values.trials, '--trials', 3, 100);
    const concurrency = positiveInteger(values.concurrency, '--concurrency', 4, 32);
    let maxCostUsd: number | undefined;
    if (values['max-cost'] !== undefined) {
      maxCostUsd = Number(values['max-cost']);
      if (!Number.isFinite(maxCostUsd) || maxCostUsd <= 0) throw new InputError(`--max-cost must be a positive number of US dollars (got "${String(values['max-cost'])}")`);
    }
    const provider = values.provider as string | undefined;
    if (provider !== undefined && !(PROVIDERS as readonly string[]).includes(provider)) throw new InputError(`--provider must be one of ${PROVIDERS.join(', ')} (got "${provider}")`);
    const flags: ConfigOverrides = {
      generation: { ...(provider ? { providers: [provider as (typeof PROVIDERS)[number]] } : {}), ...(typeof values.model === 'string' ? { model: values.model } : {}) },
    };
    const runtime = await openRuntime({ flags });
    const [{ loadSuite }, { defaultSuitePath }, { runEval }] = await Promise.all([import('../../eval/suite.js'), import('../../eval/default-suite.js'), import('../../eval/run-eval.js')]);
    const suite = await loadSuite(typeof values.suite === 'string' ? path.resolve(io.cwd, values.suite) : defaultSuitePath());

    // Ctrl-C stops scheduling and cancels calls in flight; finished trials are already on disk.
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      const { summary, outDir } = await runEval({
        suite,
        trials,
        concurrency,
        maxCostUsd,
        outDir: typeof values.out === 'string' ? values.out : undefined,
        useCache: values['use-cache'] === true,
        runtime,
        signal: controller.signal,
        onTrial: ({ done, total, result }) => {
          if (!values.json)
            io.stderr(
              `[${done}/${total}] ${result.spec} #${result.trial}: ${'valid' in result ? (result.valid ? `valid (${result.attempts} attempt${result.attempts === 1 ? '' : 's'})` : `invalid after ${result.attempts}`) : `no verdict (${result.kind}: ${result.message})`}\n`,
            );
        },
      });
      // The run's page is rendered here, not in eval/: the dashboard reads eval's results, so eval must not import it.
      const [{ renderEvalRunPage }, { writeFileAtomic }] = await Promise.all([import('../../dashboard/eval-run-page.js'), import('../../infra/atomic-write.js')]);
      await writeFileAtomic(path.join(outDir, 'report.html'), renderEvalRunPage(summary));
      if (values.json) io.stdout(`${JSON.stringify({ out: outDir, ...summary }, null, 2)}\n`);
      else {
        const { formatEvalSummary } = await import('../../eval/format-summary.js');
        io.stdout(formatEvalSummary(summary, outDir));
      }
      if (summary.stoppedBy === 'max-cost' || summary.stoppedBy === 'budget')
        io.stderr(`dspec: stopped before every trial ran (${summary.stoppedBy}); raise the limit and run the same command with --out ${outDir} to finish without paying twice\n`);
      return summary.complete ? ExitCode.Ok : ExitCode.Findings;
    } finally {
      process.off('SIGINT', onSignal);
    }
  },
};

async function compare(dirs: string[], values: Record<string, unknown>, io: Parameters<CliCommand['run']>[1]): Promise<number> {
  if (dirs.length !== 2) throw new InputError(`dspec eval compare needs two run directories, got ${dirs.length}`);
  const { loadSummary, compareRuns } = await import('../../eval/compare.js');
  const [a, b] = await Promise.all(dirs.map((dir) => loadSummary(path.resolve(io.cwd, dir))));
  const comparison = compareRuns(a!, b!, { a: dirs[0]!, b: dirs[1]! });
  if (values.json) io.stdout(`${JSON.stringify(comparison, null, 2)}\n`);
  else {
    const { formatComparison } = await import('../../eval/format-summary.js');
    io.stdout(formatComparison(comparison));
  }
  return ExitCode.Ok;
}
