import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/cost/ledger.js';
import type { LedgerRecord } from '../../src/shapes/ledger-record.js';
import { sampleRecord } from './ledger-record-fixture.js';
import { tempHome } from '../cache/entry-fixture.js';
import { buildCostModules, writeChildScript } from './build-child-modules.js';

function runNode(script: string, args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}

describe('the cost ledger under several processes', () => {
  let modules: { dir: string; module: string };
  let appender: string;

  beforeAll(async () => {
    modules = await buildCostModules();
    // Each child appends N records through the real Ledger class; the padding makes lines ~2 KB.
    appender = writeChildScript(
      modules.dir,
      'append.mjs',
      `import { Ledger } from ${JSON.stringify(modules.module)};
const [file, writer, count, fsync] = process.argv.slice(2);
const ledger = new Ledger(file, { fsync: fsync === 'sync' });
for (let i = 0; i < Number(count); i++) {
  await ledger.append({ id: writer + '-' + i, timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, i % 60)).toISOString(), operation: 'generate_component',
    component: 'C' + writer, provider: 'anthropic', model: 'claude-sonnet-4-6', requestId: 'r'.repeat(1500), attempt: 1, retry: 0, outcome: 'success',
    inputTokens: 1000, outputTokens: 500, cacheWriteTokens: 0, cacheReadTokens: 0, inputCost: 0.003, outputCost: 0.0075, totalCost: 0.0105,
    cacheHit: false, costSaved: 0, promptVersion: 'v1', priceTableVersion: '2026-11-01' });
}
`,
    );
  });

  it('keeps every line of 4 processes appending 500 lines each: none lost, torn or interleaved', async () => {
    const file = path.join(tempHome('dspec-ledger-'), 'costs.jsonl');
    const codes = await Promise.all(['a', 'b', 'c', 'd'].map((writer) => runNode(appender, [file, writer, '500', 'nosync'])));
    expect(codes).toEqual([0, 0, 0, 0]);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    // A writer that checks the last byte while another's write is landing may add a harmless blank line.
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(2000);
    const ids = new Set(lines.map((line) => (JSON.parse(line) as LedgerRecord).id));
    expect(ids.size).toBe(2000);
    const scan = await new Ledger(file).scan(() => undefined);
    expect(scan).toMatchObject({ lines: 2000, corruptLines: 0, pendingTailBytes: 0 });
  });

  it('survives the torn line a writer killed mid-append leaves: it is skipped and counted, later appends start a new line', async () => {
    const file = path.join(tempHome('dspec-ledger-'), 'costs.jsonl');
    // Another process's complete lines, then the torn write a SIGKILL can leave, written here:
    // kill timing alone rarely lands inside one write (the next test kills for real).
    expect(await runNode(appender, [file, 'k', '20', 'nosync'])).toBe(0);
    appendFileSync(file, '{"id":"torn-by-crash","timestamp":"2026-11-2');

    const ledger = new Ledger(file, { fsync: false });
    const before = await ledger.scan(() => undefined);
    expect(before.lines).toBe(20);
    expect(before.corruptLines).toBe(0);
    expect(before.pendingTailBytes).toBeGreaterThan(0); // the torn tail is not read as a line yet

    await ledger.append(sampleRecord({ id: 'after-crash' }));
    const seen: string[] = [];
    const after = await ledger.scan((record) => seen.push(record.id));
    expect(after.corruptLines).toBe(1);
    expect(after.lines).toBe(before.lines + 2);
    expect(after.pendingTailBytes).toBe(0);
    expect(seen.at(-1)).toBe('after-crash');
  });

  it('parses a ledger in which a real SIGKILL landed anywhere, never failing', async () => {
    const file = path.join(tempHome('dspec-ledger-'), 'costs.jsonl');
    for (const delay of [150, 300]) {
      const child = spawn(process.execPath, [appender, file, `k${delay}`, '1000000', 'nosync'], { stdio: 'ignore' });
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
    }
    const ledger = new Ledger(file, { fsync: false });
    await ledger.append(sampleRecord({ id: 'last' }));
    const seen: string[] = [];
    const result = await ledger.scan((record) => seen.push(record.id));
    expect(result.corruptLines).toBeLessThanOrEqual(2);
    expect(seen.at(-1)).toBe('last');
  });
});
