import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { compareRuns } from '../../src/eval/compare.js';
import { computeMetrics, percentile } from '../../src/eval/metrics.js';
import { summarise } from '../../src/eval/run-eval.js';
import { loadSuite } from '../../src/eval/suite.js';
import type { TrialRecord } from '../../src/eval/trial-record.js';
import { scratch } from './support.js';

const SUITE = { path: 'suite.json', hash: 'h', specs: ['Alpha', 'Beta', 'Gamma'].map((name) => ({ name, description: 'd', tags: ['t'], source: 's' })) };

function trial(spec: string, n: number, attempts: number, valid: boolean, model = 'model-a', latencyMs = 100): TrialRecord {
  return {
    version: 1,
    spec,
    trial: n,
    valid,
    attempts,
    provider: 'anthropic',
    model,
    promptVersion: 'component-generation@3',
    attemptLog: Array.from({ length: attempts }, (_, i) => {
      const passed = valid && i === attempts - 1;
      return { attempt: i + 1, outcome: passed ? ('success' as const) : ('invalid' as const), layer: passed ? null : ('types' as const), codes: passed ? [] : ['TS2322'], retries: 0 };
    }),
    tokens: { input: 100 * attempts, output: 50 * attempts, cacheWrite: 0, cacheRead: 0 },
    cost: 0.01 * attempts,
    latencyMs,
    cacheHit: false,
    finishedAt: '2026-11-30T00:00:00.000Z',
  };
}

function run(model: string, trials: TrialRecord[]) {
  return summarise({
    suite: SUITE,
    trials: 2,
    finished: trials,
    errors: [],
    stoppedBy: null,
    provider: { id: 'anthropic', model },
    startedAt: 's',
    finishedAt: 'f',
    maxAttempts: 3,
    useCache: false,
    maxCostUsd: null,
    harnessOverheadMs: null,
  });
}

describe('eval figures, comparison and suites', () => {
  it('percentiles are nearest-rank; cost per valid component counts failed trials too', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile([], 50)).toBeNull();
    const m = computeMetrics([trial('Alpha', 1, 1, true), trial('Alpha', 2, 3, false)], 2);
    expect(m.cost).toMatchObject({ total: 0.04, perTrial: 0.02, perValid: 0.04 });
    expect(m.passHatK).toBe(0);
    expect(m.topCodes).toEqual([{ layer: 'types', code: 'TS2322', count: 1 }]);
  });

  it('compare shows each figure of two runs with its difference, and the specs whose verdict changed', async () => {
    const a = run('model-a', [trial('Alpha', 1, 1, true), trial('Alpha', 2, 1, true), trial('Beta', 1, 3, false), trial('Beta', 2, 2, true), trial('Gamma', 1, 3, false), trial('Gamma', 2, 3, false)]);
    const b = run('model-b', [
      trial('Alpha', 1, 1, true, 'model-b'),
      trial('Alpha', 2, 1, true, 'model-b'),
      trial('Beta', 1, 1, true, 'model-b'),
      trial('Beta', 2, 1, true, 'model-b'),
      trial('Gamma', 1, 2, true, 'model-b'),
      trial('Gamma', 2, 3, false, 'model-b'),
    ]);
    const comparison = compareRuns(a, b, { a: 'runA', b: 'runB' });
    const figure = (name: string) => comparison.overall.find((f) => f.figure === name)!;
    expect(figure('pass@1')).toMatchObject({ a: 0.3333, b: 0.6667, delta: 0.3334 });
    expect(figure('pass^k')).toMatchObject({ a: 0.3333, b: 0.6667 });
    expect(figure('mean attempts')).toMatchObject({ a: 2.167, b: 1.5, higherIsBetter: false });
    expect(comparison.specs.filter((s) => s.changed).map((s) => [s.name, s.a, s.b])).toEqual([
      ['Beta', 'flaky', 'pass'],
      ['Gamma', 'fail', 'flaky'],
    ]);
    expect(comparison.changedVerdicts).toBe(2);

    const dir = scratch();
    for (const [name, summary] of [
      ['runA', a],
      ['runB', b],
    ] as const) {
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, 'summary.json'), JSON.stringify(summary));
    }
    let stdout = '';
    const code = await runCli(['eval', 'compare', 'runA', 'runB'], { stdout: (t) => void (stdout += t), stderr: () => {}, cwd: dir, env: {} });
    expect(code).toBe(0);
    expect(stdout).toContain('model-a');
    expect(stdout).toContain('model-b');
    expect(stdout).toMatch(/2 spec\(s\) changed verdict/);
    expect(stdout).toMatch(/Beta\s+flaky\s+pass/);
  });

  it('a bad suite or a bad flag is one clear line on stderr and exit 2', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify([{ name: 'lowercase', description: '' }]));
    writeFileSync(path.join(dir, 'good.json'), JSON.stringify([{ name: 'Aa', description: 'x' }]));
    writeFileSync(
      path.join(dir, 'dupe.json'),
      JSON.stringify([
        { name: 'Aa', description: 'x' },
        { name: 'Aa', description: 'y' },
      ]),
    );
    await expect(loadSuite(path.join(dir, 'bad.json'))).rejects.toThrow(/not a valid eval suite/);
    await expect(loadSuite(path.join(dir, 'dupe.json'))).rejects.toThrow(/names Aa twice/);
    for (const args of [
      ['eval', '--suite', 'bad.json'],
      ['eval', '--trials', '0'],
      ['eval', '--max-cost', '-1'],
      ['eval', '--provider', 'nope'],
      ['eval', 'compare', 'only-one'],
      ['eval', 'compare', 'x', 'y'],
      ['eval', '--suite', 'good.json'],
    ]) {
      let stderr = '';
      const code = await runCli(args, { stdout: () => {}, stderr: (t) => void (stderr += t), cwd: dir, env: {} });
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    let stderr = '';
    expect(await runCli(['eval', '--suite', 'bad.json'], { stdout: () => {}, stderr: (t) => void (stderr += t), cwd: dir, env: {} })).toBe(2);
    expect(stderr).toMatch(/0\.name: must be a PascalCase component name/);
  });

  it('loads every .json of a suite directory and the shipped suite validates', async () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'suite'));
    writeFileSync(path.join(dir, 'suite', 'a.json'), JSON.stringify([{ name: 'Aa', description: 'x', tags: ['form'] }]));
    writeFileSync(path.join(dir, 'suite', 'b.json'), JSON.stringify([{ name: 'Bb', description: 'y', theme: { color: { primary: { $type: 'color', $value: '#000' } } } }]));
    expect((await loadSuite(path.join(dir, 'suite'))).specs.map((spec) => spec.name)).toEqual(['Aa', 'Bb']);
    const shipped = await loadSuite(path.resolve('evals/components.json'));
    expect(shipped.specs.length).toBeGreaterThanOrEqual(50);
    const tags = new Set(shipped.specs.flatMap((spec) => spec.tags ?? []));
    for (const tag of ['display', 'form', 'composite', 'data-table', 'layout', 'easy', 'medium', 'hard']) expect(tags).toContain(tag);
  });
});
