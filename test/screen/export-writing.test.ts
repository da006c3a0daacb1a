import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { writeExport } from '../../src/screen/write-export.js';

const FILES = [
  { path: 'Screen.tsx', contents: 'export function Screen() { return null; }\n' },
  { path: 'theme.css', contents: ':root {}\n' },
  { path: 'components/Button/Button.tsx', contents: 'export function Button() { return null; }\n' },
];

let root: string;
let outside: string;
beforeEach(() => {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-export-')));
  root = path.join(base, 'project');
  outside = path.join(base, 'elsewhere');
  mkdirSync(root);
  mkdirSync(outside);
});

describe('writing an export stays inside the working directory', () => {
  it('writes every file atomically under outDir and reports them as created', async () => {
    const plan = await writeExport(FILES, { root, outDir: 'src/screens/dashboard' });
    expect(plan).toMatchObject({ outDir: 'src/screens/dashboard', created: FILES.map((file) => file.path), overwritten: [], unchanged: [], dryRun: false });
    expect(readFileSync(path.join(root, 'src/screens/dashboard/components/Button/Button.tsx'), 'utf8')).toBe(FILES[2]!.contents);
    // No temp files are left behind.
    expect(readdirSync(path.join(root, 'src/screens/dashboard')).sort()).toEqual(['Screen.tsx', 'components', 'theme.css']);
  });

  it.each(['../elsewhere', 'src/../../elsewhere', '..'])('refuses outDir %s (escapes with "..")', async (outDir) => {
    await expect(writeExport(FILES, { root, outDir })).rejects.toThrow(/outside the working directory/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses absolute paths unless allowed, and even then only inside the root', async () => {
    await expect(writeExport(FILES, { root, outDir: outside })).rejects.toThrow(/is absolute/);
    await expect(writeExport(FILES, { root, outDir: outside, allowAbsolute: true })).rejects.toThrow(/outside the working directory/);
    const plan = await writeExport(FILES, { root, outDir: path.join(root, 'out'), allowAbsolute: true });
    expect(plan.outDir).toBe('out');
  });

  it('refuses to write through a symlinked folder that points outside', async () => {
    symlinkSync(outside, path.join(root, 'linked'));
    await expect(writeExport(FILES, { root, outDir: 'linked/screens' })).rejects.toThrow(/symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a symlink anywhere on the path, even one pointing inside the root', async () => {
    mkdirSync(path.join(root, 'real'));
    symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
    await expect(writeExport(FILES, { root, outDir: 'alias' })).rejects.toThrow(/"alias" is a symbolic link/);
  });

  it('refuses a symlinked target file', async () => {
    mkdirSync(path.join(root, 'out'));
    writeFileSync(path.join(outside, 'victim.css'), 'keep me');
    symlinkSync(path.join(outside, 'victim.css'), path.join(root, 'out', 'theme.css'));
    await expect(writeExport(FILES, { root, outDir: 'out', overwrite: true })).rejects.toThrow(/"out\/theme.css" is a symbolic link/);
    expect(readFileSync(path.join(outside, 'victim.css'), 'utf8')).toBe('keep me');
    expect(existsSync(path.join(root, 'out', 'Screen.tsx'))).toBe(false);
  });

  it('refuses export files whose own path would escape', async () => {
    await expect(writeExport([{ path: '../evil.js', contents: '' }], { root, outDir: 'out' })).rejects.toThrow(/unsafe path/);
    await expect(writeExport([{ path: '/etc/evil.js', contents: '' }], { root, outDir: 'out' })).rejects.toThrow(/unsafe path/);
  });
});

describe('existing files', () => {
  it('are left untouched without overwrite: the error lists them and nothing is written', async () => {
    mkdirSync(path.join(root, 'out'));
    writeFileSync(path.join(root, 'out', 'theme.css'), '/* mine */');
    const error = await writeExport(FILES, { root, outDir: 'out' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/1 file\(s\) in out already exist with other contents: theme.css; nothing was written/);
    expect(readFileSync(path.join(root, 'out', 'theme.css'), 'utf8')).toBe('/* mine */');
    expect(existsSync(path.join(root, 'out', 'Screen.tsx'))).toBe(false);
  });

  it('are replaced with overwrite, and identical files count as unchanged', async () => {
    mkdirSync(path.join(root, 'out'));
    writeFileSync(path.join(root, 'out', 'theme.css'), '/* mine */');
    writeFileSync(path.join(root, 'out', 'Screen.tsx'), FILES[0]!.contents);
    const plan = await writeExport(FILES, { root, outDir: 'out', overwrite: true });
    expect(plan).toMatchObject({ created: ['components/Button/Button.tsx'], overwritten: ['theme.css'], unchanged: ['Screen.tsx'] });
    expect(readFileSync(path.join(root, 'out', 'theme.css'), 'utf8')).toBe(FILES[1]!.contents);
  });

  it('dryRun reports created, overwritten and unchanged, and writes nothing', async () => {
    mkdirSync(path.join(root, 'out'));
    writeFileSync(path.join(root, 'out', 'theme.css'), '/* mine */');
    writeFileSync(path.join(root, 'out', 'Screen.tsx'), FILES[0]!.contents);
    const plan = await writeExport(FILES, { root, outDir: 'out', dryRun: true });
    expect(plan).toEqual({ outDir: 'out', created: ['components/Button/Button.tsx'], overwritten: ['theme.css'], unchanged: ['Screen.tsx'], dryRun: true });
    expect(readFileSync(path.join(root, 'out', 'theme.css'), 'utf8')).toBe('/* mine */');
    expect(existsSync(path.join(root, 'out', 'components'))).toBe(false);
  });
});
