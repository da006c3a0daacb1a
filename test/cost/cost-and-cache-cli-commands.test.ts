import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/run-command.js';
import { FileCache } from '../../src/cache/file-cache.js';
import { createCostTracker } from '../../src/cost/create-cost-tracker.js';
import { sampleCall } from './ledger-record-fixture.js';
import { cacheClearCommand, cacheCommand, cacheExportCommand, cacheImportCommand, cacheListCommand, cacheStatsCommand } from '../../src/cli/commands/cache.js';
import { costBudgetCommand, costCommand, costForecastCommand, costOptimizeCommand, costSummaryCommand } from '../../src/cli/commands/cost.js';
import { makeEntry, tempHome } from '../cache/entry-fixture.js';

async function projectWithSpend() {
  const cwd = tempHome('dspec-cli-');
  const tracker = createCostTracker({ home: path.join(cwd, '.dspec'), fsync: false });
  await tracker.record(sampleCall());
  return cwd;
}

describe('dspec cost', () => {
  it('summary prints a table, or JSON with --json', async () => {
    const cwd = await projectWithSpend();
    const table = await runCaptured(costSummaryCommand, ['--period', 'all'], cwd);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout).toMatch(/cost\s+\$0\.05/);
    const json = await runCaptured(costSummaryCommand, ['--json'], cwd);
    expect(JSON.parse(json.stdout).totals.llmCalls).toBe(1);
    expect(JSON.parse((await runCaptured(costCommand, ['summary', '--json'], cwd)).stdout).totals).toEqual(JSON.parse(json.stdout).totals);
  });

  it('forecast and optimize run on the same ledger', async () => {
    const cwd = await projectWithSpend();
    expect((await runCaptured(costForecastCommand, [], cwd)).stdout).toMatch(/confidence low/);
    expect((await runCaptured(costOptimizeCommand, ['--json'], cwd)).code).toBe(0);
  });

  it('budget sets limits, shows them with spend, and exits 1 once a limit is exceeded', async () => {
    const cwd = await projectWithSpend();
    expect((await runCaptured(costBudgetCommand, [], cwd)).stdout).toMatch(/No budgets set/);
    const set = await runCaptured(costBudgetCommand, ['--daily', '5', '--monthly', '100', '--component', 'Button=0.01', '--alert-at', '70'], cwd);
    expect(set.stdout).toMatch(/daily\s+\$5\.00\s+\$0\.05/);
    expect(set.stdout).toMatch(/component Button \(monthly\)\s+\$0\.01\s+\$0\.05.*EXCEEDED/);
    expect(set.code).toBe(1);
    expect(existsSync(path.join(cwd, '.dspec', 'budgets.json'))).toBe(true);
    const json = JSON.parse((await runCaptured(costBudgetCommand, ['--component', 'Button=off', '--json'], cwd)).stdout);
    expect(json.budgets).toMatchObject({ daily: 5, monthly: 100, components: {}, alertAtPercent: 70 });
  });

  it('answers bad usage with one line on stderr and exit 2', async () => {
    const cwd = await projectWithSpend();
    for (const [command, args] of [
      [costSummaryCommand, ['--period', 'decade']],
      [costSummaryCommand, ['--since', 'soon']],
      [costBudgetCommand, ['--daily', '-3']],
      [costBudgetCommand, ['--component', 'NoAmount']],
      [costCommand, ['nonsense']],
    ] as const) {
      const result = await runCaptured(command, [...args], cwd);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('dspec cache', () => {
  it('stats, list, export, import and clear work end to end', async () => {
    const cwd = tempHome('dspec-cli-');
    const cache = new FileCache({ home: path.join(cwd, '.dspec') });
    for (let i = 0; i < 3; i++) await cache.set(makeEntry({ component: i ? 'Card' : 'Button', seed: i }));

    expect((await runCaptured(cacheStatsCommand, [], cwd)).stdout).toMatch(/^3 cached entries/);
    expect(JSON.parse((await runCaptured(cacheStatsCommand, ['--json'], cwd)).stdout).entries).toBe(3);
    const list = await runCaptured(cacheListCommand, ['--component', 'Card', '--limit', '1'], cwd);
    expect(list.stdout).toMatch(/1 of 2; next page: --cursor /);

    const exported = await runCaptured(cacheExportCommand, ['--output', 'out/cache.tar.gz'], cwd);
    expect(exported).toMatchObject({ code: 0, stdout: 'exported 3 entries to out/cache.tar.gz\n' });
    const other = tempHome('dspec-cli-');
    const imported = await runCaptured(cacheImportCommand, [path.join(cwd, 'out/cache.tar.gz')], other);
    expect(imported).toMatchObject({ code: 0, stdout: 'imported 3, already present 0, skipped 0\n' });

    expect((await runCaptured(cacheClearCommand, ['--component', 'Card'], cwd)).stdout).toBe('removed 2 entries of Card\n');
    expect((await runCaptured(cacheCommand, ['clear', '--all'], cwd)).stdout).toBe('removed 1 entry\n');
    expect(JSON.parse((await runCaptured(cacheListCommand, ['--json'], cwd)).stdout).total).toBe(0);
  }, 180_000); // import runs every entry through the real validation gate (cold start included)

  it('refuses clear without a target, export without --output and import of a missing file, with exit 2', async () => {
    const cwd = tempHome('dspec-cli-');
    for (const [command, args] of [
      [cacheClearCommand, []],
      [cacheClearCommand, ['--all', '--component', 'X']],
      [cacheExportCommand, []],
      [cacheImportCommand, ['missing.tar.gz']],
      [cacheListCommand, ['--limit', 'many']],
    ] as const) {
      const result = await runCaptured(command, [...args], cwd);
      expect(result.code, `${command.words.join(' ')} ${args.join(' ')}`).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
