import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apparentBytes, measureNpxInstall } from '../../bench/npx-install-size.mjs';

/** A folder laid out as npx leaves one: `<cache>/_npx/<hash>/node_modules/…`. */
function writePackage(directory: string, name: string, version: string, extra: Record<string, string> = {}): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'package.json'), JSON.stringify({ name, version }));
  for (const [file, contents] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    writeFileSync(path.join(directory, file), contents);
  }
}

describe('the npx install measurement', () => {
  let cache: string;

  beforeEach(() => {
    cache = mkdtempSync(path.join(tmpdir(), 'npx-size-'));
  });

  afterEach(() => {
    rmSync(cache, { recursive: true, force: true });
  });

  it('counts every package under node_modules, scoped, nested and optional, but not package.json files inside a package', () => {
    const modules = path.join(cache, '_npx', 'abc123', 'node_modules');
    writePackage(path.join(modules, 'dspec'), 'dspec', '0.1.0', { 'dist/esm/package.json': '{"type":"module"}' });
    writePackage(path.join(modules, 'esbuild'), 'esbuild', '0.28.2');
    writePackage(path.join(modules, '@esbuild', 'linux-x64'), '@esbuild/linux-x64', '0.28.2');
    writePackage(path.join(modules, 'esbuild', 'node_modules', 'semver'), 'semver', '6.3.1');
    writeFileSync(path.join(modules, '.package-lock.json'), '{}');
    const measured = measureNpxInstall(cache);
    expect(measured.folder).toBe(path.join(cache, '_npx', 'abc123'));
    expect(measured.packages).toEqual(['@esbuild/linux-x64@0.28.2', 'dspec@0.1.0', 'esbuild@0.28.2', 'semver@6.3.1']);
  });

  it('measures apparent bytes as du -sb does, a hard-linked file once', () => {
    const folder = path.join(cache, '_npx', 'abc123');
    const binary = path.join(folder, 'node_modules', '@esbuild', 'linux-x64', 'bin', 'esbuild');
    mkdirSync(path.dirname(binary), { recursive: true });
    writeFileSync(binary, Buffer.alloc(300_000, 1));
    mkdirSync(path.join(folder, 'node_modules', 'esbuild', 'bin'), { recursive: true });
    linkSync(binary, path.join(folder, 'node_modules', 'esbuild', 'bin', 'esbuild'));
    symlinkSync('../esbuild/bin/esbuild', path.join(folder, 'node_modules', 'esbuild-link'));
    writeFileSync(path.join(folder, 'package-lock.json'), 'x'.repeat(1234));
    const bytes = apparentBytes(folder);
    expect(bytes).toBeGreaterThan(301_234);
    expect(bytes).toBeLessThan(600_000);
    let du: string | undefined;
    try {
      du = execFileSync('du', ['-sb', folder], { encoding: 'utf8' });
    } catch {
      // BSD du (macOS) has no -b: the bounds above still hold.
    }
    if (du !== undefined) expect(bytes).toBe(Number(du.split(/\s/)[0]));
  });

  it('refuses a cache with no npx install, naming the folder', () => {
    expect(() => measureNpxInstall(cache)).toThrow(`expected one npx install under ${path.join(cache, '_npx')}, found none`);
  });
});
