import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryFileOf } from '../../src/cache/cache-paths.js';
import { FileCache } from '../../src/cache/file-cache.js';
import { makeEntry, recordingLogger, tempHome } from './entry-fixture.js';

describe('the file cache serves only entries that verify', () => {
  it('returns a stored entry from memory, and from disk to another instance (another process)', async () => {
    const home = tempHome();
    const entry = makeEntry();
    const writer = new FileCache({ home });
    await writer.set(entry);
    expect(await writer.get(entry.key)).toEqual(entry);
    expect((await writer.stats()).process.memoryHits).toBe(1);

    // A disk read enters memory only once its admission (generation: the gate) has passed it.
    const reader = new FileCache({ home });
    const admit = async () => ({ ok: true as const });
    expect(await reader.get(entry.key, { admit })).toEqual(entry);
    expect(await reader.get(entry.key, { admit })).toEqual(entry);
    const stats = await reader.stats();
    expect(stats.process).toMatchObject({ diskHits: 1, memoryHits: 1, memoryMisses: 1 });
    const unjudged = new FileCache({ home });
    expect(await unjudged.get(entry.key)).toEqual(entry);
    expect(await unjudged.get(entry.key)).toEqual(entry);
    expect((await unjudged.stats()).process).toMatchObject({ diskHits: 2, memoryHits: 0, memoryEntries: 0 });
    expect(existsSync(path.join(home, 'cache', entry.key.slice(0, 2), `${entry.key}.json`))).toBe(true);
  });

  it('answers a miss for an unknown or malformed key without touching the disk', async () => {
    const cache = new FileCache({ home: tempHome() });
    expect(await cache.get('0'.repeat(64))).toBeUndefined();
    expect(await cache.get('../../etc/passwd')).toBeUndefined();
  });

  it('hands out frozen entries, so one caller cannot change what the next one gets', async () => {
    const cache = new FileCache({ home: tempHome() });
    const entry = makeEntry();
    await cache.set(entry);
    const got = await cache.get(entry.key);
    expect(() => {
      (got!.value.files[0] as { contents: string }).contents = 'tampered';
    }).toThrow();
    entry.value.files[0]!.contents = 'caller kept mutating its own object';
    expect((await cache.get(entry.key))!.value.files[0]!.contents).not.toContain('mutating');
  });

  it('refuses to store an entry whose key is not the hash of its keyMaterial', async () => {
    const cache = new FileCache({ home: tempHome() });
    const entry = makeEntry();
    await expect(cache.set({ ...entry, keyMaterial: { ...entry.keyMaterial, extra: 1 } })).rejects.toThrow(/keyMaterial/);
  });

  const corruptions: Array<[string, (text: string) => string, RegExp]> = [
    ['unparseable JSON (torn write)', (text) => text.slice(0, text.length / 2), /unparseable/],
    ['a modified bundle', (text) => text.replace('<button', '<button onClick={steal}'), /generationHash/],
    ['a key that does not match keyMaterial', (text) => text.replace('"primary"', '"secondary"'), /keyMaterial/],
    ['a schema violation', (text) => text.replace('"createdAt"', '"created"'), /schema/],
  ];
  for (const [what, corrupt, reason] of corruptions) {
    it(`quarantines a file with ${what}, logs it, counts it and answers a miss`, async () => {
      const home = tempHome();
      const entry = makeEntry();
      await new FileCache({ home }).set(entry);
      const file = entryFileOf(path.join(home, 'cache'), entry.key);
      writeFileSync(file, corrupt(readFileSync(file, 'utf8')));

      const logger = recordingLogger();
      const cache = new FileCache({ home, logger });
      expect(await cache.get(entry.key)).toBeUndefined();
      expect(existsSync(file)).toBe(false);
      const quarantined = readdirSync(path.join(home, 'cache', 'quarantine'));
      expect(quarantined.filter((name) => name.endsWith('.json'))).toHaveLength(1);
      expect(logger.warnings).toHaveLength(1);
      expect(String(logger.warnings[0]!.details.reason)).toMatch(reason);
      const stats = await cache.stats();
      expect(stats.quarantined).toBe(1);
      expect(stats.process.quarantined).toBe(1);
      expect(stats.entries).toBe(0);
      expect(await cache.get(entry.key)).toBeUndefined();
    });
  }

  it("quarantines a valid entry stored under another key's file name", async () => {
    const home = tempHome();
    const a = makeEntry({ seed: 'a' });
    const b = makeEntry({ seed: 'b' });
    const cache = new FileCache({ home });
    await cache.set(a);
    mkdirSync(path.join(home, 'cache', b.key.slice(0, 2)), { recursive: true });
    writeFileSync(entryFileOf(path.join(home, 'cache'), b.key), readFileSync(entryFileOf(path.join(home, 'cache'), a.key)));
    expect(await new FileCache({ home }).get(b.key)).toBeUndefined();
    expect(await new FileCache({ home }).get(a.key)).toEqual(a);
  });
});
