import { execFileSync } from 'node:child_process';
import fs, { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globSync } from '../../scripts/conformance/fs-with-glob.mjs';
import { initialize, resolve } from '../../scripts/conformance/node20-fs-hooks.mjs';
import { runSuite, suitePackage } from '../../scripts/conformance/suite-cli.mjs';

/**
 * The conformance suite imports `globSync` from "fs" (Node 22). On Node 20 a preload resolves the
 * suite's own `fs` import to node:fs plus a globSync built on tinyglobby; these tests pin that the
 * CLI then loads, that the stand-in answers as Node 22's does, and that nothing else is redirected.
 */

const nodeHasGlobSync = typeof (fs as { globSync?: unknown }).globSync === 'function';

describe('globSync stand-in', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'dspec-glob-'));
    for (const file of ['checks.json', 'a/checks.json', 'a/b/checks.json', 'c/other.json']) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), '[]');
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the saved checks.json files the suite looks for, relative to cwd', () => {
    expect(globSync('**/checks.json', { cwd: root }).sort()).toEqual(['a/b/checks.json', 'a/checks.json', 'checks.json']);
  });

  it('answers directories too, without a trailing slash, and takes cwd as a file URL', () => {
    expect(globSync('*', { cwd: pathToFileURL(root) }).sort()).toEqual(['a', 'c', 'checks.json']);
  });

  it('leaves out what exclude names, as patterns or as a function', () => {
    expect(globSync('**/checks.json', { cwd: root, exclude: ['a/b/**'] }).sort()).toEqual(['a/checks.json', 'checks.json']);
    expect(globSync('**/*.json', { cwd: root, exclude: (file: string) => file.startsWith('a/') }).sort()).toEqual(['c/other.json', 'checks.json']);
  });

  it('refuses withFileTypes by name instead of answering strings in its place', () => {
    expect(() => globSync('*', { cwd: root, withFileTypes: true })).toThrow(/withFileTypes is not supported/);
  });

  it.runIf(nodeHasGlobSync)('matches Node 22 fs.globSync on the same tree', () => {
    const nodeGlobSync = (fs as unknown as { globSync: (pattern: string, options: { cwd: string }) => string[] }).globSync;
    for (const pattern of ['**/checks.json', '*', '**/*.json']) {
      expect(globSync(pattern, { cwd: root }).sort()).toEqual(nodeGlobSync(pattern, { cwd: root }).sort());
    }
  });
});

describe('resolve hook', () => {
  const suiteDir = path.dirname(suitePackage().bin);
  const packageUrlPrefix = `${pathToFileURL(path.dirname(suiteDir)).href}/`;
  const shimUrl = 'file:///shim/fs-with-glob.mjs';
  const delegated = async (specifier: string) => ({ url: `delegated:${specifier}` });
  beforeAll(() => initialize({ shimUrl, packageUrlPrefix }));

  it("sends the suite's fs import to the stand-in", async () => {
    const parentURL = pathToFileURL(path.join(suiteDir, 'index.js')).href;
    expect(await resolve('fs', { parentURL }, delegated)).toEqual({ url: shimUrl, shortCircuit: true });
    expect(await resolve('node:fs', { parentURL }, delegated)).toEqual({ url: shimUrl, shortCircuit: true });
  });

  it('leaves every other importer, and the suite’s other imports, to Node', async () => {
    expect(await resolve('fs', { parentURL: pathToFileURL(path.resolve('src/index.ts')).href }, delegated)).toEqual({ url: 'delegated:fs' });
    expect(await resolve('path', { parentURL: pathToFileURL(path.join(suiteDir, 'index.js')).href }, delegated)).toEqual({ url: 'delegated:path' });
  });
});

describe('the conformance CLI on this Node', () => {
  it('loads through the preload and reports the pinned version', async () => {
    const run = await runSuite(['--version']);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(suitePackage().version);
    expect(suitePackage().version).toBe('0.2.0-alpha.12');
  });

  it.runIf(!nodeHasGlobSync)('does not load without it (the reason the preload exists)', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, [suitePackage().bin, '--version'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr?: unknown }).stderr);
    }
    expect(stderr).toMatch(/does not provide an export named 'globSync'/);
  });
});
