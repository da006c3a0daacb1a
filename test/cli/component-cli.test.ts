import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

async function dspec(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env: {} });
  return { code, stdout, stderr };
}

describe('dspec component', () => {
  it('prints a catalog component with its props as defaults', async () => {
    const result = await dspec(['component', 'Button', '--props', '{"variant":"danger"}'], process.cwd());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('// ── Button.tsx ──');
    expect(result.stdout).toContain('variant = "danger"');
  });

  it('writes the files and the bound theme CSS with --out, and refuses to overwrite without --overwrite', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-component-'));
    writeFileSync(path.join(dir, 'theme.json'), readFileSync('test/fixtures/themes/tiny-tekton.json'));
    const first = await dspec(['component', 'Switch', '--theme', 'theme.json', '--out', 'ui'], dir);
    expect(first.code).toBe(0);
    expect(readFileSync(path.join(dir, 'ui/Switch.tsx'), 'utf8')).toContain('export function Switch');
    expect(readFileSync(path.join(dir, 'ui/theme.css'), 'utf8')).toContain('--switch-track-checked-background');
    const again = await dspec(['component', 'Switch', '--out', 'ui'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist.*--overwrite/);
    expect((await dspec(['component', 'Switch', '--out', 'ui', '--overwrite'], dir)).code).toBe(0);
  });

  it('exits 2 with one line for a bad name, bad props JSON, or a generated component with no provider', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-component-'));
    for (const args of [
      ['component', '../etc'],
      ['component', 'Button', '--props', '{bad'],
      ['component', 'StatCard', '--description', 'a card', '--cached'],
    ]) {
      const result = await dspec(args, dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('writes --out wherever the person typed, outside the working directory too', async () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-component-')));
    const elsewhere = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-component-elsewhere-')));
    const relative = await dspec(['component', 'Badge', '--out', path.relative(dir, path.join(elsewhere, 'rel'))], dir);
    expect(relative.code).toBe(0);
    expect(readFileSync(path.join(elsewhere, 'rel/Badge.tsx'), 'utf8')).toContain('export function Badge');
    const absolute = await dspec(['component', 'Badge', '--out', path.join(elsewhere, 'abs')], dir);
    expect(absolute.code).toBe(0);
    expect(readFileSync(path.join(elsewhere, 'abs/Badge.tsx'), 'utf8')).toContain('export function Badge');
  });
});
