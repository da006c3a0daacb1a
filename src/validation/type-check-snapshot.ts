import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '../shapes/bundle.js';
import type { Finding } from '../shapes/finding.js';
import { applyUnresolvedModulePolicy, TypeChecker, type BundleTypeChecker, type TypeDiagnosis, type UnresolvedModulePolicy } from './type-checker.js';

/**
 * A fresh `dspec validate` spends most of its type layer loading TypeScript and parsing its lib
 * files and the React and Radix typings (≈1.6 s of CPU of 2.4 s). This module keeps that work in a
 * V8 startup snapshot of the type-check host (type-check-host.ts): the CLI starts the host from
 * the snapshot, which has everything parsed, and checks there while the CLI loads the other
 * layers. The snapshot is built in the background after a run that found none, and is keyed by
 * the host script's bytes, Node's version and the machine's architecture, so an upgrade never
 * meets an old one; the host itself refuses to serve when a typings file it parsed has changed.
 * Whenever the host is missing, stale or fails, the check runs in-process, as before.
 */

/** The host bundle the build writes beside the other vendored files. */
const HOST_SCRIPT = fileURLToPath(new URL('../vendor/type-check-host.cjs', import.meta.url));

/** A build older than this is presumed dead and its lock taken over. */
const BUILD_LOCK_STALE_MS = 10 * 60_000;

export interface TypeCheckSnapshotOptions {
  /** The CLI's environment: `DSPEC_TYPE_SNAPSHOT=off` disables, `DSPEC_SNAPSHOT_DIR` moves the cache. */
  env: Readonly<Record<string, string | undefined>>;
  /** The host script (default: dist/vendor/type-check-host.cjs beside this module). */
  hostScript?: string;
}

export interface TypeCheckSnapshotLocation {
  hostScript: string;
  blobFile: string;
  /** Present when a build failed for this key: not retried until the key changes. */
  failedMarker: string;
  lockFile: string;
}

/** Where the snapshot for this host, Node and architecture lives; undefined when disabled or no host was built. */
export function locateTypeCheckSnapshot(options: TypeCheckSnapshotOptions): TypeCheckSnapshotLocation | undefined {
  const { env } = options;
  if (env.DSPEC_TYPE_SNAPSHOT === 'off' || env.DSPEC_TYPE_SNAPSHOT === '0') return undefined;
  const hostScript = options.hostScript ?? HOST_SCRIPT;
  if (!existsSync(hostScript)) return undefined;
  const directory = env.DSPEC_SNAPSHOT_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'dspec');
  const key = createHash('sha256').update(readFileSync(hostScript)).update(`\0${process.version}\0${process.arch}`).digest('hex').slice(0, 16);
  const blobFile = path.join(directory, `type-check-${process.version}-${key}.blob`);
  return { hostScript, blobFile, failedMarker: `${blobFile}.failed`, lockFile: `${blobFile}.building` };
}

/**
 * Run by the detached builder: writes the snapshot to a temporary file, then renames it into
 * place (a reader never sees half a blob) and removes this Node version's older snapshots.
 */
const BUILDER_SCRIPT = `
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const [hostScript, blobFile, failedMarker, lockFile] = process.argv.slice(1);
const temporary = blobFile + '.' + process.pid + '.tmp';
try {
  execFileSync(process.execPath, ['--snapshot-blob', temporary, '--build-snapshot', hostScript], { stdio: 'ignore', timeout: 600000 });
  fs.renameSync(temporary, blobFile);
  const prefix = path.basename(blobFile).replace(/-[0-9a-f]+\\.blob$/, '-');
  for (const name of fs.readdirSync(path.dirname(blobFile))) {
    if (name.startsWith(prefix) && name !== path.basename(blobFile) && !name.endsWith('.building')) fs.rmSync(path.join(path.dirname(blobFile), name), { force: true });
  }
} catch (error) {
  fs.rmSync(temporary, { force: true });
  fs.writeFileSync(failedMarker, String(error && error.message || error));
} finally {
  fs.rmSync(lockFile, { force: true });
}
`;

/** Takes the build lock; false when another build holds it. */
function takeBuildLock(lockFile: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      const age = Date.now() - (statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < BUILD_LOCK_STALE_MS) return false;
      rmSync(lockFile, { force: true });
    }
  }
  return false;
}

/**
 * Starts building the snapshot in a detached process that outlives the CLI, unless one is being
 * built or a build for this key failed. Returns the builder, which a caller may wait for.
 */
export function startTypeCheckSnapshotBuild(location: TypeCheckSnapshotLocation): ReturnType<typeof spawn> | undefined {
  if (existsSync(location.failedMarker)) return undefined;
  try {
    mkdirSync(path.dirname(location.blobFile), { recursive: true });
  } catch {
    return undefined;
  }
  if (!takeBuildLock(location.lockFile)) return undefined;
  const builder = spawn(process.execPath, ['-e', BUILDER_SCRIPT, location.hostScript, location.blobFile, location.failedMarker, location.lockFile], {
    detached: true,
    stdio: 'ignore',
  });
  builder.unref();
  try {
    // Lowest priority: the build must not slow down what the user runs next (its child inherits this).
    if (builder.pid !== undefined) os.setPriority(builder.pid, 19);
  } catch {
    // Not permitted here: it still runs, at normal priority.
  }
  return builder;
}

