// The module loader for the built package. The build turns esbuild's split chunks into CommonJS
// scripts (dist/chunks/*.cjs) so they can be compiled through vm.Script with V8's code cache:
// Node 20 caches no ES module's compilation, and compiling the ~460 kB a stdio start loads was a
// quarter of its cold start. The bin, the library entry and the preview host each load their
// entry chunk through here; chunks require each other through here, so each runs once per process.
import { channel } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { CompileCache, compileCacheRootOf } from './compile-cache.js';

/**
 * What each chunk's code is wrapped in: CommonJS's own names, plus the file's path, folder and URL,
 * which the build puts where the code said `__filename`, `__dirname` and `import.meta.url`, and the
 * import() that the build's computed imports call (scripts/route-computed-imports.mjs: code read
 * from V8's cache cannot call its own on Node 20). Strict, as the ES modules it was built from.
 */
const WRAPPER_HEAD = "(function (exports, require, module, __dspec_filename, __dspec_dirname, __dspec_import_meta_url, __dspec_import) {'use strict';";
const WRAPPER_TAIL = '\n})';

/** After the last chunk compiled without a cache, wait this long before saving the caches (and at exit in any case). */
const SAVE_AFTER_MS = 5_000;

/** How a chunk was compiled: from its cached code, fresh (no cache yet, or V8 refused it), or with the cache off. */
export type ChunkCacheOutcome = 'hit' | 'miss' | 'off';

/** Published once per chunk loaded, `{ file, cache }` (ChunkLoadMessage): what a tracer or a test can watch. */
export const chunkLoadChannel = channel('dspec:chunk-load');
export interface ChunkLoadMessage {
  file: string;
  cache: ChunkCacheOutcome;
}

type ImportFunction = (specifier: string, options?: ImportCallOptions) => Promise<unknown>;
type ChunkWrapper = (this: unknown, exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string, url: string, importFunction: ImportFunction) => void;

/** Node's import(), from this module: a specifier that is a URL or a package resolves the same from here as from dist/chunks/. */
const importForChunks: ImportFunction = (specifier, options) => import(specifier, options);

export class ChunkLoader {
  private readonly modules = new Map<string, { exports: unknown }>();
  private readonly requires = new Map<string, NodeJS.Require>();
  private readonly unsaved: Array<{ name: string; code: string; script: Script }> = [];
  private saveTimer: NodeJS.Timeout | undefined;
  private savesAtExit = false;

  constructor(private readonly cache: CompileCache) {}

  /** Runs a chunk (once per process) and returns its exports. */
  load(file: string): unknown {
    const loaded = this.modules.get(file);
    if (loaded) return loaded.exports;
    const module = { exports: {} as unknown };
    // Registered before it runs, as CommonJS does, so a cycle between chunks sees the exports made so far.
    this.modules.set(file, module);
    // The cache is tied to the text compiled, wrapper included: a loader with another wrapper never reuses it.
    const code = WRAPPER_HEAD + readFileSync(file, 'utf8') + WRAPPER_TAIL;
    const name = path.basename(file);
    const cachedData = this.cache.read(name, code);
    const script = new Script(code, { filename: file, cachedData });
    const outcome: ChunkCacheOutcome = !this.cache.directory ? 'off' : cachedData && !script.cachedDataRejected ? 'hit' : 'miss';
    if (outcome === 'miss') this.saveLater(name, code, script);
    if (chunkLoadChannel.hasSubscribers) chunkLoadChannel.publish({ file, cache: outcome } satisfies ChunkLoadMessage);
    const wrapper = script.runInThisContext() as ChunkWrapper;
    try {
      wrapper.call(module.exports, module.exports, this.requireFrom(file), module, file, path.dirname(file), pathToFileURL(file).href, importForChunks);
    } catch (error) {
      // As CommonJS does: a chunk that threw is not kept half-run, so a later load runs it again.
      this.modules.delete(file);
      throw error;
    }
    return module.exports;
  }

  /** Saves the code V8 has compiled by now for each chunk that had no usable cache: functions first run later are in it too. */
  saveCaches(): void {
    clearTimeout(this.saveTimer);
    for (const { name, code, script } of this.unsaved.splice(0)) this.cache.write(name, code, script.createCachedData());
  }

  private saveLater(name: string, code: string, script: Script): void {
    this.unsaved.push({ name, code, script });
    clearTimeout(this.saveTimer);
    // A server may never exit cleanly (a client may kill it): save a while after start-up too, without keeping the process alive.
    this.saveTimer = setTimeout(() => this.saveCaches(), SAVE_AFTER_MS).unref();
    if (!this.savesAtExit) {
      this.savesAtExit = true;
      process.once('exit', () => this.saveCaches());
    }
  }

  /**
   * A chunk's `require`: sibling chunks through this loader, everything else (Node's built-ins,
   * esbuild, dist/vendor) through Node's. Resolution depends on the folder only, so the chunks of
   * one folder (all of dist/chunks/) share one.
   */
  private requireFrom(file: string): NodeJS.Require {
    const directory = path.dirname(file);
    let chunkRequire = this.requires.get(directory);
    if (chunkRequire) return chunkRequire;
    const nodeRequire = createRequire(file);
    chunkRequire = ((id: string): unknown =>
      id.endsWith('.cjs') && (id.startsWith('./') || id.startsWith('../')) ? this.load(path.resolve(directory, id)) : (nodeRequire(id) as unknown)) as NodeJS.Require;
    chunkRequire.resolve = nodeRequire.resolve;
    chunkRequire.cache = nodeRequire.cache;
    chunkRequire.main = nodeRequire.main;
    chunkRequire.extensions = nodeRequire.extensions;
    this.requires.set(directory, chunkRequire);
    return chunkRequire;
  }
}

let processLoader: ChunkLoader | undefined;

/**
 * Loads one of the package's entry chunks with the process's loader. `buildId` (written by the
 * build) keeps each build's cached code apart; the cache's place comes from DSPEC_COMPILE_CACHE.
 */
export function loadChunk(file: string, buildId: string): unknown {
  processLoader ??= new ChunkLoader(new CompileCache({ root: compileCacheRootOf(process.env), buildId }));
  return processLoader.load(file);
}
