import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { updateBudgets } from '../../src/cost/budgets.js';
import { tempHome } from '../cache/entry-fixture.js';
import { buildCostModules, writeChildScript } from './build-child-modules.js';

function runChild(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('budgets under concurrent processes', () => {
  let script: string;

  beforeAll(async () => {
    const modules = await buildCostModules();
    // Each child reserves, "calls" for a few ms, and records a call that costs exactly its worst case,
    // until a reservation is refused.
    script = writeChildScript(
      modules.dir,
      'spend.mjs',
      `import { createCostTracker } from ${JSON.stringify(modules.module)};
const [home] = process.argv.slice(2);
const tracker = createCostTracker({ home, fsync: false });
const estimate = { operation: 'generate_component', component: 'Button', provider: 'anthropic', model: 'claude-sonnet-4-6', estimatedInputTokens: 10000, maxOutputTokens: 4000 };
let made = 0;
for (;;) {
  let reservation;
  try {
    reservation = await tracker.reserve(estimate);
  } catch (error) {
    if (error.code !== 'BUDGET_EXCEEDED') throw error;
    break;
  }
  made++;
  await new Promise((resolve) => setTimeout(resolve, 2 + ((made * 7 + process.pid) % 9)));
  await tracker.record({ operation: 'generate_component', component: 'Button', provider: 'anthropic', model: 'claude-sonnet-4-6', requestId: null,
    attempt: 1, retry: 0, outcome: 'success', inputTokens: 0, outputTokens: 4000, cacheWriteTokens: 10000, cacheReadTokens: 0,
    cacheHit: false, costSaved: 0, promptVersion: 'v1' }, reservation);
}
process.stdout.write(String(made));
`,
    );
  });

  it('never lets 4 processes together spend past a daily limit', async () => {
    const home = tempHome('dspec-budget-');
    await updateBudgets(home, { daily: 1 }, new Date());
    const results = await Promise.all([1, 2, 3, 4].map(() => runChild(script, [home])));
    for (const result of results) expect(result.stderr).toBe('');
    const made = results.reduce((sum, result) => sum + Number(result.stdout), 0);
    const lines = readFileSync(path.join(home, 'costs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { totalCost: number });
    const spent = lines.reduce((sum, line) => sum + line.totalCost, 0);
    expect(lines).toHaveLength(made);
    expect(spent).toBeLessThanOrEqual(1);
    // Each call costs $0.0975 worst case = actual: exactly 10 fit under $1.
    expect(made).toBe(10);
    expect(readdirSync(path.join(home, 'reservations'))).toEqual([]);
  });
});
