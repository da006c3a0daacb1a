import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompileCache, compileCacheRootOf } from '../../src/startup/compile-cache.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'dspec-compile-cache-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Real V8 code cache data for `source`, as the loader makes it. */
function codeCacheOf(source: string): Buffer {
  const script = new Script(source);
  script.runInThisContext();
  return script.createCachedData();
}

function cacheFilesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('where the compiled-code cache lives', () => {
  it('is off with DSPEC_COMPILE_CACHE=off or 0, or Node’s NODE_DISABLE_COMPILE_CACHE', () => {
    expect(compileCacheRootOf({ DSPEC_COMPILE_CACHE: 'off' }, 'linux', '/home/ada')).toBeUndefined();
    expect(compileCacheRootOf({ DSPEC_COMPILE_CACHE: '0' }, 'linux', '/home/ada')).toBeUndefined();
    expect(compileCacheRootOf({ NODE_DISABLE_COMPILE_CACHE: '1' }, 'linux', '/home/ada')).toBeUndefined();
  });

  it('is the folder DSPEC_COMPILE_CACHE names, made absolute', () => {
    expect(compileCacheRootOf({ DSPEC_COMPILE_CACHE: 'cache/v8' }, 'linux', '/home/ada')).toBe(path.resolve('cache/v8'));
  });

  it('is otherwise the user’s cache folder of the platform', () => {
    expect(compileCacheRootOf({}, 'linux', '/home/ada')).toBe(path.join('/home/ada', '.cache', 'dspec', 'compile-cache'));
    expect(compileCacheRootOf({ XDG_CACHE_HOME: '/var/cache/ada' }, 'linux', '/home/ada')).toBe(path.join('/var/cache/ada', 'dspec', 'compile-cache'));
    expect(compileCacheRootOf({}, 'darwin', '/Users/ada')).toBe(path.join('/Users/ada', 'Library', 'Caches', 'dspec', 'compile-cache'));
    expect(compileCacheRootOf({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32', 'C:\\Users\\ada')).toBe(path.join('C:\\Users\\ada\\AppData\\Local', 'dspec', 'compile-cache'));
  });
});

describe('the compiled-code cache', () => {
  const source = 'globalThis.__compileCacheProbe = [1, 2, 3].map((n) => n * 2);';

  it('gives back the data kept for the same source, which V8 accepts', () => {
    const cache = new CompileCache({ root, buildId: 'build-a' });
    cache.write('chunk-A.cjs', source, codeCacheOf(source));
    const data = cache.read('chunk-A.cjs', source);
    expect(data).toBeInstanceOf(Buffer);
    expect(new Script(source, { cachedData: data }).cachedDataRejected).toBe(false);
  });

  it('gives nothing for another source of the same length: V8 would accept it and run stale code', () => {
    const cache = new CompileCache({ root, buildId: 'build-a' });
    cache.write('chunk-A.cjs', source, codeCacheOf(source));
    const edited = source.replace('n * 2', 'n * 3');
    expect(edited).toHaveLength(source.length);
    expect(cache.read('chunk-A.cjs', edited)).toBeUndefined();
  });

  it('refuses a damaged or truncated file, and a later write replaces it', () => {
    const cache = new CompileCache({ root, buildId: 'build-a' });
    cache.write('chunk-A.cjs', source, codeCacheOf(source));
    const [file] = cacheFilesUnder(root);
    const bytes = readFileSync(file!);
    const at = bytes.length - 5;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    writeFileSync(file!, bytes);
    expect(cache.read('chunk-A.cjs', source)).toBeUndefined();
    writeFileSync(file!, bytes.subarray(0, 10));
    expect(cache.read('chunk-A.cjs', source)).toBeUndefined();
    cache.write('chunk-A.cjs', source, codeCacheOf(source));
    expect(cache.read('chunk-A.cjs', source)).toBeInstanceOf(Buffer);
  });

  it('keeps each build apart: another build never reads this one’s files', () => {
    new CompileCache({ root, buildId: 'build-a' }).write('chunk-A.cjs', source, codeCacheOf(source));
    expect(new CompileCache({ root, buildId: 'build-b' }).read('chunk-A.cjs', source)).toBeUndefined();
  });

  it.skipIf(process.platform === 'win32')('makes its folder private, and neither reads nor writes one that others may write to', () => {
    const cache = new CompileCache({ root, buildId: 'build-a' });
    cache.write('chunk-A.cjs', source, codeCacheOf(source));
    const directory = cache.directory!;
    expect(readdirSync(directory)).toEqual(['chunk-A.cjs.v8']);
    chmodSync(directory, 0o777);
    const shared = new CompileCache({ root, buildId: 'build-a' });
    expect(shared.read('chunk-A.cjs', source)).toBeUndefined();
    shared.write('chunk-B.cjs', source, codeCacheOf(source));
    expect(readdirSync(directory)).toEqual(['chunk-A.cjs.v8']);
  });

  it('keeps the four most recent builds of a Node version and removes older ones when a new build first writes', () => {
    const builds = ['b1', 'b2', 'b3', 'b4', 'b5'];
    builds.forEach((buildId, index) => {
      const cache = new CompileCache({ root, buildId });
      cache.write('chunk-A.cjs', source, codeCacheOf(source));
      const when = new Date(Date.UTC(2026, 0, 1 + index));
      utimesSync(cache.directory!, when, when);
    });
    const versionFolder = path.dirname(new CompileCache({ root, buildId: 'b1' }).directory!);
    expect(readdirSync(versionFolder).sort()).toEqual(['b2', 'b3', 'b4', 'b5']);
    new CompileCache({ root, buildId: 'b6' }).write('chunk-A.cjs', source, codeCacheOf(source));
    expect(readdirSync(versionFolder).sort()).toEqual(['b3', 'b4', 'b5', 'b6']);
  });

  it('removes another Node version’s caches once unwritten for 30 days, keeps a more recent one, and nothing else in the folder', () => {
    const here = new CompileCache({ root, buildId: 'b1' });
    const oldNode = path.join(root, 'node-10.2.154.26-node.36-x64');
    const recentNode = path.join(root, 'node-12.4.254.21-node.33-x64');
    const notOurs = path.join(root, 'node-modules-backup');
    for (const folder of [oldNode, recentNode, notOurs]) {
      mkdirSync(path.join(folder, 'some-build'), { recursive: true });
      writeFileSync(path.join(folder, 'some-build', 'chunk-A.cjs.v8'), 'x');
    }
    const longAgo = new Date(Date.now() - 31 * 24 * 60 * 60_000);
    for (const folder of [oldNode, path.join(oldNode, 'some-build'), notOurs, path.join(notOurs, 'some-build')]) utimesSync(folder, longAgo, longAgo);
    here.write('chunk-A.cjs', source, codeCacheOf(source));
    expect(readdirSync(root).sort()).toEqual([path.basename(path.dirname(here.directory!)), 'node-12.4.254.21-node.33-x64', 'node-modules-backup'].sort());
  });

  it('reads and writes nothing when off, and an unwritable place is no error', () => {
    const off = new CompileCache({ root: undefined, buildId: 'build-a' });
    off.write('chunk-A.cjs', source, codeCacheOf(source));
    expect(off.read('chunk-A.cjs', source)).toBeUndefined();
    const blocker = path.join(root, 'a-file');
    writeFileSync(blocker, '');
    const unwritable = new CompileCache({ root: path.join(blocker, 'below'), buildId: 'build-a' });
    expect(() => unwritable.write('chunk-A.cjs', source, codeCacheOf(source))).not.toThrow();
    expect(unwritable.read('chunk-A.cjs', source)).toBeUndefined();
    mkdirSync(path.join(root, 'empty'));
    expect(cacheFilesUnder(root)).toEqual([blocker]);
  });
});
