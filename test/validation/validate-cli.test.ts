import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/run-command.js';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { card, CSS } from './support.js';

const dspecValidate = (argv: string[], cwd: string) => runCaptured(validateCommand, argv, cwd);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dspec-validate-'));
  const write = (sub: string, files: Record<string, string>) => {
    mkdirSync(path.join(dir, sub), { recursive: true });
    for (const [name, contents] of Object.entries(files)) writeFileSync(path.join(dir, sub, name), contents);
  };
  write('Card', { 'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'), 'Card.module.css': CSS, 'notes.txt': 'ignored' });
  write('Broken', { 'Card.tsx': card("<h2 className={styles.root} style={{ color: 'red' }}>{title}</h2>"), 'Card.module.css': '.root {\n  color: var(--colour-text);\n}\n' });
  write('WithRadix', {
    'Toggle.tsx':
      "import * as Switch from '@radix-ui/react-switch';\n\nexport function Toggle({ label }: { label: string }) {\n  return <Switch.Root aria-label={label}><Switch.Thumb /></Switch.Root>;\n}\n",
    'package.json': JSON.stringify({ name: 'toggle', peerDependencies: { react: '^19.0.0' } }),
  });
  // A components/ folder alone does not make an export: the screen file must import from it.
  write('CardWithFolder', { 'CardWithFolder.tsx': card('<h2 className={styles.root}>{title}</h2>').replaceAll('Card', 'CardWithFolder'), 'CardWithFolder.module.css': CSS });
  write('CardWithFolder/components/Unused', { 'Unused.tsx': "export const Unused = 'x' as unknown as number;\n" });
  writeFileSync(
    path.join(dir, 'theme.json'),
    JSON.stringify({ id: 't', tokens: { atomic: { color: { ink: { '900': { l: 0.2, c: 0.04, h: 265 } } } }, semantic: { foreground: { primary: 'atomic.color.ink.900' } } } }),
  );
  writeFileSync(path.join(dir, 'bad-theme.json'), '{ "id": ');
});

describe('dspec validate', { timeout: 180_000 }, () => {
  it('exits 0 and says so for a clean component directory', async () => {
    const result = await dspecValidate(['Card'], dir);
    expect(result).toEqual({ code: 0, stdout: 'no problems found\n', stderr: '' });
  });

  it('checks a directory with a components/ folder its code does not import as one component, as before', async () => {
    const result = await dspecValidate(['CardWithFolder'], dir);
    expect(result).toEqual({ code: 0, stdout: 'no problems found\n', stderr: '' });
  });

  it('exits 1 and prints compiler-style findings', async () => {
    const result = await dspecValidate(['Broken'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Card\.tsx:5:\d+ {2}error {2}colour-literal {2}hard-coded named colour "red"/m);
    expect(result.stdout).toContain('1 error, 0 warnings');
  });

  it('checks variables against a theme given with --theme', async () => {
    const result = await dspecValidate(['Broken/Card.module.css', 'Broken/Card.tsx', '--theme', 'theme.json', '--json'], dir);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.errors.map((f: { code: string }) => f.code)).toEqual(['undefined-variable', 'colour-literal']);
    expect(json.errors[0].message).toContain('--dspec-color-text');
  });

  it('takes dependencies from a package.json in the directory', async () => {
    const result = await dspecValidate(['WithRadix', '--json'], dir);
    expect(JSON.parse(result.stdout).errors).toEqual([expect.objectContaining({ code: 'dependency-undeclared' })]);
    expect(result.code).toBe(1);
  });

  it('uses --name for the component', async () => {
    const result = await dspecValidate(['Card', '--name', 'Other'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('main-file-missing');
  });

  it('exits 2 with one line on stderr for missing files, unreadable themes and no arguments', async () => {
    for (const argv of [['Nope'], ['Card', '--theme', 'bad-theme.json'], []]) {
      const result = await dspecValidate(argv, dir);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^dspec: /);
    }
  });

  it('validates each directory as its own component and ends with a summary', async () => {
    // Two clean components of 32 files each: together over the 50-file bundle limit, each well within it.
    for (const name of ['Alpha', 'Beta']) {
      mkdirSync(path.join(dir, name), { recursive: true });
      writeFileSync(path.join(dir, name, `${name}.tsx`), card('<h2 className={styles.root}>{title}</h2>').replaceAll('Card', name));
      writeFileSync(path.join(dir, name, `${name}.module.css`), CSS);
      for (let index = 0; index < 30; index++) writeFileSync(path.join(dir, name, `note-${index}.md`), `# Note ${index}\n`);
    }
    const result = await dspecValidate(['Alpha', 'Broken', 'Beta'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('── Alpha (Alpha)\nno problems found');
    expect(result.stdout).toMatch(/── Broken \(Card\)\nCard\.tsx:5:\d+ {2}error {2}colour-literal/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('3 components, 1 with errors');

    const json = JSON.parse((await dspecValidate(['Alpha', 'Beta', '--json'], dir)).stdout);
    expect(json.summary).toEqual({ components: 2, withErrors: 0 });
    expect(json.components.map((component: { path: string; name: string; valid: boolean }) => [component.path, component.name, component.valid])).toEqual([
      ['Alpha', 'Alpha', true],
      ['Beta', 'Beta', true],
    ]);
    expect((await dspecValidate(['Alpha', 'Beta'], dir)).code).toBe(0);
  });

  it('refuses --name with several components', async () => {
    const result = await dspecValidate(['Card', 'Broken', '--name', 'X'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--name applies to one component/);
  });
});
