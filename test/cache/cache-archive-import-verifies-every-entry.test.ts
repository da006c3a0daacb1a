import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { entryArchiveNameOf } from '../../src/cache/cache-paths.js';
import { FileCache } from '../../src/cache/file-cache.js';
import { makeEntry, tempHome } from './entry-fixture.js';

/** Writes files (name → text) into a staging directory and packs them, names as given. */
async function archiveOf(files: Record<string, string>, extra: (staging: string) => string[] = () => []): Promise<{ file: string; staging: string }> {
  const root = tempHome('dspec-archive-');
  const staging = path.join(root, 'staging');
  mkdirSync(staging);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(staging, name)), { recursive: true });
    writeFileSync(path.join(staging, name), text);
  }
  const names = [...Object.keys(files), ...extra(staging)];
  const file = path.join(root, 'bundle.tar.gz');
  await tar.create({ gzip: true, file, cwd: staging, preservePaths: true, portable: true }, names);
  return { file, staging: root };
}

describe('cache export and import', () => {
  it('round-trips every entry into an empty cache, and a second import finds them present', async () => {
    const source = new FileCache({ home: tempHome() });
    const entries = [makeEntry({ component: 'Button', seed: 1 }), makeEntry({ component: 'Card', seed: 2 }), makeEntry({ component: 'Tabs', seed: 3 })];
    for (const entry of entries) await source.set(entry);
    const out = path.join(tempHome('dspec-export-'), 'nested', 'bundle.tar.gz');
    expect(await source.exportArchive(out)).toMatchObject({ exported: 3 });
    expect(readdirSync(path.dirname(out))).toEqual(['bundle.tar.gz']); // no temp file left behind

    const target = new FileCache({ home: tempHome() });
    expect(await target.importArchive(out)).toEqual({ imported: 3, alreadyPresent: 0, skipped: [] });
    for (const entry of entries) expect(await new FileCache({ home: target.paths.root.replace(/\/cache$/, '') }).get(entry.key)).toEqual(entry);
    expect((await target.stats()).entries).toBe(3);
    expect(await target.importArchive(out)).toEqual({ imported: 0, alreadyPresent: 3, skipped: [] });
  });

  it('skips a modified value, a wrong key, a misplaced shard, path traversal, an absolute path and a symlink, each with a reason', async () => {
    const good = makeEntry({ seed: 'good' });
    const modified = makeEntry({ seed: 'modified' });
    const tamperedText = JSON.stringify(modified).replace('<button', '<button onClick={steal}');
    const other = makeEntry({ seed: 'other' });
    const wrongShard = `${other.key.slice(0, 2) === 'ff' ? 'fe' : 'ff'}/${other.key}.json`;
    const victim = path.join(tempHome('dspec-victim-'), 'escaped.json');
    const { file } = await archiveOf(
      {
        [entryArchiveNameOf(good.key)]: JSON.stringify(good),
        [entryArchiveNameOf(modified.key)]: tamperedText,
        [entryArchiveNameOf('a'.repeat(64))]: JSON.stringify(other), // valid entry under another key's name
        [wrongShard]: JSON.stringify(other),
        'notes.txt': 'hello',
      },
      (staging) => {
        symlinkSync('/etc/passwd', path.join(staging, 'link.json'));
        const linkName = `${'0'.repeat(2)}/${'0'.repeat(64)}.json`;
        mkdirSync(path.join(staging, '00'), { recursive: true });
        symlinkSync('/etc/passwd', path.join(staging, linkName));
        writeFileSync(path.join(path.dirname(staging), 'escape.json'), JSON.stringify(good));
        writeFileSync(victim, 'original');
        return ['link.json', linkName, '../escape.json', victim];
      },
    );
    const cache = new FileCache({ home: tempHome() });
    const report = await cache.importArchive(file);
    expect(report.imported).toBe(1);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.entry, s.reason]));
    expect(reasons[entryArchiveNameOf(modified.key)]).toMatch(/generationHash/);
    expect(reasons[entryArchiveNameOf('a'.repeat(64))]).toMatch(/stored under|key/);
    expect(reasons[wrongShard]).toMatch(/shard/);
    expect(reasons['notes.txt']).toMatch(/<2 hex>/);
    expect(reasons['00/' + '0'.repeat(64) + '.json']).toMatch(/SymbolicLink/);
    expect(reasons['link.json']).toMatch(/SymbolicLink/);
    expect(reasons['../escape.json']).toMatch(/escapes/);
    expect(Object.entries(reasons).some(([entry, reason]) => entry.endsWith('escaped.json') && /absolute/.test(reason))).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('original');
    expect((await cache.stats()).entries).toBe(1);
    expect(await cache.get(good.key)).toEqual(good);
  });

  it('refuses a missing archive and a file that is not a tarball with an input error, importing nothing', async () => {
    const cache = new FileCache({ home: tempHome() });
    await expect(cache.importArchive('/no/such/archive.tar.gz')).rejects.toThrow(/cannot read/);
    const junk = path.join(tempHome(), 'junk.tar.gz');
    writeFileSync(junk, 'this is not a tar file at all'.repeat(40));
    await expect(cache.importArchive(junk)).rejects.toThrow(/not a readable \.tar\.gz/);
    expect(existsSync(path.join(cache.paths.root, 'index.jsonl'))).toBe(false);
  });
});
