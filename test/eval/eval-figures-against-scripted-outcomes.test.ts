import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/eval/run-eval.js';
import { loadSuite } from '../../src/eval/suite.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { CALLS, COST_PER_CALL, fakeEnv, scratch, stepsFor, testConfig, writeSuite, type Behaviour } from './support.js';
import { testRuntime } from '../helpers/test-runtime.js';

/**
 * The harness against known truth: three specs whose every trial passes at once, needs one
 * repair, or never passes, through the real pipeline and gate against the fake Anthropic API.
 */
const SPECS: Array<{ name: string; behaviour: Behaviour; tags: string[] }> = [
  { name: 'AlphaPanel', behaviour: 'passes', tags: ['display'] },
  { name: 'BetaPanel', behaviour: 'one-repair', tags: ['display', 'form'] },
  { name: 'GammaPanel', behaviour: 'never', tags: ['form'] },
];

// The first trial warms the gate (TypeScript, ESLint, stylelint): seconds on a loaded machine.
const GENEROUS = { timeout: 600_000 };

describe('dspec eval figures', () => {
  let fake: FakeAnthropicServer;
  beforeAll(async () => {
    fake = await startFakeAnthropicServer();
  });
  afterAll(async () => {
    await fake.close();
  });

  async function run(cwd: string, trials: number, options: { out: string; maxCostUsd?: number; from?: number } = { out: 'run' }) {
    // Concurrency 1: the fake answers in order, so each trial meets its own scripted answers.
    for (const spec of SPECS) for (let trial = options.from ?? 1; trial <= trials; trial++) fake.enqueue(...stepsFor(spec.name, spec.behaviour));
    const suite = await loadSuite(writeSuite(cwd, SPECS));
    return runEval({
      suite,
      trials,
      concurrency: 1,
      maxCostUsd: options.maxCostUsd,
      outDir: options.out,
      runtime: testRuntime({ config: testConfig(cwd, fake.baseURL), cwd, env: fakeEnv(fake.baseURL) }),
    });
  }

  it('3 specs × 3 trials: pass@1, pass within repairs, pass^k, attempts, first failing layer, tokens and cost are exact', GENEROUS, async () => {
    fake.reset();
    const cwd = scratch();
    const { summary, outDir } = await run(cwd, 3);
    const calls = 3 * (CALLS.passes + CALLS['one-repair'] + CALLS.never);
    expect(fake.messageCount).toBe(calls);
    expect(fake.pending).toBe(0);

    expect(summary).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6', trialsPerSpec: 3, maxAttempts: 3, complete: true, stoppedBy: null, errors: [] });
    expect(summary.promptVersions).toHaveLength(1);
    const o = summary.overall;
    expect(o.trials).toBe(9);
    expect(o.valid).toBe(6);
    expect(o.passAt1).toBeCloseTo(3 / 9, 4);
    expect(o.passWithinBudget).toBeCloseTo(6 / 9, 4);
    expect(o.passHatK).toBeCloseTo(2 / 3, 4);
    expect(o.meanAttempts).toBe(2);
    expect(o.firstFailureByLayer).toEqual({ schema: 3, 'design-system': 3 });
    expect(o.topCodes).toEqual(expect.arrayContaining([{ layer: 'design-system', code: 'colour-literal', count: 3 }]));
    // The schema failure's own code, read back from the failed-output file (not the placeholder `answer-rejected`).
    expect(o.topCodes.find((c) => c.layer === 'schema')?.code).toBe('answer-invalid_type');
    expect(o.tokens).toEqual({ input: 1000 * calls, output: 500 * calls, cacheWrite: 0, cacheRead: 0 });
    expect(o.cost.total).toBeCloseTo(COST_PER_CALL * calls, 6);
    expect(o.cost.perTrial).toBeCloseTo((COST_PER_CALL * calls) / 9, 6);
    expect(o.cost.perValid).toBeCloseTo((COST_PER_CALL * calls) / 6, 6);
    expect(o.latencyMs.p50).not.toBeNull();
    expect(o.latencyMs.p95!).toBeGreaterThanOrEqual(o.latencyMs.p50!);

    const bySpec = Object.fromEntries(summary.specs.map((spec) => [spec.name, spec]));
    expect(bySpec.AlphaPanel).toMatchObject({ verdict: 'pass', metrics: { passAt1: 1, passWithinBudget: 1, passHatK: 1, meanAttempts: 1, firstFailingLayer: null } });
    expect(bySpec.BetaPanel).toMatchObject({ verdict: 'pass', metrics: { passAt1: 0, passWithinBudget: 1, passHatK: 1, meanAttempts: 2, firstFailingLayer: 'design-system' } });
    expect(bySpec.GammaPanel).toMatchObject({ verdict: 'fail', metrics: { passAt1: 0, passWithinBudget: 0, passHatK: 0, meanAttempts: 3, firstFailingLayer: 'schema' } });
    expect(bySpec.GammaPanel!.metrics.cost.perValid).toBeNull();
    expect(bySpec.BetaPanel!.metrics.cost.total).toBeCloseTo(3 * 2 * COST_PER_CALL, 6);
    expect(summary.byTag.form).toMatchObject({ trials: 6, valid: 3, passHatK: 0.5 });

    // Every finished trial is on disk, with its attempt log; the ledger holds every call.
    const beta = JSON.parse(readFileSync(path.join(outDir, 'trials', 'BetaPanel.2.json'), 'utf8'));
    expect(beta.attemptLog.map((a: { outcome: string; layer: string | null }) => [a.outcome, a.layer])).toEqual([
      ['invalid', 'design-system'],
      ['success', null],
    ]);
    const ledger = readFileSync(path.join(cwd, '.dspec/costs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(ledger).toHaveLength(calls);
    expect(new Set(ledger.map((record) => record.operation))).toEqual(new Set(['eval']));
    // eval writes data only; `dspec eval` renders report.html from it (eval-cli-end-to-end checks the page).
    expect(existsSync(path.join(outDir, 'report.html'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(outDir, 'summary.json'), 'utf8'))).toEqual(summary);
    expect(JSON.parse(readFileSync(path.join(cwd, '.dspec/evals/latest.json'), 'utf8')).run).toBe(outDir);
  });

  it('resumes from --out: finished trials are kept and never paid for again', GENEROUS, async () => {
    fake.reset();
    const cwd = scratch();
    await run(cwd, 2);
    const firstCalls = fake.messageCount;
    expect(firstCalls).toBe(2 * 6);
    const { summary } = await run(cwd, 3, { out: 'run', from: 3 });
    expect(fake.messageCount - firstCalls).toBe(6);
    expect(fake.pending).toBe(0);
    expect(summary.overall).toMatchObject({ trials: 9, valid: 6, meanAttempts: 2 });
    expect(summary.overall.cost.total).toBeCloseTo(COST_PER_CALL * 18, 6);
  });

  it('--max-cost is enforced before each call: a cap below one call’s worst case makes no call', GENEROUS, async () => {
    fake.reset();
    const cwd = scratch();
    const { summary } = await run(cwd, 1, { out: 'capped', maxCostUsd: 0.01 });
    expect(fake.messageCount).toBe(0);
    expect(summary).toMatchObject({ complete: false, stoppedBy: 'max-cost' });
    expect(summary.errors[0]).toMatchObject({ kind: 'budget' });
    expect(summary.overall.trials).toBe(0);
  });

  it('refuses to resume a directory that holds another model’s run', GENEROUS, async () => {
    fake.reset();
    const cwd = scratch();
    await run(cwd, 1);
    const suite = await loadSuite(writeSuite(cwd, SPECS));
    const config = testConfig(cwd, fake.baseURL);
    config.generation.model = 'claude-opus-4-6';
    await expect(runEval({ suite, trials: 1, concurrency: 1, outDir: 'run', runtime: testRuntime({ config, cwd, env: fakeEnv(fake.baseURL) }) })).rejects.toThrow(/another model/);
  });
});
