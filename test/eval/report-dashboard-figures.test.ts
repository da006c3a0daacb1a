import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { BreakerReplay, collectDashboard } from '../../src/report/collect-dashboard.js';
import { EXPECTED, makeDashboardHome } from './dashboard-fixture.js';

describe('dspec report: the figures come from the ledger, the cache index, the budgets and the eval runs', () => {
  it('sums spend, cache savings and hit rate, retries and breaker openings as the fixture says', async () => {
    const home = await makeDashboardHome();
    const data = await collectDashboard({ home, breakerThreshold: 5 });
    expect(data.totals.cost).toBeCloseTo(EXPECTED.cost, 9);
    expect(data.totals.saved).toBeCloseTo(EXPECTED.saved, 9);
    const day1 = data.cacheByDay.get('2026-11-16')!;
    expect(day1.hits / (day1.hits + day1.generations)).toBeCloseTo(EXPECTED.day1HitRate, 9);
    expect(data.byProvider.get('anthropic')?.breakerOpenings).toBe(EXPECTED.breakerOpenings.anthropic);
    expect(data.byProvider.get('openai-compatible')?.retries).toBe(EXPECTED.retries['openai-compatible']);
    expect(data.weeks).toEqual(['2026-11-16', '2026-11-23']);
    expect(data.spend.weekByProvider.get('2026-11-16')?.get('openai-compatible')).toBeCloseTo(0.004, 9);
    expect(data.cacheIndex?.entries).toBe(EXPECTED.cacheEntries);
    expect(data.evals).toHaveLength(1);
    expect(data.budgets).toMatchObject({ daily: 0.05, weekly: 0.2 });
  });

  it('replays the breaker: an answered call closes it, non-availability errors do not count', () => {
    const line = (outcome: string, category?: string, model = 'm') => JSON.stringify({ provider: 'p', model, outcome, ...(category ? { errorCategory: category } : {}) });
    const replay = new BreakerReplay(2);
    for (const l of [line('error', 'server'), line('success'), line('error', 'server'), line('error', 'auth'), line('error', 'timeout'), line('error', 'server', 'other'), line('error', 'overloaded')]) replay.visit(l);
    // server, (closed by success), server, auth (neutral), timeout → opens; other model's single failure does not; overloaded while open → failed probe, opens again.
    expect(replay.openings.get('p')).toBe(2);
  });

  it('writes one self-contained page with budgets as lines and every section', async () => {
    const home = await makeDashboardHome();
    let stdout = '';
    const code = await runCli(['report', '-o', 'out/report.html'], { stdout: (t) => void (stdout += t), stderr: () => {}, cwd: home, env: { DSPEC_HOME: home } });
    expect(code).toBe(0);
    const html = readFileSync(path.join(home, 'out/report.html'), 'utf8');
    expect(stdout.trim()).toBe(path.join(home, 'out/report.html'));
    for (const heading of ['Spend', 'Cache', 'Providers', 'Generation quality']) expect(html).toContain(`<h2>${heading}`);
    expect(html).toContain('daily budget');
    expect(html).toContain('weekly budget');
    expect(html).toContain('claude-sonnet-4-6');
    expect(html).toMatch(/<svg[^>]+role="img"/);
    expect(html).not.toMatch(/<script|<link|src=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
  });

  it('exits 2 with one line for an unexpected argument', async () => {
    let stderr = '';
    const code = await runCli(['report', 'extra'], { stdout: () => {}, stderr: (t) => void (stderr += t), cwd: process.cwd(), env: {} });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
