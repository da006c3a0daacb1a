import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/cost/ledger.js';
import { streakKeyOf } from '../../src/cost/breaker-streaks.js';
import { emptySummary, foldLine, summariseRange } from '../../src/cost/ledger-summary.js';
import { LedgerLineReader } from '../../src/cost/ledger-line-reader.js';
import { LedgerRecordSchema } from '../../src/shapes/ledger-record.js';
import { tempHome } from '../cache/entry-fixture.js';
import { sampleRecord } from './ledger-record-fixture.js';
import { seededRandom } from '../helpers/seeded-random.js';

function sumsOf(days: ReturnType<typeof emptySummary>['days']) {
  const out: Record<string, number[]> = {};
  for (const [day, byDimensions] of days) for (const [key, bucket] of byDimensions) out[`${day}|${key}`] = bucket.map((v) => Math.round(v * 1e9) / 1e9);
  return out;
}

describe('the fast line reader used by reports', () => {
  it('gives the same sums and breaker streaks as JSON.parse for any field order, escaped strings and odd values', () => {
    const recordArbitrary = fc.record({
      component: fc.oneof(fc.constantFrom('Button', 'Card'), fc.string({ maxLength: 8 })),
      model: fc.constantFrom('claude-sonnet-4-6', 'weird"model', 'back\\slash'),
      attempt: fc.integer({ min: 1, max: 3 }),
      retry: fc.integer({ min: 0, max: 2 }),
      outcome: fc.constantFrom('success', 'invalid', 'error', 'cache_hit' as const),
      errorCategory: fc.option(fc.constantFrom('server', 'timeout', 'auth', 'odd"category', 'back\\slash'), { nil: undefined }),
      inputTokens: fc.nat(100_000),
      totalCost: fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: null }),
      day: fc.integer({ min: 1, max: 28 }),
      shuffle: fc.constantFrom('none', 'reverse', 'component-last'),
    });
    fc.assert(
      fc.property(fc.array(recordArbitrary, { maxLength: 20 }), (inputs) => {
        const fast = emptySummary();
        const reference = emptySummary();
        for (const input of inputs) {
          const record = sampleRecord({
            component: input.component,
            model: input.model,
            attempt: input.attempt,
            retry: input.retry,
            outcome: input.outcome,
            cacheHit: input.outcome === 'cache_hit',
            ...(input.errorCategory === undefined ? {} : { errorCategory: input.errorCategory }),
            inputTokens: input.inputTokens,
            totalCost: input.totalCost,
            timestamp: `2026-11-${String(input.day).padStart(2, '0')}T08:00:00.000Z`,
          });
          const entries = Object.entries(record);
          const ordered =
            input.shuffle === 'reverse'
              ? entries.reverse()
              : input.shuffle === 'component-last'
                ? [...entries.filter(([k]) => k !== 'component'), ...entries.filter(([k]) => k === 'component')]
                : entries;
          const line = JSON.stringify(Object.fromEntries(ordered));
          expect(foldLine(fast.days, line, undefined, fast.streaks)).toBe('folded');
          // Reference: the same fold through a line the fast path must refuse (a leading space), i.e. JSON.parse.
          expect(foldLine(reference.days, ` ${line}`, undefined, reference.streaks)).toBe('folded');
        }
        expect(sumsOf(fast.days)).toEqual(sumsOf(reference.days));
        expect(fast.streaks).toEqual(reference.streaks);
      }),
      { numRuns: 200 },
    );
  });

  it('takes a line only when the schema takes it: every field of LedgerRecordSchema, with wrong, out-of-range, absent and non-JSON values', () => {
    // Raw JSON texts (and a few that are not JSON) put in place of one field's value; `undefined` leaves the field out.
    const badValues: Array<string | undefined> = [
      undefined,
      'null',
      '""',
      '"x"',
      '"a\tb"',
      '"with \\" quote"',
      '0',
      '1',
      '-1',
      '1.5',
      '01',
      '0x10',
      '+1',
      '.5',
      '1e999',
      '2e0',
      'true',
      'false',
      '{}',
      '[]',
      '{"attempt":1}',
    ];
    const fields = Object.keys(LedgerRecordSchema.shape);
    // Every field, optional ones too, in the schema's order: the line our writer emits.
    const sample = sampleRecord({ outcome: 'error', errorCategory: 'server', cacheKey: 'k'.repeat(64) });
    const base = Object.fromEntries(fields.map((field) => [field, sample[field as keyof typeof sample]]));
    const reader = new LedgerLineReader(() => ({ key: 'k', streakKey: 's' }));
    expect(reader.read(JSON.stringify(base))).toMatchObject({ outcome: 'error', errorCategory: 'server', attempt: 1, totalCost: 0.0105 });
    let checked = 0;
    let fastTaken = 0;
    for (const field of fields) {
      for (const raw of [...badValues, JSON.stringify(base[field as keyof typeof base])]) {
        const entries = Object.entries(base).flatMap(([key, value]) => (key !== field ? [[key, JSON.stringify(value)]] : raw === undefined ? [] : [[key, raw]]));
        const line = `{${entries.map(([key, text]) => `${JSON.stringify(key)}:${text}`).join(',')}}`;
        const fast = emptySummary();
        const reference = emptySummary();
        const fastVerdict = foldLine(fast.days, line, undefined, fast.streaks);
        const referenceVerdict = foldLine(reference.days, ` ${line}`, undefined, reference.streaks);
        // The fold also needs a timestamp that is a date, which the schema leaves to readers.
        const parsed = (() => {
          try {
            return LedgerRecordSchema.safeParse(JSON.parse(line));
          } catch {
            return undefined;
          }
        })();
        const foldable = parsed?.success === true && !Number.isNaN(Date.parse(parsed.data.timestamp));
        expect(referenceVerdict === 'folded', `JSON.parse path, ${line}`).toBe(foldable);
        if (reader.read(line)) {
          fastTaken++;
          expect(parsed?.success, `the fast reader took ${line}`).toBe(true);
        }
        expect(fastVerdict, `fast path, ${line}`).toBe(referenceVerdict);
        expect(sumsOf(fast.days), line).toEqual(sumsOf(reference.days));
        expect(fast.streaks, line).toEqual(reference.streaks);
        checked++;
      }
    }
    expect(checked).toBe(fields.length * (badValues.length + 1));
    expect(fastTaken).toBeGreaterThan(fields.length); // each unchanged line, and the variants the schema also takes
  });

  it('reads an escaped error category as JSON.parse does (a breaker-relevant "server" written as \\u0073erver)', () => {
    const errorLine = (category: string) => JSON.stringify(sampleRecord({ outcome: 'error', errorCategory: 'CATEGORY', totalCost: 0 })).replace('"CATEGORY"', category);
    const summary = emptySummary();
    for (const category of ['"\\u0073erver"', '"server"', '"timeout"']) expect(foldLine(summary.days, errorLine(category), undefined, summary.streaks)).toBe('folded');
    expect(summary.streaks.get(streakKeyOf('anthropic', 'claude-sonnet-4-6'))?.current).toBe(3);
  });

  it('counts torn, truncated and non-record lines as corrupt and keeps going', async () => {
    const file = path.join(tempHome('dspec-fast-'), 'costs.jsonl');
    const good = JSON.stringify(sampleRecord());
    writeFileSync(file, [good, good.slice(0, 80), '{"hello":"world"}', good.replace('"attempt":1', '"attempt":0'), 'not json', '', good, ''].join('\n'));
    const summary = await summariseRange(new Ledger(file), null, null);
    expect(summary.lines).toBe(6);
    expect(summary.corruptLines).toBe(4);
  });

  it('hands every line over whole across read and decode boundaries: lines longer than a piece or a read, non-ASCII text', async () => {
    const file = path.join(tempHome('dspec-pieces-'), 'costs.jsonl');
    // Lines of many lengths, so newlines land on and around the 64 KiB piece and 1 MiB read edges.
    const lines: string[] = [];
    const random = seededRandom(7);
    const draw = () => random.next();
    for (let i = 0; lines.join('\n').length < 3.5 * 1024 * 1024; i++) {
      const size = i % 40 === 0 ? 70_000 + Math.floor(draw() * 1_200_000) : Math.floor(draw() * 3000);
      const text = i % 7 === 0 ? `Größe ✓ 日本 ${'é'.repeat(size % 500)}` : 'x'.repeat(size);
      lines.push(JSON.stringify({ i, text }));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const seen: string[] = [];
    const result = await new Ledger(file).scanLines((line) => seen.push(line));
    expect(result.lines).toBe(lines.length);
    expect(seen.length).toBe(lines.length);
    for (let i = 0; i < lines.length; i++) if (seen[i] !== lines[i]) expect.fail(`line ${i} differs (${seen[i]?.length} vs ${lines[i]!.length} characters)`);
  });
});
