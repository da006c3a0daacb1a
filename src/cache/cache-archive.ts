import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { InputError } from '../errors.js';
import { entryArchiveNameOf } from './cache-paths.js';
import type { CacheEntry, EntryAdmission } from './cache-entry.js';
import { verifyCacheEntryText } from './verify-entry.js';

/** Largest entry file accepted from an archive: a bundle is at most 2 MiB of code, plus metadata. */
export const MAX_IMPORTED_ENTRY_BYTES = 8 * 1024 * 1024;

/** What export reads of a cache: its verified keys, each entry a file `<2 hex>/<key>.json` under `paths.root`. */
export interface ExportSource {
  readonly paths: { readonly root: string };
  verifiedKeys(): Promise<string[]>;
}

/** What import writes to: any backend that stores an already verified entry. */
export interface ImportTarget {
  storeVerified(entry: CacheEntry): Promise<'stored' | 'present'>;
}

export interface ImportReport {
  imported: number;
  /** Entries identical to one already in the cache. */
  alreadyPresent: number;
  skipped: Array<{ entry: string; reason: string }>;
}

/**
 * Writes every verified entry as `<2 hex>/<key>.json` into a gzip tarball. The archive is
 * written beside its target and renamed into place, so a reader never sees half an archive.
 */
export async function exportCacheArchive(cache: ExportSource, outFile: string): Promise<{ exported: number; file: string }> {
  const keys = await cache.verifiedKeys();
  const target = path.resolve(outFile);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // tar refuses an empty file list, and a reader refuses an archive with no entry at all: an
    // empty cache is an archive holding only the root directory entry, which import passes over.
    if (keys.length === 0) await tar.create({ gzip: true, file: temp, cwd: path.dirname(target), portable: true, noDirRecurse: true }, ['.']);
    else await tar.create({ gzip: true, file: temp, cwd: cache.paths.root, portable: true, noDirRecurse: true }, keys.map(entryArchiveNameOf));
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { exported: keys.length, file: target };
}

const ENTRY_NAME = /^([0-9a-f]{2})\/([0-9a-f]{64})\.json$/;
const REGULAR_FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/**
 * Imports a cache archive without trusting it. Every tar entry is checked before a byte is
 * written: only regular files named `<2 hex>/<key>.json` (shard matching the key), no absolute
 * paths, no `..`, no links or devices, no oversized files, no duplicates. Accepted files go to
 * a private temp directory, never into the cache; each is then verified like a cache read
 * (schema, key = hash of keyMaterial, bundle hash), judged by `admit` when given (generation:
 * the validation gate), and only then stored, atomically, one by one.
 */
export async function importCacheArchive(cache: ImportTarget, archiveFile: string, options: { admit?: EntryAdmission } = {}): Promise<ImportReport> {
  const source = path.resolve(archiveFile);
  try {
    const info = await stat(source);
    if (!info.isFile()) throw new InputError(`${archiveFile} is not a file`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${archiveFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const report: ImportReport = { imported: 0, alreadyPresent: 0, skipped: [] };
  const accepted = new Set<string>();
  const staging = await mkdtemp(path.join(tmpdir(), 'dspec-cache-import-'));
  try {
    const warnings: string[] = [];
    await extractOrExplain(archiveFile, {
      file: source,
      cwd: staging,
      strict: false,
      preserveOwner: false,
      noMtime: true,
      onwarn: (code, message) => warnings.push(`${code}: ${message}`),
      filter: (entryPath, entry) => {
        const type = 'type' in entry ? String(entry.type) : 'File';
        const size = typeof entry.size === 'number' ? entry.size : 0;
        const reason = problemWithEntry(entryPath, type, size, accepted);
        if (reason === null) return false; // a harmless directory entry
        if (reason) {
          report.skipped.push({ entry: entryPath, reason });
          return false;
        }
        accepted.add(normaliseName(entryPath));
        return true;
      },
    });
    for (const warning of warnings) report.skipped.push({ entry: '(archive)', reason: warning });

    for (const name of [...accepted].sort()) {
      const key = ENTRY_NAME.exec(name)![2]!;
      const file = path.join(staging, name);
      const info = await lstat(file).catch(() => undefined);
      if (!info?.isFile()) {
        report.skipped.push({ entry: name, reason: 'was not extracted as a regular file' });
        continue;
      }
      const verdict = verifyCacheEntryText(await readFile(file, 'utf8'), key);
      if (!verdict.ok) {
        report.skipped.push({ entry: name, reason: verdict.reason });
        continue;
      }
      if (options.admit) {
        const admitted = await options.admit(verdict.entry);
        if (!admitted.ok) {
          report.skipped.push({ entry: name, reason: admitted.reason });
          continue;
        }
      }
      if ((await cache.storeVerified(verdict.entry)) === 'present') report.alreadyPresent++;
      else report.imported++;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return report;
}

async function extractOrExplain(shownName: string, options: Parameters<typeof tar.extract>[0]): Promise<void> {
  try {
    await tar.extract(options as Parameters<typeof tar.extract>[0] & { file: string });
  } catch (error) {
    throw new InputError(`${shownName} is not a readable .tar.gz cache archive: ${(error as Error).message}`, {
      suggestion: 'Make the archive with `dspec cache export --output file.tar.gz`.',
    });
  }
}

function normaliseName(entryPath: string): string {
  return entryPath.replace(/^(\.\/)+/, '');
}

/** Why an archive entry is refused; '' when it is acceptable; null for a directory entry to pass over silently. */
function problemWithEntry(entryPath: string, type: string, size: number, accepted: ReadonlySet<string>): string | null {
  if (entryPath.startsWith('/') || /^[A-Za-z]:/.test(entryPath) || entryPath.startsWith('\\')) return 'absolute path';
  if (entryPath.split(/[\\/]/).includes('..')) return 'path escapes the archive root ("..")';
  const name = normaliseName(entryPath);
  if (type === 'Directory') {
    return name === '' || name === '.' || /^[0-9a-f]{2}\/?$/.test(name) ? null : 'unexpected directory';
  }
  if (!REGULAR_FILE_TYPES.has(type)) return `${type} entries are refused (only regular files)`;
  const match = ENTRY_NAME.exec(name);
  if (!match) return 'file name is not <2 hex>/<64 hex key>.json';
  if (match[1] !== match[2]!.slice(0, 2)) return 'shard directory does not match the key';
  if (size > MAX_IMPORTED_ENTRY_BYTES) return `larger than ${MAX_IMPORTED_ENTRY_BYTES} bytes`;
  if (accepted.has(name)) return 'duplicate entry';
  return '';
}
