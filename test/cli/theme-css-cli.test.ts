import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BUILT_BIN } from '../helpers/built-bin.js';

const run = promisify(execFile);

async function dspec(args: string[], cwd = process.cwd()) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BUILT_BIN, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('dspec theme css', () => {
  beforeAll(assertBuilt);
  const tiny = path.resolve('test/fixtures/themes/tiny-tekton.json');

  it('prints the CSS on stdout and exits 0', async () => {
    const result = await dspec(['theme', 'css', tiny]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^:root \{/);
    expect(result.stdout).toContain('--atomic-color-brand-500: oklch(0.55 0.12 265);');
  });

  it('writes the file given with -o and honours --references, --dark-selector and --minify', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-cli-'));
    const result = await dspec(['theme', 'css', tiny, '-o', 'out/theme.css', '--references', 'resolve', '--dark-selector', '[data-theme=dark]', '--minify'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const css = readFileSync(path.join(dir, 'out/theme.css'), 'utf8');
    expect(css).toContain('[data-theme=dark]{');
    expect(css).not.toContain('var(');
    expect(css).not.toContain('\n  ');
  });

  it('exits 2 with one line naming line and column for malformed JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-cli-'));
    writeFileSync(path.join(dir, 'bad.json'), '{\n  "tokens": {\n    "atomic": { , }\n  }\n}\n');
    const result = await dspec(['theme', 'css', 'bad.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('bad.json:3:17');
  });

  it('exits 2 naming the token path for a broken reference', async () => {
    const result = await dspec(['theme', 'css', 'test/fixtures/themes/broken-reference.json']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('semantic.background.brand');
  });

  it('exits 2 for a missing file, a bad option value and an unknown command', async () => {
    expect((await dspec(['theme', 'css', 'no-such-file.json'])).stderr).toMatch(/cannot read no-such-file\.json: ENOENT/);
    expect((await dspec(['theme', 'css', tiny, '--references', 'maybe'])).code).toBe(2);
    expect((await dspec(['theme', 'css', tiny, '--bogus'])).code).toBe(2);
    const unknown = await dspec(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
  });

  it('prints help and version', async () => {
    expect((await dspec(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await dspec(['--help'])).stdout).toMatch(/dspec theme css/);
  });
});
