import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTRACT_VARIABLES } from '../catalog/contract.js';
import { defaultThemeCss } from '../catalog/default-theme.js';
import { InputError, ProviderUnavailableError } from '../errors.js';
import type { GenerationTheme } from '../generation/pipeline/generate-component.js';
import { CONFIGURE_PROVIDER_HINT } from '../generation/providers/select-providers.js';
import { writeFileAtomic } from '../infra/atomic-write.js';
import type { Config } from '../infra/config.js';
import { parseJsonText } from '../infra/json.js';
import { generateThemeCss } from '../theme/generate-theme-css.js';
import type { GenerationRuntime } from '../generation/generation-context.js';
import { ThemeCssOptionsSchema } from '../theme/schemas.js';
import { VERSION } from '../version.js';
import { EvalCostGuard } from './cost-guard.js';
import { evalsDirOf } from './paths.js';
import { computeMetrics, verdictOf } from './metrics.js';
import { runTrial } from './run-trial.js';
import type { EvalSummary } from './summary.js';
import type { LoadedSpec, LoadedSuite } from './suite.js';
import { TrialStore } from './trial-store.js';
import type { TrialError, TrialRecord } from './trial-record.js';

export interface EvalOptions {
  suite: LoadedSuite;
  trials: number;
  concurrency: number;
  maxCostUsd?: number | undefined;
  /** Run directory; default `<home>/evals/<time>-<provider>-<model>`. */
  outDir?: string | undefined;
  useCache?: boolean | undefined;
  /** Configuration, providers, cache, ledger and breakers: the caller's, shared with anything else it runs. */
  runtime: GenerationRuntime;
  signal?: AbortSignal | undefined;
  /** After each trial of this invocation, finished or not. */
  onTrial?: ((progress: { done: number; total: number; result: TrialRecord | TrialError }) => void) | undefined;
  now?: () => Date;
}

export interface EvalRun {
  summary: EvalSummary;
  outDir: string;
}

/**
 * Runs every spec of a suite `trials` times through the configured provider's Tier 2 pipeline
 * (the first configured provider only: a fallback would mix two models' figures), at most
 * `concurrency` trials at once, then writes `summary.json` into the run directory (the
 * caller renders its page: eval knows nothing of HTML). Trials already in the directory are kept, not run again.
 */
export async function runEval(options: EvalOptions): Promise<EvalRun> {
  const now = options.now ?? (() => new Date());
  const { config, cwd, home, logger } = options.runtime;
  const [context, gate] = await Promise.all([options.runtime.generation(), options.runtime.gate()]);
  const provider = context.providers.forRequest().find((candidate) => candidate.id !== 'none' && candidate.health().configured);
  if (!provider) {
    const reasons = [...new Set(context.providers.describe().map((health) => health.detail))].join(' ');
    throw new ProviderUnavailableError(`dspec eval needs an LLM provider to measure, and none is usable${reasons ? ` (${reasons})` : ''}`, { suggestion: CONFIGURE_PROVIDER_HINT });
  }
  const maxAttempts = config.generation.maxAttempts;
  const startedAt = now().toISOString();
  const outDir = path.resolve(cwd, options.outDir ?? path.join(evalsDirOf(home), `${startedAt.replace(/[:.]/g, '-')}-${provider.id}-${provider.model}`.replace(/[^A-Za-z0-9._-]/g, '_')));
  const store = new TrialStore(outDir);
  const manifest = await store.open({ version: 1, provider: provider.id, model: provider.model, suiteHash: options.suite.hash, maxAttempts, startedAt });
  const known = new Set(options.suite.specs.map((spec) => spec.name));
  const kept = (await store.load((file) => logger.warn({ file }, 'eval: skipping a damaged trial file; that trial runs again'))).filter(
    (trial) => known.has(trial.spec) && trial.trial <= options.trials,
  );
  const done = new Set(kept.map((trial) => `${trial.spec}#${trial.trial}`));

  const themes = await resolveThemes(options.suite.specs, config);
  const guard = new EvalCostGuard(
    context.costs,
    options.maxCostUsd,
    kept.reduce((sum, trial) => sum + (trial.cost ?? 0), 0),
  );
  const deps = {
    providers: [provider],
    cache: context.cache,
    logger,
    failedDir: context.failedDir,
    config: config.generation,
    examples: context.examples,
    breakers: context.breakers,
    telemetry: context.telemetry,
  };

  const tasks: Array<{ spec: LoadedSpec; trial: number }> = [];
  for (const spec of options.suite.specs) for (let trial = 1; trial <= options.trials; trial++) if (!done.has(`${spec.name}#${trial}`)) tasks.push({ spec, trial });

  const finished: TrialRecord[] = [...kept];
  const errors: TrialError[] = [];
  let stoppedBy: EvalSummary['stoppedBy'] = null;
  let next = 0;
  let completed = 0;
  let generationMs = 0;
  let harnessMs = 0;
  const saves: Array<Promise<void>> = [];
  let saveFailure: Error | undefined;
  const worker = async () => {
    while (next < tasks.length && stoppedBy === null) {
      if (options.signal?.aborted) {
        stoppedBy = 'interrupted';
        break;
      }
      if (!guard.canStartTrial(maxAttempts)) {
        stoppedBy = 'max-cost';
        break;
      }
      const task = tasks[next++]!;
      const started = performance.now();
      const result = await runTrial({
        spec: task.spec,
        theme: themes.get(task.spec)!,
        trial: task.trial,
        deps,
        gate,
        guard,
        useCache: options.useCache ?? false,
        signal: options.signal,
        now,
      });
      if ('valid' in result) {
        // Written while the next trial runs (the fsync is the harness's largest cost); awaited before the summary.
        saves.push(store.save(result).catch((error: unknown) => void (saveFailure ??= error instanceof Error ? error : new Error(String(error)))));
        finished.push(result);
        generationMs += result.latencyMs;
        harnessMs += performance.now() - started;
      } else {
        errors.push(result);
        if (result.kind === 'budget') stoppedBy ??= result.message.startsWith('--max-cost') ? 'max-cost' : 'budget';
        if (result.kind === 'aborted') stoppedBy ??= 'interrupted';
      }
      completed++;
      options.onTrial?.({ done: completed, total: tasks.length, result });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, tasks.length)) }, worker));
  await Promise.all(saves);
  if (saveFailure !== undefined) throw saveFailure;

  const judged = finished.length - kept.length;
  const summary = summarise({
    suite: options.suite,
    trials: options.trials,
    finished,
    errors,
    stoppedBy,
    provider: { id: provider.id, model: provider.model },
    startedAt: manifest.startedAt,
    finishedAt: now().toISOString(),
    maxAttempts,
    useCache: options.useCache ?? false,
    maxCostUsd: options.maxCostUsd ?? null,
    harnessOverheadMs: judged > 0 ? Math.round(((harnessMs - generationMs) / judged) * 100) / 100 : null,
  });
  await writeFileAtomic(path.join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFileAtomic(path.join(evalsDirOf(home), 'latest.json'), `${JSON.stringify({ run: outDir, finishedAt: summary.finishedAt }, null, 2)}\n`);
  return { summary, outDir };
}

