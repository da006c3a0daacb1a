// V8's code cache for the package's own chunks, kept on disk per user, so a process that starts
// again deserializes the bytecode V8 made last time instead of parsing and compiling the same
// code again. Node 22 has this built in (module.enableCompileCache) for ES modules; Node 20 has
// only vm.Script's `cachedData`, which is what load-chunks.ts uses with this store.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * One cache file: a 16-byte header, then V8's data. V8 itself checks that data against its own
 * version and flags and the source's length only, so the header ties it to the exact source
 * text (a different chunk of the same length must never reuse it) and lets a truncated or
 * damaged file be refused before V8 deserializes it.
 */
const MAGIC = 0x31_56_53_44; // "DSV1", little-endian
const HEADER_BYTES = 16;

/** How many builds' caches (one folder each) are kept per Node version; older ones are removed. */
const KEPT_BUILDS = 4;
/** Another Node version's caches are removed once none of them has been written for this long (a Node upgrade leaves them unused). */
const OTHER_NODE_KEPT_MS = 30 * 24 * 60 * 60_000;
/** The name of a Node version's folder (V8's version and the architecture), so nothing else in a chosen folder is ever removed. */
const NODE_VERSION_FOLDER = /^node-\d+\.\d+\.\d+\.\d+(-node\.\d+)?-[a-z0-9]+$/;

export interface CompileCacheOptions {
  /** The folder holding every build's cache; undefined: no cache (read nothing, write nothing). */
  root: string | undefined;
  /** Names this build's chunks (the build writes a content hash), so another build's files are never consulted. */
  buildId: string;
}

/** Where the cache lives, from the environment: DSPEC_COMPILE_CACHE=off, a folder, or the user's cache folder. */
export function compileCacheRootOf(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home: string = homeFolder()): string | undefined {
  const setting = env.DSPEC_COMPILE_CACHE?.trim();
  // Node's own switch for its compile cache turns ours off too.
  if (setting === 'off' || setting === '0' || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  if (setting) return path.resolve(setting);
  if (!home) return undefined;
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'dspec', 'compile-cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'dspec', 'compile-cache');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'dspec', 'compile-cache');
}

/** The user's home, or '' where there is none (a container user without a passwd entry makes os.homedir() throw). */
function homeFolder(): string {
  try {
    return os.homedir();
  } catch {
    return '';
  }
}

/**
 * Code cache files for one build under one Node (V8 refuses another version's data anyway). A
 * cache is an optimisation: every failure here (an unwritable home, a damaged file, a folder
 * another user could write to) means "compile as usual", never an error for the user.
 */
export class CompileCache {
  readonly directory: string | undefined;
  private prepared = false;
  /** Whether the folder passed the ownership check; asked once per process, then after the folder is made. */
  private trust: boolean | undefined;

  constructor(options: CompileCacheOptions) {
    this.directory = options.root ? path.join(options.root, `node-${process.versions.v8}-${process.arch}`, options.buildId) : undefined;
  }

  /** The V8 data kept for `source` (the exact text compiled), or undefined. */
  read(name: string, source: string): Buffer | undefined {
    if (!this.directory || !this.trusted()) return undefined;
    let file: Buffer;
    try {
      file = readFileSync(path.join(this.directory, `${name}.v8`));
    } catch {
      return undefined;
    }
    if (file.length <= HEADER_BYTES || file.readUInt32LE(0) !== MAGIC || file.readUInt32LE(4) !== source.length || file.readUInt32LE(8) !== crc32(source)) return undefined;
    const data = file.subarray(HEADER_BYTES);
    return file.readUInt32LE(12) === crc32(data) ? data : undefined;
  }

  /** Keeps V8's data for `source`, atomically: a reader sees the old file or the new one, never half of one. */
  write(name: string, source: string, data: Buffer): void {
    if (!this.directory || !this.prepare()) return;
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(source.length, 4);
    header.writeUInt32LE(crc32(source), 8);
    header.writeUInt32LE(crc32(data), 12);
    const file = path.join(this.directory, `${name}.v8`);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(temporary, Buffer.concat([header, data]), { mode: 0o600 });
      renameSync(temporary, file);
    } catch {
      rmSync(temporary, { force: true });
    }
  }

  /**
   * Makes this build's folder (private to the user), and removes the oldest builds' folders beyond
   * KEPT_BUILDS and other Node versions' folders unwritten for OTHER_NODE_KEPT_MS.
   */
  private prepare(): boolean {
    if (this.prepared) return this.trusted();
    this.prepared = true;
    const directory = this.directory!;
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      this.trust = undefined;
      if (!this.trusted()) return false;
      const builds = path.dirname(directory);
      const others = readdirSync(builds)
        .map((name) => path.join(builds, name))
        .filter((other) => other !== directory)
        .map((other) => ({ other, modified: statSync(other).mtimeMs }))
        .sort((a, b) => b.modified - a.modified);
      for (const { other } of others.slice(KEPT_BUILDS - 1)) rmSync(other, { recursive: true, force: true });
      const nodeVersions = path.dirname(builds);
      for (const name of readdirSync(nodeVersions)) {
        const other = path.join(nodeVersions, name);
        if (other !== builds && NODE_VERSION_FOLDER.test(name) && Date.now() - latestWriteUnder(other) > OTHER_NODE_KEPT_MS) rmSync(other, { recursive: true, force: true });
      }
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Code read from a cache runs as this user, so the folder must be this user's alone: owned by
   * them and writable by nobody else (on POSIX systems; Windows folders under LOCALAPPDATA are per user).
   */
  private trusted(): boolean {
    this.trust ??= isPrivateFolder(this.directory!);
    return this.trust;
  }
}

/** When a Node version's folder or any of its builds' folders last had a file added. */
function latestWriteUnder(folder: string): number {
  return Math.max(statSync(folder).mtimeMs, ...readdirSync(folder).map((name) => statSync(path.join(folder, name)).mtimeMs));
}

function isPrivateFolder(directory: string): boolean {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  try {
    const stats = statSync(directory);
    return stats.isDirectory() && stats.uid === process.getuid() && (stats.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
