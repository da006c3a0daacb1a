import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../src/shapes/ledger-record.js';
import { collectDashboard, type DashboardData } from '../../src/dashboard/collect-dashboard.js';
import { tempHome } from '../cache/entry-fixture.js';
import { sampleRecord } from '../cost/ledger-record-fixture.js';
import { makeDashboardHome } from './dashboard-fixture.js';

let counter = 0;
const line = (overrides: Partial<LedgerRecord>): string => JSON.stringify(sampleRecord({ id: `i${++counter}`, ...overrides }));
const serverError = (timestamp: string) => line({ timestamp, outcome: 'error', errorCategory: 'server', inputTokens: 0, outputTokens: 0, inputCost: 0, outputCost: 0, totalCost: 0 });

/** What the page shows, as plain values. */
function figures(data: DashboardData) {
  return {
    ledgerLines: data.ledgerLines,
    corruptLines: data.corruptLines,
    days: data.days,
    weeks: data.weeks,
    totals: data.totals,
    byComponent: [...data.spend.byComponent],
    dayByModel: [...data.spend.dayByModel].map(([day, byModel]) => [day, [...byModel]]),
    cacheByDay: [...data.cacheByDay],
    byProvider: [...data.byProvider],
  };
}

const indexFile = (home: string) => path.join(home, 'costs.summary.json');
const collect = async (home: string) => figures(await collectDashboard({ home, breakerThreshold: 3 }));
/** The same home read with no index: one pass over the whole ledger. */
async function fresh(home: string) {
  const saved = existsSync(indexFile(home)) ? readFileSync(indexFile(home)) : undefined;
  rmSync(indexFile(home), { force: true });
  const result = await collect(home);
  if (saved) writeFileSync(indexFile(home), saved);
  return result;
}

describe('dspec report keeps the ledger summary index current instead of reading the whole ledger', () => {
  it('writes the index on the first run and then reads only the lines appended since', async () => {
    const home = await makeDashboardHome();
    const ledger = path.join(home, 'costs.jsonl');
    const first = await collect(home);
    const index = JSON.parse(readFileSync(indexFile(home), 'utf8')) as { version: number; offset: number; days: Record<string, Record<string, number[]>> };
    expect(index).toMatchObject({ version: 2, offset: statSync(ledger).size });

    // Three more server errors of the same provider and model, then a success: with threshold 3 the breaker opens once more.
    appendFileSync(
      ledger,
      [serverError('2026-11-24T08:00:00.000Z'), serverError('2026-11-24T08:01:00.000Z'), serverError('2026-11-24T08:02:00.000Z'), line({ timestamp: '2026-11-24T08:03:00.000Z' })].join('\n') + '\n',
    );
    const grown = await collect(home);
    expect(grown.ledgerLines).toBe(first.ledgerLines + 4);
    expect(grown).toEqual(await fresh(home));
    expect(new Map(grown.byProvider).get('anthropic')?.breakerOpenings).toBe(4 + 1); // the fixture's run of six: 6 − 3 + 1 = 4, then one more

    // The page's figures come from the index (a cache of the ledger): a bucket changed there shows.
    const tampered = JSON.parse(readFileSync(indexFile(home), 'utf8')) as typeof index;
    const bucket = Object.values(tampered.days['2026-11-16']!)[0]!;
    bucket[1]! += 1000; // the "cost" field
    writeFileSync(indexFile(home), JSON.stringify(tampered));
    expect((await collect(home)).totals.cost).toBeCloseTo(grown.totals.cost + 1000, 6);
  });

  it('rebuilds the index when the ledger was truncated', async () => {
    const home = await makeDashboardHome();
    const ledger = path.join(home, 'costs.jsonl');
    await collect(home);
    const lines = readFileSync(ledger, 'utf8').trimEnd().split('\n');
    writeFileSync(ledger, lines.slice(0, 5).join('\n') + '\n'); // same file (inode), shorter
    const truncated = await collect(home);
    expect(truncated.ledgerLines).toBe(5);
    expect(truncated).toEqual(await fresh(home));
  });

  it('rebuilds the index when the ledger was rewritten in place with different lines and grew past the stored offset', async () => {
    const home = tempHome('dspec-report-index-');
    const ledger = path.join(home, 'costs.jsonl');
    const day = (i: number) => `2026-11-2${i % 3}T10:00:00.000Z`;
    writeFileSync(ledger, Array.from({ length: 6 }, (_, i) => line({ id: `a${i}`, timestamp: day(i), totalCost: 0.0105 })).join('\n') + '\n');
    await collect(home);
    // Same line lengths, so the stored offset still falls on a line boundary: only the bytes before it tell.
    writeFileSync(ledger, Array.from({ length: 8 }, (_, i) => line({ id: `a${i}`, timestamp: day(i), totalCost: 0.0205 })).join('\n') + '\n');
    const rewritten = await collect(home);
    expect(rewritten.ledgerLines).toBe(8);
    expect(rewritten.totals.cost).toBeCloseTo(8 * 0.0205, 9);
    expect(rewritten).toEqual(await fresh(home));
  });

  it('counts and skips a corrupt line, leaves a torn tail for later, and reads non-ASCII text', async () => {
    const home = tempHome('dspec-report-index-');
    const ledger = path.join(home, 'costs.jsonl');
    writeFileSync(ledger, `${line({ component: 'Café' })}\n{"id":"broken",\n${line({ component: 'Menü' })}\n`);
    const first = await collect(home);
    expect(first).toMatchObject({ ledgerLines: 3, corruptLines: 1 });
    expect(new Map(first.byComponent).get('Café')).toBeCloseTo(0.0105, 9);
    appendFileSync(ledger, line({ component: 'Tail' }).slice(0, 40)); // a writer mid-append: no newline yet
    expect(await collect(home)).toMatchObject({ ledgerLines: 3, corruptLines: 1 });
    appendFileSync(ledger, `${line({ component: 'Tail' }).slice(40)}\n`);
    const completed = await collect(home);
    expect(completed).toMatchObject({ ledgerLines: 4, corruptLines: 1 });
    expect(completed).toEqual(await fresh(home));
  });

  it('ignores an index of another version or one that does not parse', async () => {
    const home = await makeDashboardHome();
    const expected = await fresh(home);
    writeFileSync(indexFile(home), JSON.stringify({ version: 1, ino: 0, offset: 10, lines: 1, corruptLines: 0, days: {} }));
    expect(await collect(home)).toEqual(expected);
    writeFileSync(indexFile(home), '{"version":2,');
    expect(await collect(home)).toEqual(expected);
  });
});
