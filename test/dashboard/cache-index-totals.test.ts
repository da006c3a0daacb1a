import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIndexLineWithSchema, readWrittenIndexLine } from '../../src/cache/cache-index.js';
import { readCacheIndexTotals } from '../../src/dashboard/cache-index-totals.js';
import { tempHome } from '../cache/entry-fixture.js';

const key = (n: number) => n.toString(16).padStart(64, '0');
const written = (n: number, model = 'claude-sonnet-4-6', bytes = 4200) =>
  JSON.stringify({ key: key(n), component: 'StatCard', model, provider: 'anthropic', bytes, createdAt: '2026-11-20T10:00:00.000Z', cost: 0.027 });

describe("dspec report reads cache index totals through the cache's own index reader", () => {
  it('the fast path of the index reader accepts only lines JSON.parse and the schema read the same way', () => {
    const lines = [
      written(1),
      written(2, 'gpt-5.4-mini', 0),
      written(3, 'modèle', 17),
      JSON.stringify({ key: key(5), component: 'C', model: 'm', provider: 'p', bytes: 3, createdAt: 't', cost: null }),
      JSON.stringify({ key: key(6), component: 'C', model: 'm', provider: 'p', bytes: 3, createdAt: 't', cost: 1.5e-7 }),
      JSON.stringify({ key: key(3), component: 'Quote "x"', model: 'm', provider: 'p', bytes: 1, createdAt: 't', cost: null }),
      JSON.stringify({ key: key(4), model: 'm\u00e9', bytes: 12 }),
      '{"key":"a","model":"m","bytes":1,"key":"b"}',
      '{"key":"a","model":"m","bytes":1,"key":5}',
      '{"key":"a","model":"m","bytes":01}',
      '{"key":"a","model":"m","bytes":1e3}',
      '{"key":"a","model":"m","bytes":-2.5}',
      '{"key":"a","model":"m","bytes":"1"}',
      '{"key":"a", "model":"m","bytes":1}',
      '{"key":"a","model":"m","bytes":1,"nested":{"model":"n"}}',
      '{"key":"a","model":"m","bytes":1}x',
      '{"key":"a","model":"m","bytes":1,}',
      '{"key":"a","model":"m","bytes":true}',
      '{"key":"a","model":"m\tx","bytes":1}',
      '{"key":"a","model":"m","bytes":1,"flag":tru}',
      '{}',
      '[1]',
      written(7).replace('"cost":0.027', '"cost":1e999'),
      written(8).replace('"bytes":4200', '"bytes":4200.5'),
      written(1).replace('{', `{"key":"${key(2)}",`),
    ];
    // Every prefix of a written line is what a writer killed mid-append leaves behind.
    for (const prefix of Array.from({ length: written(9).length }, (_, i) => written(9).slice(0, i + 1))) lines.push(prefix);
    let fastAccepted = 0;
    for (const text of lines) {
      const fast = readWrittenIndexLine(text);
      if (fast !== undefined) {
        fastAccepted++;
        expect(fast, text).toEqual(parseIndexLineWithSchema(text));
      }
    }
    expect(fastAccepted).toBe(6); // the five lines in the writer's own shape, and the last prefix (the whole line)
    expect(readWrittenIndexLine(written(1))).toEqual({
      key: key(1),
      component: 'StatCard',
      model: 'claude-sonnet-4-6',
      provider: 'anthropic',
      bytes: 4200,
      createdAt: '2026-11-20T10:00:00.000Z',
      cost: 0.027,
    });
    expect(parseIndexLineWithSchema(written(1).replace('{', `{"key":"${key(2)}",`))?.key).toBe(key(1));
    expect(parseIndexLineWithSchema(written(7).replace('"cost":0.027', '"cost":1e999'))).toBeUndefined();
  });

  it('counts the last line per key, skips torn lines and reads UTF-8 text', async () => {
    const file = path.join(tempHome('dspec-report-cache-'), 'index.jsonl');
    writeFileSync(file, [written(1, 'a', 100), written(2, 'modèle', 200), '{"key":"torn",', written(1, 'b', 150), ''].join('\n'));
    const totals = await readCacheIndexTotals(file);
    expect(totals).toEqual({
      entries: 2,
      bytes: 350,
      byModel: new Map([
        ['b', 1],
        ['modèle', 1],
      ]),
    });
    expect(await readCacheIndexTotals(path.join(path.dirname(file), 'missing.jsonl'))).toBeNull();
  });

  it('counts only what the cache counts: a line that is not a cache index record is skipped, as cache_stats skips it', async () => {
    const file = path.join(tempHome('dspec-report-agrees-'), 'index.jsonl');
    // The page once had its own reader, which took a key that is not a hash and a fractional size.
    writeFileSync(file, [written(1, 'a', 100), '{"key":"not-a-hash","model":"b","bytes":5}', written(2, 'b', 10).replace('"bytes":10', '"bytes":2.5'), ''].join('\n'));
    expect(await readCacheIndexTotals(file)).toEqual({ entries: 1, bytes: 100, byModel: new Map([['a', 1]]) });
  });

  it('reads an index past 64 KiB, with lines longer than that and a last line without its newline', async () => {
    const file = path.join(tempHome('dspec-totals-big-'), 'index.jsonl');
    const lines: string[] = [];
    for (let n = 0; n < 3000; n++) lines.push(written(n, n % 3 ? 'claude-sonnet-4-6' : 'gpt-5.4-mini', n));
    // A long model name makes a line longer than a decoding piece; the last one has no newline.
    lines.splice(1500, 0, written(3000, `long-${'m'.repeat(70_000)}`, 5));
    lines.push(written(3001, `last-${'é'.repeat(40_000)}`, 7));
    writeFileSync(file, lines.join('\n'));
    const totals = await readCacheIndexTotals(file);
    expect(totals?.entries).toBe(3002);
    expect(totals?.bytes).toBe((2999 * 3000) / 2 + 5 + 7);
    expect(totals?.byModel.get('gpt-5.4-mini')).toBe(1000);
    expect(totals?.byModel.get(`last-${'é'.repeat(40_000)}`)).toBe(1);
  });
});
