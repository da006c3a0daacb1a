import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileCache } from '../../src/cache/file-cache.js';
import { verifyCacheEntry } from '../../src/cache/verify-entry.js';
import { Ledger, ledgerFileOf } from '../../src/cost/ledger.js';
import type { LedgerRecord } from '../../src/shapes/ledger-record.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { randomScheduleForFile } from '../helpers/seeded-random.js';
import { BIN, baseEnv, callToolOverHttp, ensureBuilt, reportFigures, resultOf, sleep, startHttpChild, textOf, type HttpChild } from './support/built-server.js';

/**
 * Two built servers on one state directory, one fake Anthropic API, 200 concurrent Tier 2
 * calls over 40 specs and a budget that runs out part-way: every HTTP attempt has exactly one
 * ledger line, no line is lost or duplicated, every cache entry verifies, and the spend of the
 * day never passes the budget however the two processes interleave.
 */

const CALLS = 200;
const DISTINCT_SPECS = 40;
const DAILY_BUDGET_USD = 0.5;
const MODEL = 'claude-sonnet-4-6';

let cwd: string;
let home: string;
let fake: FakeAnthropicServer;
const servers: HttpChild[] = [];
const schedule = randomScheduleForFile('two-servers-shared-home');

beforeAll(async () => {
  ensureBuilt();
  cwd = mkdtempSync(path.join(tmpdir(), 'dspec-two-servers-'));
  home = path.join(cwd, '.dspec');
  fake = await startFakeAnthropicServer();
  for (let i = 0; i < 2 * CALLS; i++) fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
  // The budget is set the way a user sets it: through the CLI.
  execFileSync(process.execPath, [BIN, 'cost', 'budget', '--daily', String(DAILY_BUDGET_USD)], { cwd, env: baseEnv(cwd, { DSPEC_HOME: home }), stdio: 'ignore' });
  const env = baseEnv(cwd, {
    DSPEC_HOME: home,
    ANTHROPIC_API_KEY: 'sk-ant-two-servers',
    ANTHROPIC_BASE_URL: fake.baseURL,
    DSPEC_PROVIDER: 'anthropic',
    DSPEC_MODEL: MODEL,
    // Below the per-server share of the burst, so "busy" answers happen and are retried.
    DSPEC_MAX_CONCURRENT_CALLS: '8',
    DSPEC_LOG_LEVEL: 'info', // the ready banner (and the port) is logged at info
  });
  servers.push(await startHttpChild(cwd, env), await startHttpChild(cwd, env));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await fake?.close();
  rmSync(cwd, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

type Outcome = 'generated' | 'cache_hit' | 'budget' | 'other_error';

describe('two built servers sharing one DSPEC_HOME', () => {
  it(`serve ${CALLS} concurrent Tier 2 calls with nothing lost, nothing doubled, and the budget held`, async () => {
    schedule.reportSeedOnFailure();
    let busyRetries = 0;
    let connectionResets = 0;
    let lockTimeouts = 0;
    const otherErrors: string[] = [];
    const callOnce = async (index: number): Promise<Outcome> => {
      const server = servers[index % 2]!;
      const description = `Reliability spec ${index % DISTINCT_SPECS}: a card showing one key figure with its label and change.`;
      for (;;) {
        let answer: Awaited<ReturnType<typeof callToolOverHttp>>;
        try {
          answer = await callToolOverHttp(server.mcpUrl, 'generate_component', { name: 'StatCard', description, theme: STAT_CARD_THEME });
        } catch (error) {
          // A kept-alive socket the server closed just as the next request went out (the usual
          // keep-alive race, likelier while the first call loads the gate and blocks the loop):
          // the client retries, as MCP clients do. Counted, and allowed for in the checks below.
          connectionResets++;
          expect(String((error as { cause?: { code?: string } }).cause?.code)).toMatch(/ECONNRESET|UND_ERR_SOCKET|EPIPE/);
          continue;
        }
        const { status, body } = answer;
        expect(status).toBe(200);
        const result = resultOf(body);
        if (!result.isError) return (result.structuredContent as { cacheHit: boolean }).cacheHit ? 'cache_hit' : 'generated';
        const text = textOf(result);
        // "busy" is a legitimate answer under a burst, and so is a budget lock not taken in
        // time (the other server's callers held it): both say "retry", and are retried.
        if (/^BUSY\b/.test(text)) {
          if (/budget\.lock/.test(text)) lockTimeouts++;
          else busyRetries++;
          await sleep(100 + schedule.below(200));
          continue;
        }
        if (/budget/i.test(text) && /would be exceeded/.test(text)) return 'budget';
        otherErrors.push(text.slice(0, 300));
        return 'other_error';
      }
    };
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: CALLS }, (_, index) => callOnce(index)));
    const elapsedMs = performance.now() - started;
    const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;

    // Ledger: one line per HTTP attempt the fake received, one per cache hit served, unique ids.
    const lines: LedgerRecord[] = [];
    const scan = await new Ledger(ledgerFileOf(home)).scan((record) => lines.push(record));
    const attemptLines = lines.filter((line) => line.outcome !== 'cache_hit');
    const hitLines = lines.filter((line) => line.outcome === 'cache_hit');
    const ids = new Set(lines.map((line) => line.id));
    const requestIds = new Set(attemptLines.map((line) => line.requestId));

    // Spend per UTC day (a run across midnight splits in two) never passes the daily budget.
    const spendByDay = new Map<string, number>();
    for (const line of lines) spendByDay.set(line.timestamp.slice(0, 10), (spendByDay.get(line.timestamp.slice(0, 10)) ?? 0) + (line.totalCost ?? 0));

    // Cache: every entry verifies.
    const cache = createFileCache({ home });
    const { entries } = await cache.list({ limit: 10_000 });
    for (const record of entries) {
      const entry = await cache.get(record.key);
      expect(entry, `entry ${record.key} was not served`).toBeDefined();
      expect(verifyCacheEntry(structuredClone(entry), record.key).ok).toBe(true);
    }
    const stats = await cache.stats();
    const leftoverReservations = readdirSync(path.join(home, 'reservations')).filter((name) => name.endsWith('.json') && !name.startsWith('.'));

    const figures = {
      calls: CALLS,
      distinctSpecs: DISTINCT_SPECS,
      servers: 2,
      dailyBudgetUsd: DAILY_BUDGET_USD,
      outcomes: { generated: count('generated'), cacheHits: count('cache_hit'), refusedByBudget: count('budget'), otherErrors: count('other_error') },
      busyAnswersRetried: busyRetries,
      connectionResetsRetried: connectionResets,
      budgetLockTimeoutsRetried: lockTimeouts,
      fakeApiAttempts: fake.messageCount,
      ledger: { lines: lines.length, attemptLines: attemptLines.length, cacheHitLines: hitLines.length, uniqueIds: ids.size, corruptLines: scan.corruptLines },
      spendUsd: Math.round([...spendByDay.values()].reduce((a, b) => a + b, 0) * 1e4) / 1e4,
      cacheEntries: entries.length,
      quarantined: stats.quarantined,
      leftoverReservations: leftoverReservations.length,
      elapsedMs: Math.round(elapsedMs),
    };
    reportFigures('two-servers-shared-home', figures);

    expect(otherErrors, otherErrors.join('\n---\n')).toEqual([]);
    expect(scan.corruptLines).toBe(0);
    expect(scan.pendingTailBytes).toBe(0);
    expect(ids.size).toBe(lines.length);
    expect(attemptLines.length).toBe(fake.messageCount);
    expect(requestIds.size).toBe(fake.messageCount);
    expect(attemptLines.every((line) => line.outcome === 'success')).toBe(true);
    // A reset after the server had done the work loses only the answer, never the line.
    expect(attemptLines.length).toBeGreaterThanOrEqual(count('generated'));
    expect(attemptLines.length).toBeLessThanOrEqual(count('generated') + connectionResets);
    expect(hitLines.length).toBeGreaterThanOrEqual(count('cache_hit'));
    expect(hitLines.length).toBeLessThanOrEqual(count('cache_hit') + connectionResets);
    expect(count('generated') + count('cache_hit') + count('budget')).toBe(CALLS);
    // The budget ran out part-way: some calls were refused, some were served.
    expect(count('budget')).toBeGreaterThan(0);
    expect(count('generated')).toBeGreaterThan(0);
    for (const [day, spent] of spendByDay) expect(spent, `spend on ${day}`).toBeLessThanOrEqual(DAILY_BUDGET_USD + 1e-9);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThanOrEqual(DISTINCT_SPECS);
    expect(stats.quarantined).toBe(0);
    expect(leftoverReservations).toEqual([]);
    // The fake's request ids are unique per HTTP request: each appears on exactly one line.
    const recorded = readFileSync(ledgerFileOf(home), 'utf8').match(/"requestId":"req_fake_\d+"/g) ?? [];
    expect(new Set(recorded).size).toBe(recorded.length);
  }, 900_000);

  it('both servers are still healthy afterwards', async () => {
    for (const server of servers) {
      const { body } = await callToolOverHttp(server.mcpUrl, 'cache_stats', {});
      expect(resultOf(body).isError).toBeFalsy();
      expect(server.child.exitCode).toBeNull();
    }
  });
});
