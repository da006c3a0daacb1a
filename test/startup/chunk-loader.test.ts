import { execFileSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CompileCache } from '../../src/startup/compile-cache.js';
import { ChunkLoader, type ChunkLoadMessage } from '../../src/startup/load-chunks.js';
import { assertBuilt } from '../helpers/built-bin.js';

let work: string;
let chunks: string;
let cacheRoot: string;
let loaded: ChunkLoadMessage[];
const record = (message: unknown) => loaded.push(message as ChunkLoadMessage);

/** Chunks as the build writes them: CommonJS scripts that name the loader's wrapper parameters. */
const DEPENDENCY = 'globalThis.__chunkLoaderTest.dependencyRuns++; exports.twice = (n) => n * 2;';
const ENTRY = [
  'var dependency = require("./dependency.cjs");',
  'var nodePath = require("node:path");',
  'globalThis.__chunkLoaderTest.entryRuns++;',
  'exports.answer = dependency.twice(21);',
  'exports.where = { filename: __dspec_filename, dirname: __dspec_dirname, url: __dspec_import_meta_url, sep: nodePath.sep };',
  'exports.strict = (function () { return this; })() === undefined;',
  'exports.lazy = () => Promise.resolve().then(() => require("./lazy.cjs"));',
  // The build renames a computed import() to the loader's (scripts/route-computed-imports.mjs).
  'exports.importComputed = (specifier) => __dspec_import(specifier);',
  'exports.dependencyAgain = () => require("./dependency.cjs");',
].join('\n');

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dspec-chunk-loader-'));
  chunks = path.join(work, 'chunks');
  cacheRoot = path.join(work, 'cache');
  mkdirSync(chunks);
  for (const [name, source] of Object.entries({ 'entry.cjs': ENTRY, 'dependency.cjs': DEPENDENCY, 'lazy.cjs': 'exports.late = "loaded on use";' })) {
    writeFileSync(path.join(chunks, name), source);
  }
  (globalThis as Record<string, unknown>).__chunkLoaderTest = { entryRuns: 0, dependencyRuns: 0 };
  loaded = [];
  subscribe('dspec:chunk-load', record);
});

afterEach(() => {
  unsubscribe('dspec:chunk-load', record);
  delete (globalThis as Record<string, unknown>).__chunkLoaderTest;
  vi.useRealTimers();
  rmSync(work, { recursive: true, force: true });
});

const runs = () => (globalThis as unknown as { __chunkLoaderTest: { entryRuns: number; dependencyRuns: number } }).__chunkLoaderTest;
const loaderWith = (cache: CompileCache) => new ChunkLoader(cache);
const cacheFiles = () => readdirSync(cacheRoot, { recursive: true }).filter((name) => String(name).endsWith('.v8'));
interface Entry {
  answer: number;
  where: { filename: string; dirname: string; url: string; sep: string };
  strict: boolean;
  lazy: () => Promise<{ late: string }>;
  importComputed: (specifier: string) => Promise<Record<string, unknown>>;
  dependencyAgain: () => unknown;
}

