import { appendFileSync, readFileSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryFileOf } from '../../src/cache/cache-paths.js';
import { canonicalJson, cacheKeyOf } from '../../src/cache/canonical-json.js';
import { FileCache } from '../../src/cache/file-cache.js';
import { makeEntry, tempHome } from './entry-fixture.js';

async function filledCache(home: string) {
  const cache = new FileCache({ home });
  const entries = [
    makeEntry({ component: 'Button', seed: 1, createdAt: '2026-11-01T00:00:00.000Z' }),
    makeEntry({ component: 'Button', seed: 2, createdAt: '2026-11-02T00:00:00.000Z', cost: 0.5 }),
    makeEntry({ component: 'Card', seed: 3, createdAt: '2026-11-03T00:00:00.000Z', model: 'gpt-5.4-mini', provider: 'openai' }),
    makeEntry({ component: 'Card', seed: 4, createdAt: '2026-11-03T00:00:00.000Z', model: 'mystery-1', provider: 'local', cost: null }),
    makeEntry({ component: 'Tabs', seed: 5, createdAt: '2026-11-05T00:00:00.000Z' }),
  ];
  for (const entry of entries) await cache.set(entry);
  return { cache, entries };
}

describe('cache index, statistics and listing', () => {
  it('counts entries and bytes by component, model and provider, with oldest and newest', async () => {
    const { cache } = await filledCache(tempHome());
    const stats = await cache.stats();
    expect(stats.entries).toBe(5);
    expect(stats.totalBytes).toBeGreaterThan(1000);
    expect(stats.byComponent.map((c) => [c.name, c.entries])).toEqual([
      ['Button', 2],
      ['Card', 2],
      ['Tabs', 1],
    ]);
    expect(stats.byComponent.find((c) => c.name === 'Card')!.cost).toBeNull(); // one unpriced entry
    expect(stats.byComponent.find((c) => c.name === 'Button')!.cost).toBeCloseTo(0.527);
    expect(stats.byProvider.map((p) => p.name).sort()).toEqual(['anthropic', 'local', 'openai']);
    expect(stats.oldest).toBe('2026-11-01T00:00:00.000Z');
    expect(stats.newest).toBe('2026-11-05T00:00:00.000Z');
    expect(stats.index).toMatchObject({ corruptLines: 0, rebuilt: false, repairedEntries: 0, droppedEntries: 0 });
  });

  it('pages through entries in a stable createdAt-then-key order with an opaque cursor and a component filter', async () => {
    const { cache, entries } = await filledCache(tempHome());
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await cache.list({ limit: 2, cursor });
      expect(page.total).toBe(5);
      seen.push(...page.entries.map((e) => e.key));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const expected = [...entries].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key)).map((e) => e.key);
    expect(seen).toEqual(expected);
    const cards = await cache.list({ component: 'Card' });
    expect(cards.entries.map((e) => e.component)).toEqual(['Card', 'Card']);
    expect(cards.nextCursor).toBeNull();
    await expect(cache.list({ cursor: 'garbage' })).rejects.toThrow(/cursor/);
  });

  it('skips and counts a torn index line, and rebuilds a deleted index from the files', async () => {
    const home = tempHome();
    await filledCache(home);
    const index = path.join(home, 'cache', 'index.jsonl');
    appendFileSync(index, '{"key":"abc","compo');
    const stats = await new FileCache({ home }).stats();
    expect(stats.entries).toBe(5);
    expect(stats.index.corruptLines).toBe(1);
    // The torn line was compacted away.
    expect((await new FileCache({ home }).stats()).index.corruptLines).toBe(0);

    rmSync(index);
    const rebuilt = await new FileCache({ home }).stats();
    expect(rebuilt.entries).toBe(5);
    expect(rebuilt.index.rebuilt).toBe(true);
    expect(readFileSync(index, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('treats the files as the truth: drops lines of removed files and adds files the index missed', async () => {
    const home = tempHome();
    const { entries } = await filledCache(home);
    unlinkSync(entryFileOf(path.join(home, 'cache'), entries[0]!.key));
    const extra = makeEntry({ component: 'Extra', seed: 99 });
    mkdirSync(path.dirname(entryFileOf(path.join(home, 'cache'), extra.key)), { recursive: true });
    writeFileSync(entryFileOf(path.join(home, 'cache'), extra.key), JSON.stringify(extra));
    const stats = await new FileCache({ home }).stats();
    expect(stats.entries).toBe(5);
    expect(stats.index).toMatchObject({ droppedEntries: 1, repairedEntries: 1 });
    expect(stats.byComponent.map((c) => c.name)).toContain('Extra');
  });

  it('clears one component, then everything, from files, memory and index', async () => {
    const home = tempHome();
    const { cache, entries } = await filledCache(home);
    expect(await cache.clear({ component: 'Button' })).toEqual({ removed: 2 });
    expect(await cache.get(entries[0]!.key)).toBeUndefined();
    expect(await cache.get(entries[2]!.key)).toMatchObject({ key: entries[2]!.key });
    expect((await cache.stats()).entries).toBe(3);
    expect(await cache.clear({ all: true })).toEqual({ removed: 3 });
    expect(await cache.get(entries[2]!.key)).toBeUndefined();
    expect((await new FileCache({ home }).stats()).entries).toBe(0);
    expect(readFileSync(path.join(home, 'cache', 'index.jsonl'), 'utf8')).toBe('');
  });
});

describe('canonical JSON keys', () => {
  it('does not depend on key order and matches JSON.parse round trips', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
        expect(cacheKeyOf(reversed)).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });

  it('sorts nested keys, drops undefined, and refuses values JSON cannot carry', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: undefined }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"f":1}]},"b":1}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ n: 1n })).toThrow();
  });
});
