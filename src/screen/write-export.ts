import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../infra/atomic-write.js';
import type { ExportFile } from './export-screen.js';

/**
 * Writes an export under `outDir`. For the MCP tool it must stay inside an allowed root (the
 * client's roots, else the working directory): no absolute `outDir` unless it lies inside a
 * root, no `..` escape, no symlink anywhere between the root and a target file (each existing
 * component is checked with lstat, and the deepest existing ancestor's real path must be inside
 * the root's real path). The CLI passes `anywhere`: the folder the person typed is taken as
 * given, as a compiler's `-o` is, and only the export's own files are confined to it. Files are
 * written atomically; a file that exists with other contents is only replaced with
 * `overwrite: true`, otherwise nothing at all is written and the error lists them. `dryRun`
 * reports the plan.
 */

export interface WriteExportOptions {
  /** The working directory: a relative `outDir` is resolved here when no `roots` are given, and only here is written. */
  root: string;
  /** Output folder, relative to `root` (or to the first of `roots`), or absolute inside an allowed root. */
  outDir: string;
  /** Accept an absolute `outDir` that lies inside the root; with `roots` an absolute path inside one of them is always accepted. */
  allowAbsolute?: boolean;
  /** The places writing is allowed instead of `root` (the MCP client's roots); a relative `outDir` is taken from the first. */
  roots?: readonly string[];
  /** Write wherever `outDir` (resolved against `root`) points: the CLI, whose user typed the path. */
  anywhere?: boolean;
  overwrite?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface WritePlan {
  /** The output folder, relative to `root` with forward slashes (`.` for the root itself), or absolute when outside it. */
  outDir: string;
  created: string[];
  overwritten: string[];
  unchanged: string[];
  dryRun: boolean;
}

export class ExportPathError extends InputError {}

export async function writeExport(files: ReadonlyArray<ExportFile>, options: WriteExportOptions): Promise<WritePlan> {
  const { realRoot, outDir } = await resolveTarget(options);
  const realCwd = await realpath(path.resolve(options.root));
  const shown = path.relative(realCwd, outDir);
  const plan: WritePlan = { outDir: isOutside(shown) ? toPosix(outDir) : toPosix(shown) || '.', created: [], overwritten: [], unchanged: [], dryRun: options.dryRun ?? false };
  const targets: Array<{ file: ExportFile; target: string }> = [];
  for (const file of files) {
    const relative = file.path;
    if (path.isAbsolute(relative) || relative.split(/[\\/]/).some((part) => part === '..' || part === '' || part === '.')) {
      throw new ExportPathError(`export file "${relative}" has an unsafe path`);
    }
    const target = path.join(outDir, ...relative.split('/'));
    await assertNoSymlinks(realRoot, target);
    const existing = await readExisting(target);
    if (existing === undefined) plan.created.push(relative);
    else if (existing === file.contents) plan.unchanged.push(relative);
    else plan.overwritten.push(relative);
    targets.push({ file, target });
  }
  if (plan.overwritten.length && !options.overwrite && !plan.dryRun) {
    const listed = plan.overwritten.slice(0, 10).join(', ');
    throw new InputError(`${plan.overwritten.length} file(s) in ${plan.outDir} already exist with other contents: ${listed}${plan.overwritten.length > 10 ? ', …' : ''}; nothing was written`, {
      suggestion: 'Pass overwrite: true (CLI --overwrite) to replace them, or choose another output folder.',
      context: { overwritten: plan.overwritten },
    });
  }
  if (plan.dryRun) return plan;
  for (const { file, target } of targets) {
    if (plan.unchanged.includes(file.path)) continue;
    options.signal?.throwIfAborted();
    // Checked again right before the write: a symlink planted since the plan is still refused.
    await assertNoSymlinks(realRoot, target);
    await writeFileAtomic(target, file.contents);
  }
  return plan;
}

/** The folder files go into, and the real root they are confined to (the folder itself for `anywhere`). */
async function resolveTarget(options: WriteExportOptions): Promise<{ realRoot: string; outDir: string }> {
  const outDir = options.outDir;
  if (typeof outDir !== 'string' || outDir.length === 0 || outDir.length > 1000 || outDir.includes('\0')) {
    throw new ExportPathError('outDir must be a non-empty path');
  }
  if (options.anywhere) {
    // Confined to the deepest folder that exists already: the export's own paths cannot leave it.
    const { existing, missing } = await realpathOfPrefix(path.resolve(options.root, outDir));
    return { realRoot: existing, outDir: path.join(existing, ...missing) };
  }
  const roots = options.roots?.length ? options.roots : [options.root];
  const where = options.roots?.length ? `the client's roots (${roots.join(', ')})` : 'the working directory';
  const allowAbsolute = options.roots?.length ? true : (options.allowAbsolute ?? false);
  const candidates = path.isAbsolute(outDir) ? roots : roots.slice(0, 1);
  let refusal: ExportPathError | undefined;
  for (const root of candidates) {
    const realRoot = await realpath(path.resolve(root)).catch(() => undefined);
    if (!realRoot) continue;
    try {
      return { realRoot, outDir: resolveOutDir(realRoot, root, outDir, allowAbsolute, where) };
    } catch (error) {
      // A refusal is remembered while another root may still accept the folder; anything else is a bug.
      if (!(error instanceof ExportPathError)) throw error;
      refusal ??= error;
    }
  }
  throw refusal ?? new ExportPathError(`none of ${where} exists`);
}

/** The real path of `target`'s deepest existing ancestor, and the parts below it that do not exist yet. */
async function realpathOfPrefix(target: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      return { existing: await realpath(current), missing: missing.reverse() };
    } catch (error) {
      const parent = path.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

function resolveOutDir(realRoot: string, root: string, outDir: string, allowAbsolute: boolean, where: string): string {
  if (path.isAbsolute(outDir) && !allowAbsolute) {
    throw new ExportPathError(`outDir "${outDir}" is absolute; give a folder relative to the working directory`);
  }
  let relative: string;
  if (path.isAbsolute(outDir)) {
    relative = path.relative(path.resolve(root), path.resolve(outDir));
    const viaReal = path.relative(realRoot, path.resolve(outDir));
    if (isOutside(relative) && !isOutside(viaReal)) relative = viaReal;
  } else {
    relative = path.normalize(outDir);
  }
  if (isOutside(relative) || relative.split(/[\\/]/).includes('..')) {
    throw new ExportPathError(`outDir "${outDir}" is outside ${where}`, { suggestion: `Use a folder inside ${where}, e.g. "src/screens".` });
  }
  return path.join(realRoot, relative);
}

function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

/**
 * Every existing component from the root down to the target must be a real directory (the
 * target itself a regular file), and the deepest existing one must resolve inside the root.
 */
async function assertNoSymlinks(realRoot: string, target: string): Promise<void> {
  const relative = path.relative(realRoot, target);
  if (isOutside(relative)) throw new ExportPathError(`"${target}" is outside the working directory`);
  const parts = relative.split(path.sep);
  let current = realRoot;
  let deepestExisting = realRoot;
  for (let index = 0; index < parts.length; index++) {
    current = path.join(current, parts[index]!);
    let stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
      throw error;
    }
    const shown = toPosix(path.relative(realRoot, current));
    if (stats.isSymbolicLink()) throw new ExportPathError(`"${shown}" is a symbolic link; exports are not written through links`);
    const last = index === parts.length - 1;
    if (!last && !stats.isDirectory()) throw new ExportPathError(`"${shown}" is not a directory`);
    if (last && !stats.isFile()) throw new ExportPathError(`"${shown}" exists and is not a regular file`);
    deepestExisting = current;
  }
  const real = await realpath(deepestExisting);
  if (isOutside(path.relative(realRoot, real))) throw new ExportPathError(`"${toPosix(path.relative(realRoot, deepestExisting))}" resolves outside the working directory`);
}

async function readExisting(target: string): Promise<string | undefined> {
  try {
    return await readFile(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function toPosix(value: string): string {
  return value.split(path.sep).join('/');
}
