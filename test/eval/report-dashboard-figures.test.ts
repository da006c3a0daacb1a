import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { breakerOpenings, streakKeyOf, visitStreak, type BreakerStreaks } from '../../src/cost/breaker-streaks.js';
import { collectDashboard } from '../../src/dashboard/collect-dashboard.js';
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
    const streaks: BreakerStreaks = new Map();
    const visit = (outcome: string, category?: string, model = 'm') => visitStreak(streaks, streakKeyOf('p', model), outcome, category);
    visit('error', 'server');
    visit('success');
    visit('error', 'server');
    visit('error', 'auth');
    visit('error', 'timeout');
    visit('error', 'server', 'other');
    visit('cache_hit');
    visit('error', 'overloaded');
    // server, (closed by success), server, auth (neutral), timeout → opens; other model's single failure does not;
    // a cache hit is neutral; overloaded while open → failed probe, opens again.
    expect(breakerOpenings(streaks, 2).get('p')).toBe(2);
    expect(breakerOpenings(streaks, 1).get('p')).toBe(5);
    expect(breakerOpenings(streaks, 4).has('p')).toBe(false);
  });

  it('gives the same openings for every threshold as replaying the breaker line by line (seeded random ledgers)', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const outcomes = ['success', 'invalid', 'error', 'error', 'error', 'cache_hit'];
    const categories = ['server', 'timeout', 'rate_limit', 'auth', 'refused', undefined];
    for (let round = 0; round < 20; round++) {
      const events = Array.from({ length: 400 }, () => ({
        provider: random() < 0.5 ? 'a' : 'b',
        model: random() < 0.5 ? 'x' : 'y',
        outcome: outcomes[Math.floor(random() * outcomes.length)]!,
        category: categories[Math.floor(random() * categories.length)],
      }));
      const streaks: BreakerStreaks = new Map();
      for (const e of events) visitStreak(streaks, streakKeyOf(e.provider, e.model), e.outcome, e.outcome === 'error' ? e.category : undefined);
      for (const threshold of [1, 2, 3, 5]) {
        // The breaker's rule, applied line by line.
        const consecutive = new Map<string, number>();
        const expected = new Map<string, number>();
        for (const e of events) {
          const key = `${e.provider}/${e.model}`;
          if (e.outcome === 'cache_hit') continue;
          if (e.outcome !== 'error') consecutive.set(key, 0);
          else if (e.category && ['server', 'timeout', 'rate_limit'].includes(e.category)) {
            const count = (consecutive.get(key) ?? 0) + 1;
            consecutive.set(key, count);
            if (count >= threshold) expected.set(e.provider, (expected.get(e.provider) ?? 0) + 1);
          }
        }
        expect(breakerOpenings(streaks, threshold)).toEqual(expected);
      }
    }
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
