import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../infra/atomic-write.js';
import type { ExportFile } from './export-screen.js';

/**
 * Writes an export under `outDir`, which must stay inside `root` (the working directory):
 * no absolute `outDir` unless it lies inside the root, no `..` escape, no symlink anywhere
 * between the root and a target file (each existing component is checked with lstat, and the
 * deepest existing ancestor's real path must be inside the root's real path). Files are written
 * atomically; a file that exists with other contents is only replaced with `overwrite: true`,
 * otherwise nothing at all is written and the error lists them. `dryRun` reports the plan.
 */

export interface WriteExportOptions {
  /** The working directory; nothing is written outside it. */
  root: string;
  /** Output folder, relative to `root` (or absolute inside it). */
  outDir: string;
  /** Accept an absolute `outDir` that lies inside the root (the CLI); the MCP tool refuses absolute paths. */
  allowAbsolute?: boolean;
  overwrite?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface WritePlan {
  /** The output folder, relative to the root, with forward slashes (`.` for the root itself). */
  outDir: string;
  created: string[];
  overwritten: string[];
  unchanged: string[];
  dryRun: boolean;
}

export class ExportPathError extends InputError {}

export async function writeExport(files: ReadonlyArray<ExportFile>, options: WriteExportOptions): Promise<WritePlan> {
  const realRoot = await realpath(path.resolve(options.root));
  const outDir = resolveOutDir(realRoot, options.root, options.outDir, options.allowAbsolute ?? false);
  const plan: WritePlan = { outDir: toPosix(path.relative(realRoot, outDir)) || '.', created: [], overwritten: [], unchanged: [], dryRun: options.dryRun ?? false };
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
    throw new InputError(
      `${plan.overwritten.length} file(s) in ${plan.outDir} already exist with other contents: ${listed}${plan.overwritten.length > 10 ? ', …' : ''}; nothing was written`,
      { suggestion: 'Pass overwrite: true (CLI --overwrite) to replace them, or choose another output folder.', context: { overwritten: plan.overwritten } },
    );
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

function resolveOutDir(realRoot: string, root: string, outDir: string, allowAbsolute: boolean): string {
  if (typeof outDir !== 'string' || outDir.length === 0 || outDir.length > 1000 || outDir.includes('\0')) {
    throw new ExportPathError('outDir must be a non-empty path inside the working directory');
  }
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
    throw new ExportPathError(`outDir "${outDir}" is outside the working directory`, { suggestion: 'Use a folder inside the working directory, e.g. "src/screens".' });
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
