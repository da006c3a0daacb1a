import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalSummarySchema } from '../../src/eval/summary.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { assertBuilt, BUILT_BIN } from '../helpers/built-bin.js';
import { CALLS, COST_PER_CALL, fakeEnv, scratch, stepsFor, type Behaviour } from './support.js';

const SUITE = path.resolve('evals/components.json');
const TRIALS = 3;

/** Every 10th spec (from the 4th) never passes, every 4th (from the 2nd) needs one repair, the rest pass at once. */
function behaviourOf(index: number): Behaviour {
  if (index % 10 === 3) return 'never';
  if (index % 4 === 1) return 'one-repair';
  return 'passes';
}

function runBin(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('dspec eval --suite evals/components.json --trials 3, end to end against the fake Anthropic API', () => {
  let fake: FakeAnthropicServer;
  beforeAll(async () => {
    assertBuilt();
    fake = await startFakeAnthropicServer();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('writes summary.json with the scripted truth and a report.html that agrees with it', { timeout: 900_000 }, async () => {
    const specs = JSON.parse(readFileSync(SUITE, 'utf8')) as Array<{ name: string; tags: string[] }>;
    expect(specs.length).toBeGreaterThanOrEqual(50);
    // Concurrency 1: the fake answers in order, so each trial meets its own scripted answers.
    for (const [index, spec] of specs.entries()) for (let trial = 1; trial <= TRIALS; trial++) fake.enqueue(...stepsFor(spec.name, behaviourOf(index)));
    const cwd = scratch('dspec-eval-cli-');
    const env = { PATH: process.env.PATH, HOME: cwd, ...fakeEnv(fake.baseURL) };
    const result = await runBin(['eval', '--suite', SUITE, '--trials', String(TRIALS), '--concurrency', '1', '--out', 'run', '--json'], cwd, env);
    expect(result.code, result.stderr).toBe(0);
    expect(fake.pending).toBe(0);

    const calls = specs.reduce((sum, _, index) => sum + TRIALS * CALLS[behaviourOf(index)], 0);
    const counts = { passes: 0, 'one-repair': 0, never: 0 };
    specs.forEach((_, index) => counts[behaviourOf(index)]++);
    const trials = specs.length * TRIALS;
    const summary = EvalSummarySchema.parse(JSON.parse(readFileSync(path.join(cwd, 'run/summary.json'), 'utf8')));
    expect(JSON.parse(result.stdout).overall).toEqual(summary.overall);
    expect(fake.messageCount).toBe(calls);
    expect(summary.complete).toBe(true);
    expect(summary.overall.trials).toBe(trials);
    expect(summary.overall.passAt1).toBeCloseTo((counts.passes * TRIALS) / trials, 4);
    expect(summary.overall.passWithinBudget).toBeCloseTo(((counts.passes + counts['one-repair']) * TRIALS) / trials, 4);
    expect(summary.overall.passHatK).toBeCloseTo((counts.passes + counts['one-repair']) / specs.length, 4);
    expect(summary.overall.meanAttempts).toBeCloseTo(calls / trials, 3);
    expect(summary.overall.tokens.input).toBe(1000 * calls);
    expect(summary.overall.cost.total).toBeCloseTo(COST_PER_CALL * calls, 5);
    expect(summary.overall.firstFailureByLayer).toEqual({ schema: counts.never * TRIALS, 'design-system': counts['one-repair'] * TRIALS });
    expect(summary.specs.filter((spec) => spec.verdict === 'fail').map((spec) => spec.name)).toEqual(specs.filter((_, i) => behaviourOf(i) === 'never').map((spec) => spec.name));
    expect(Object.keys(summary.byTag)).toEqual(expect.arrayContaining(['display', 'form', 'composite', 'data-table', 'layout']));

    const html = readFileSync(path.join(cwd, 'run/report.html'), 'utf8');
    expect(html).toContain('claude-sonnet-4-6');
    for (const spec of summary.specs) expect(html).toContain(`<td>${spec.name}</td>`);
    expect(html).toContain(`${(summary.overall.passAt1 * 100).toFixed(1)}%`);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});