/** Starts the build once the CLI's own work is done, so the first run does not share the CPU with it. */
export function buildTypeCheckSnapshotAtExit(location: TypeCheckSnapshotLocation): void {
  process.once('beforeExit', () => startTypeCheckSnapshotBuild(location));
}

type HostMessage = { ready: true } | { stale: string } | { id: number; diagnosed: TypeDiagnosis[] } | { id: number; error: string };

/**
 * The type layer through a host started from the snapshot. Every failure of the host (stale, a
 * crash, an error answer) sends this and later checks to `fallback`, the in-process checker.
 */
export class SnapshotTypeChecker implements BundleTypeChecker {
  private readonly host: ChildProcessByStdio<Writable, Readable, null>;
  private readonly ready: Promise<boolean>;
  private readonly pending = new Map<number, { resolve: (diagnosed: TypeDiagnosis[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failed = false;
  private starting = true;

  constructor(
    private readonly location: TypeCheckSnapshotLocation,
    private readonly fallback: () => BundleTypeChecker,
  ) {
    this.host = spawn(process.execPath, ['--snapshot-blob', location.blobFile], { stdio: ['pipe', 'pipe', 'ignore'] });
    let resolveReady: (ok: boolean) => void = () => {};
    this.ready = new Promise((resolve) => (resolveReady = resolve));
    const settleReady = (ok: boolean) => {
      if (this.starting && !ok && !this.failed) this.discardBrokenSnapshot();
      this.starting = false;
      resolveReady(ok);
      this.holdProcess();
    };
    const fail = (reason: Error) => {
      settleReady(false);
      this.failed = true;
      for (const waiter of this.pending.values()) waiter.reject(reason);
      this.pending.clear();
    };
    this.host.on('error', fail);
    // 'close', not 'exit': it comes after the host's last line has been read.
    this.host.on('close', (code) => fail(new Error(`type-check host exited (code ${code})`)));
    this.host.stdin.on('error', () => {}); // a host that died is reported by 'exit'
    createInterface({ input: this.host.stdout, crlfDelay: Infinity }).on('line', (line) => {
      let message: HostMessage;
      try {
        message = JSON.parse(line) as HostMessage;
      } catch {
        return fail(new Error(`type-check host wrote something that is not JSON: ${line.slice(0, 80)}`));
      }
      if ('ready' in message) return settleReady(true);
      if ('stale' in message) {
        // Parsed typings changed on disk: this snapshot is useless, build a new one for next time.
        this.failed = true;
        rmSync(this.location.blobFile, { force: true });
        buildTypeCheckSnapshotAtExit(this.location);
        return fail(new Error(message.stale));
      }
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if ('error' in message) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.diagnosed);
      this.holdProcess();
    });
    this.holdProcess();
  }

  async check(bundle: Bundle, unresolvedModulePolicy?: UnresolvedModulePolicy): Promise<Finding[]> {
    if (!this.failed && (await this.ready)) {
      try {
        return applyUnresolvedModulePolicy(await this.request(bundle), unresolvedModulePolicy);
      } catch {
        this.failed = true;
      }
    }
    return this.fallback().check(bundle, unresolvedModulePolicy);
  }

  /** Ends the host (it exits when its stdin closes). */
  close(): void {
    this.host.stdin.end();
  }

  private request(bundle: Bundle): Promise<TypeDiagnosis[]> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.holdProcess();
      this.host.stdin.write(`${JSON.stringify({ id, bundle: { name: bundle.name, files: bundle.files, dependencies: bundle.dependencies } })}\n`);
    });
  }

  /** The host keeps the CLI alive only while it is starting or answering. */
  private holdProcess(): void {
    const busy = this.starting || this.pending.size > 0;
    if (busy) this.host.ref();
    else this.host.unref();
    // The pipes to a child are sockets; each holds the event loop on its own.
    for (const pipe of [this.host.stdout, this.host.stdin]) {
      if (pipe instanceof Socket) {
        if (busy) pipe.ref();
        else pipe.unref();
      }
    }
  }

  /** A host that died before it was ready means a snapshot Node cannot start: never try it again. */
  private discardBrokenSnapshot(): void {
    rmSync(this.location.blobFile, { force: true });
    try {
      writeFileSync(this.location.failedMarker, 'the type-check host exited before it was ready');
    } catch {
      // The cache folder went read-only: the blob is gone, which is enough.
    }
  }
}

/**
 * The type checker a fresh CLI process should use: the snapshot host when its snapshot exists
 * (started now, so it loads while the caller reads its files); otherwise undefined, and a
 * background build for the next run starts when this process is done.
 */
export function openSnapshotTypeChecker(options: TypeCheckSnapshotOptions & { fallback?: () => BundleTypeChecker }): SnapshotTypeChecker | undefined {
  const location = locateTypeCheckSnapshot(options);
  if (!location) return undefined;
  let inProcess: BundleTypeChecker | undefined;
  const fallback = options.fallback ?? (() => (inProcess ??= new TypeChecker()));
  if (existsSync(location.blobFile)) return new SnapshotTypeChecker(location, fallback);
  buildTypeCheckSnapshotAtExit(location);
  return undefined;
}
