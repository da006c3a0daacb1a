import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliCommand } from '../../src/cli/run-cli.js';
import { runCaptured } from '../helpers/run-command.js';
import { createExportCommand, exportCommand } from '../../src/cli/commands/export.js';

const dspecExport = (args: string[], cwd: string, command: CliCommand = exportCommand) => runCaptured(command, args, cwd);

function project(screen: unknown): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-export-cli-')));
  writeFileSync(path.join(root, 'screen.json'), JSON.stringify(screen));
  writeFileSync(path.join(root, 'theme.json'), readFileSync('test/fixtures/screens/dual-mode-theme.json'));
  return root;
}

const blueprint = {
  id: 'cli-page',
  name: 'CLI',
  layout: 'single-column',
  components: [
    { type: 'Heading', props: { level: 1 }, children: ['Hello'] },
    { type: 'Button', props: { label: 'Go' } },
  ],
};

describe('dspec export', { timeout: 180_000 }, () => {
  it('writes the export into --out and exits 0', async () => {
    const root = project(blueprint);
    const result = await dspecExport(['screen.json', '--theme', 'theme.json', '--out', 'src/screen'], root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote CliPage to src\/screen: \d+ created, 0 overwritten, 0 unchanged/);
    expect(readFileSync(path.join(root, 'src/screen/theme.css'), 'utf8')).toContain('.dark {');
  });

  it('--dry-run --json reports the plan and writes nothing; a second run without --overwrite is refused with exit 2', async () => {
    const root = project(blueprint);
    const dry = await dspecExport(['screen.json', '--out', 'out', '--dry-run', '--json', '--format', 'jsx'], root);
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({ success: true, dryRun: true, screenName: 'CliPage' });
    expect(report.written.created).toContain('CliPage.jsx');
    expect(() => readFileSync(path.join(root, 'out/CliPage.jsx'))).toThrow();

    expect((await dspecExport(['screen.json', '--out', 'out'], root)).code).toBe(0);
    const changed = project({ ...blueprint, name: 'CLI', components: [...blueprint.components, { type: 'Badge', children: ['new'] }] });
    writeFileSync(path.join(root, 'screen.json'), readFileSync(path.join(changed, 'screen.json')));
    const refused = await dspecExport(['screen.json', '--out', 'out'], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/already exist with other contents/);
    expect((await dspecExport(['screen.json', '--out', 'out', '--overwrite'], root)).code).toBe(0);
  });

  it('exits 1 when the export fails (a type that needs a provider, with --cached passed to the generator)', async () => {
    const root = project({ ...blueprint, components: [{ type: 'OrgChart', props: { label: 'x' } }] });
    const noProvider = await dspecExport(['screen.json', '--out', 'out'], root);
    expect(noProvider.code).toBe(1);
    expect(noProvider.stderr).toMatch(/^dspec: export of CliPage failed \(OrgChart\): .*needs an LLM provider/);

    const seen: Array<unknown> = [];
    const command = createExportCommand({
      generateUnknown: () => async (_type, _description, _signal, options) => {
        seen.push(options);
        throw new Error('cache miss for OrgChart');
      },
    });
    const cached = await dspecExport(['screen.json', '--out', 'out', '--cached'], root, command);
    expect(cached.code).toBe(1);
    expect(seen).toEqual([expect.objectContaining({ cacheOnly: true })]);
    expect(cached.stderr).toContain('cache miss for OrgChart');
  });

  it('exits 2 on usage and input errors, with one line on stderr', async () => {
    const root = project(blueprint);
    writeFileSync(path.join(root, 'broken.json'), '{ "id": ');
    for (const args of [['screen.json'], ['missing.json', '--out', 'out'], ['broken.json', '--out', 'out'], ['screen.json', '--out', 'o', '--format', 'vue']]) {
      const result = await dspecExport(args, root);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('exits 1 when the screen was read but is not clean, naming the allowed values of a bad prop', async () => {
    const root = project({ ...blueprint, components: [{ type: 'Button', props: { label: 'Go', variant: 'purple' } }] });
    const result = await dspecExport(['screen.json', '--out', 'out'], root);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/components\[0\]\.props\.variant: "purple" is not one of primary, secondary, /);
  });

  it('writes to any folder the person typed, outside the working directory too, as a compiler does', async () => {
    const root = project(blueprint);
    const elsewhere = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-export-elsewhere-')));
    const relative = await dspecExport(['screen.json', '--out', path.relative(root, path.join(elsewhere, 'rel'))], root);
    expect(relative.stderr).toBe('');
    expect(relative.code).toBe(0);
    expect(readFileSync(path.join(elsewhere, 'rel/CliPage.tsx'), 'utf8')).toContain('export function CliPage');
    const absolute = await dspecExport(['screen.json', '--out', path.join(elsewhere, 'abs')], root);
    expect(absolute.code).toBe(0);
    expect(absolute.stdout).toContain(`to ${path.join(elsewhere, 'abs')}`);
    expect(readFileSync(path.join(elsewhere, 'abs/index.ts'), 'utf8')).toContain('CliPage');
  });

  it("the export's README names each handler given as a string, and where to pass it", async () => {
    const root = project({ ...blueprint, components: [{ type: 'Button', props: { label: 'Go', onClick: 'handleGo' } }] });
    const result = await dspecExport(['screen.json', '--out', 'out', '--no-tests'], root);
    expect(result.code).toBe(0);
    const readme = readFileSync(path.join(root, 'out/README.md'), 'utf8');
    expect(readme).toContain('- `handleGo`: pass it as `onClick` of Button at `components[0]`');
  });
});