export interface SummaryInput {
  suite: LoadedSuite;
  trials: number;
  finished: TrialRecord[];
  errors: TrialError[];
  stoppedBy: EvalSummary['stoppedBy'];
  provider: { id: string; model: string };
  startedAt: string;
  finishedAt: string;
  maxAttempts: number;
  useCache: boolean;
  maxCostUsd: number | null;
  harnessOverheadMs: number | null;
}

/** The figures of a run, per spec, per tag and overall, from its judged trials. */
export function summarise(input: SummaryInput): EvalSummary {
  const bySpec = new Map<string, TrialRecord[]>(input.suite.specs.map((spec) => [spec.name, []]));
  for (const trial of input.finished) bySpec.get(trial.spec)?.push(trial);
  for (const list of bySpec.values()) list.sort((a, b) => a.trial - b.trial);
  const tags = new Map<string, TrialRecord[]>();
  for (const spec of input.suite.specs) {
    for (const tag of spec.tags ?? []) tags.set(tag, [...(tags.get(tag) ?? []), ...bySpec.get(spec.name)!]);
  }
  const specs = input.suite.specs.map((spec) => {
    const trials = bySpec.get(spec.name)!;
    return { name: spec.name, tags: spec.tags ?? [], verdict: verdictOf(trials, input.trials), metrics: computeMetrics(trials, input.trials) };
  });
  return {
    version: 1,
    dspecVersion: VERSION,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    provider: input.provider.id,
    model: input.provider.model,
    promptVersions: [...new Set(input.finished.map((trial) => trial.promptVersion).filter((version): version is string => version !== null))].sort(),
    suite: { path: input.suite.path, hash: input.suite.hash, specs: input.suite.specs.length },
    trialsPerSpec: input.trials,
    maxAttempts: input.maxAttempts,
    useCache: input.useCache,
    maxCostUsd: input.maxCostUsd,
    complete: specs.every((spec) => spec.verdict !== 'incomplete'),
    stoppedBy: input.stoppedBy,
    errors: input.errors,
    harnessOverheadMs: input.harnessOverheadMs,
    overall: computeMetrics(
      input.finished.filter((trial) => bySpec.has(trial.spec)),
      input.trials,
    ),
    byTag: Object.fromEntries([...tags].sort(([a], [b]) => a.localeCompare(b)).map(([tag, trials]) => [tag, computeMetrics(trials, input.trials)])),
    specs,
  };
}

/** Each spec's theme as the gate and the prompt need it; the default theme (contract variables) when it has none. */
async function resolveThemes(specs: readonly LoadedSpec[], config: Config): Promise<Map<LoadedSpec, GenerationTheme>> {
  const byKey = new Map<string, GenerationTheme>();
  const themes = new Map<LoadedSpec, GenerationTheme>();
  for (const spec of specs) {
    if (spec.theme === undefined) {
      themes.set(spec, defaultThemeCss());
      continue;
    }
    const file = typeof spec.theme === 'string' ? path.resolve(path.dirname(spec.source), spec.theme) : undefined;
    const key = file ?? JSON.stringify(spec.theme);
    let theme = byKey.get(key);
    if (!theme) {
      const document = file
        ? parseJsonText(
            await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
              throw new InputError(`${spec.name}: cannot read its theme ${file}: ${error.code ?? error.message}`);
            }),
            file,
          )
        : spec.theme;
      theme = generateThemeCss(document, ThemeCssOptionsSchema.parse({}), { maxTokens: config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES });
      byKey.set(key, theme);
    }
    themes.set(spec, theme);
  }
  return themes;
}
