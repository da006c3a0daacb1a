import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('emits each --mode-selector mode under its selector and counts its declarations', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-cli-'));
    const tokens = {
      paper: { $type: 'color', $value: '#ffffff', $extensions: { 'org.primer.overrides': { dark: '#000000', 'dark-dimmed': '#222222' } } },
      ink: { $type: 'color', $value: '#111111', $extensions: { 'org.primer.overrides': { dark: '#eeeeee' } } },
    };
    writeFileSync(path.join(dir, 'tokens.json'), JSON.stringify(tokens));
    const result = await dspec(
      ['theme', 'css', 'tokens.json', '-o', 'modes.css', '--no-component-defaults', '--mode-selector', 'dark', '--mode-selector', 'dark-dimmed=[data-color-mode="dark-dimmed"]'],
      dir,
    );
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, 'modes.css'), 'utf8')).toBe(
      ':root {\n  --paper: #ffffff;\n  --ink: #111111;\n}\n\n.dark {\n  --paper: #000000;\n  --ink: #eeeeee;\n}\n\n[data-color-mode="dark-dimmed"] {\n  --paper: #222222;\n  --ink: #eeeeee;\n}\n',
    );
    expect(result.stderr).toContain('declarations: 2 light, 2 dark, 2 dark-dimmed;');
  });

  it('exits 2 with one line naming line and column for malformed JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-cli-'));
    writeFileSync(path.join(dir, 'bad.json'), '{\n  "tokens": {\n    "atomic": { , }\n  }\n}\n');
    const result = await dspec(['theme', 'css', 'bad.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('bad.json:3:17');
  });

  it('exits 1 for a broken reference: prints the CSS of the other tokens and the error once, with its "did you mean"', async () => {
    const result = await dspec(['theme', 'css', 'test/fixtures/themes/broken-reference.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('--atomic-color-brand-500: #3355ff;');
    expect(result.stdout).not.toContain('--semantic-background-brand:');
    const errorLines = result.stderr.split('\n').filter((line) => line.includes('semantic.background.brand'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('did you mean atomic.color.brand.500?');
    expect(result.stderr).not.toMatch(/ — /);
  });

  it('exits 1 with --strict, writing nothing, and for a circular reference or a name collision', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-cli-'));
    const strict = await dspec(['theme', 'css', path.resolve('test/fixtures/themes/broken-reference.json'), '--strict', '-o', 'out.css'], dir);
    expect(strict.code).toBe(1);
    expect(existsSync(path.join(dir, 'out.css'))).toBe(false);
    expect(strict.stderr.split('\n').filter((line) => line.includes('semantic.background.brand'))).toHaveLength(1);
    writeFileSync(path.join(dir, 'cycle.json'), JSON.stringify({ a: { $type: 'color', $value: '{b}' }, b: { $type: 'color', $value: '{a}' }, c: { $type: 'color', $value: '#fff' } }));
    const cycle = await dspec(['theme', 'css', 'cycle.json'], dir);
    expect(cycle.code).toBe(1);
    expect(cycle.stderr).toMatch(/a → b → a/);
    writeFileSync(path.join(dir, 'clash.json'), JSON.stringify({ fgColor: { $type: 'number', $value: 1 }, 'fg-color': { $type: 'number', $value: 2 } }));
    const clash = await dspec(['theme', 'css', 'clash.json', '-o', 'clash.css', '--no-component-defaults'], dir);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/fg-color and fgColor both become the CSS variable --fg-color.*naming: "preserve"/);
    expect(readFileSync(path.join(dir, 'clash.css'), 'utf8')).toContain('--fg-color: 1;');
    expect(clash.stderr).toMatch(/wrote clash\.css \(1 variables; declarations: 1 light, 0 dark;/);
  });

  it('prints at most a screenful for 1,000 tokens with warnings, and every warning with --verbose', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-cli-'));
    const tokens: Record<string, unknown> = {};
    for (let i = 0; i < 1_000; i++) tokens[`t${i}`] = i % 2 ? { value: `${i}px` } : { value: `linear-gradient(red, blue);` };
    tokens.broken = { value: '{t9999}' };
    writeFileSync(path.join(dir, 'big.json'), JSON.stringify({ size: tokens }));
    const result = await dspec(['theme', 'css', 'big.json', '-o', 'big.css', '--no-component-defaults'], dir);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(lines.some((line) => /^warning missing-type ×1000 \(size\.t0, size\.t1, size\.t2, …\)/.test(line))).toBe(true);
    expect(lines.some((line) => /^warning trailing-semicolon ×500/.test(line))).toBe(true);
    expect(readFileSync(path.join(dir, 'big.css'), 'utf8')).toContain('--size-t0: linear-gradient(red, blue);');
    const verbose = await dspec(['theme', 'css', 'big.json', '-o', 'big.css', '--no-component-defaults', '--verbose'], dir);
    expect(verbose.stderr.split('\n').filter((line) => line.startsWith('warning missing-type'))).toHaveLength(1_000);
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