describe('the chunk loader', () => {
  it('runs each chunk once, hands chunks their file, folder and URL, in strict mode, and loads lazy chunks on use', async () => {
    const loader = loaderWith(new CompileCache({ root: cacheRoot, buildId: 'build-a' }));
    const entryFile = path.join(chunks, 'entry.cjs');
    const entry = loader.load(entryFile) as Entry;
    expect(entry.answer).toBe(42);
    expect(entry.where).toEqual({ filename: entryFile, dirname: chunks, url: pathToFileURL(entryFile).href, sep: path.sep });
    expect(entry.strict).toBe(true);
    expect(loader.load(entryFile)).toBe(entry);
    expect(entry.dependencyAgain()).toBe(loader.load(path.join(chunks, 'dependency.cjs')));
    expect(runs()).toEqual({ entryRuns: 1, dependencyRuns: 1 });
    expect(loaded.map(({ file }) => path.basename(file))).toEqual(['entry.cjs', 'dependency.cjs']);
    expect((await entry.lazy()).late).toBe('loaded on use');
    expect(loaded.map(({ file }) => path.basename(file))).toEqual(['entry.cjs', 'dependency.cjs', 'lazy.cjs']);
    loader.saveCaches();
  });

  it('gives chunks Node’s own import() for a computed specifier: built-ins and ES module files', async () => {
    const esm = path.join(work, 'plugin.mjs');
    writeFileSync(esm, 'export const name = "an ES module plugin";');
    const loader = loaderWith(new CompileCache({ root: undefined, buildId: 'build-a' }));
    const entry = loader.load(path.join(chunks, 'entry.cjs')) as Entry;
    expect(typeof (await entry.importComputed('node:path')).join).toBe('function');
    expect((await entry.importComputed(pathToFileURL(esm).href)).name).toBe('an ES module plugin');
    expect(loaded.every(({ cache }) => cache === 'off')).toBe(true);
  });

  it('keeps no chunk that threw while it ran: the next load runs it again', () => {
    const flaky = path.join(chunks, 'flaky.cjs');
    writeFileSync(flaky, 'if (!globalThis.__chunkLoaderTest.ready) throw new Error("not ready yet"); exports.ok = true;');
    const loader = loaderWith(new CompileCache({ root: undefined, buildId: 'build-a' }));
    expect(() => loader.load(flaky)).toThrow('not ready yet');
    (runs() as { ready?: boolean }).ready = true;
    expect(loader.load(flaky)).toEqual({ ok: true });
  });

  it('compiles from the cache on the next start, and the code behaves the same', () => {
    const first = loaderWith(new CompileCache({ root: cacheRoot, buildId: 'build-a' }));
    first.load(path.join(chunks, 'entry.cjs'));
    expect(loaded.map(({ cache }) => cache)).toEqual(['miss', 'miss']);
    first.saveCaches();
    expect(cacheFiles()).toHaveLength(2);

    loaded = [];
    (globalThis as Record<string, unknown>).__chunkLoaderTest = { entryRuns: 0, dependencyRuns: 0 };
    const second = loaderWith(new CompileCache({ root: cacheRoot, buildId: 'build-a' }));
    expect((second.load(path.join(chunks, 'entry.cjs')) as Entry).answer).toBe(42);
    expect(loaded.map(({ cache }) => cache)).toEqual(['hit', 'hit']);
    expect(runs()).toEqual({ entryRuns: 1, dependencyRuns: 1 });
    second.saveCaches();
  });

  it('never runs stale cached code for a chunk that changed, even at the same length', () => {
    const first = loaderWith(new CompileCache({ root: cacheRoot, buildId: 'build-a' }));
    first.load(path.join(chunks, 'entry.cjs'));
    first.saveCaches();
    const changed = DEPENDENCY.replace('n * 2', 'n * 3');
    expect(changed).toHaveLength(DEPENDENCY.length);
    writeFileSync(path.join(chunks, 'dependency.cjs'), changed);

    loaded = [];
    const second = loaderWith(new CompileCache({ root: cacheRoot, buildId: 'build-a' }));
    expect((second.load(path.join(chunks, 'entry.cjs')) as Entry).answer).toBe(63);
    expect(loaded.map(({ file, cache }) => [path.basename(file), cache])).toEqual([
      ['entry.cjs', 'hit'],
      ['dependency.cjs', 'miss'],
    ]);
    second.saveCaches();
  });

  it('keeps that import() working in code compiled from the cache by another process (Node 20 loses a vm.Script’s own there)', () => {
    assertBuilt();
    const loaderModule = pathToFileURL(path.resolve('dist/startup/load-chunks.js')).href;
    const cacheModule = pathToFileURL(path.resolve('dist/startup/compile-cache.js')).href;
    const script = `
      const { ChunkLoader } = await import(${JSON.stringify(loaderModule)});
      const { CompileCache } = await import(${JSON.stringify(cacheModule)});
      const { subscribe } = await import('node:diagnostics_channel');
      globalThis.__chunkLoaderTest = { entryRuns: 0, dependencyRuns: 0 };
      let outcome;
      subscribe('dspec:chunk-load', ({ cache }) => (outcome ??= cache));
      const loader = new ChunkLoader(new CompileCache({ root: ${JSON.stringify(cacheRoot)}, buildId: 'build-a' }));
      const entry = loader.load(${JSON.stringify(path.join(chunks, 'entry.cjs'))});
      const imported = await entry.importComputed('node:path');
      loader.saveCaches();
      process.stdout.write(outcome + ' ' + typeof imported.join);`;
    const start = () => execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(start()).toBe('miss function');
    expect(start()).toBe('hit function');
  });

  it('saves the caches a while after the last fresh compile, without waiting for the process to exit', () => {
    vi.useFakeTimers();
    const loader = loaderWith(new CompileCache({ root: cacheRoot, buildId: 'build-a' }));
    loader.load(path.join(chunks, 'entry.cjs'));
    vi.advanceTimersByTime(4_000);
    expect(readdirSync(work)).not.toContain('cache');
    vi.advanceTimersByTime(1_000);
    expect(cacheFiles()).toHaveLength(2);
  });
});
