import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../src/cli/commands/export.js';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { flattenComponentImports } from '../../src/screen/read-export-folder.js';
import { runCaptured } from '../helpers/run-command.js';

/**
 * `dspec validate <folder>` on a folder `dspec export` wrote: the screen with its
 * `./components/<Name>` imports resolved and each component through the gate, as the export
 * itself checks them. The exhaustive loop over every example screen is in
 * validate-exported-folder.integration.test.ts.
 */

let root: string;
const dspecValidate = (args: string[]) => runCaptured(validateCommand, args, root);

/** A fresh copy of the clean export, to break in one way. */
function copyOfExport(name: string): string {
  cpSync(path.join(root, 'team'), path.join(root, name), { recursive: true });
  return path.join(root, name);
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-validate-export-')));
  const exported = await runCaptured(exportCommand, [path.resolve('examples/preview-screen.json'), '--out', 'team'], root);
  expect(exported.stderr).toBe('');
  expect(exported.code).toBe(0);
}, 180_000);

describe('dspec validate on an exported screen folder', { timeout: 180_000 }, () => {
  it('finds nothing in a fresh export and exits 0, naming the screen and each component it checked', async () => {
    const result = await dspecValidate(['team']);
    expect(result).toEqual({ code: 0, stdout: 'exported screen TeamOverview and 5 components (Badge, Button, Card, Heading, Text)\nno problems found\n', stderr: '' });
  });

  it("the export's README names the command that checks it", () => {
    const readme = readFileSync(path.join(root, 'team/README.md'), 'utf8');
    expect(readme).toContain('## Check it');
    expect(readme).toContain('run `dspec validate <this folder>`');
  });

  it('a deleted component file is reported at the component and at each line that imports it, with exit 1', async () => {
    const folder = copyOfExport('no-badge-file');
    rmSync(path.join(folder, 'components/Badge/Badge.tsx'));
    const result = await dspecValidate(['no-badge-file']);
    expect(result.code).toBe(1);
    const screenSource = readFileSync(path.join(folder, 'TeamOverview.tsx'), 'utf8').split('\n');
    const importLine = screenSource.findIndex((line) => line.includes('"./components/Badge"')) + 1;
    const importColumn = screenSource[importLine - 1]!.indexOf('"./components/Badge"') + 1;
    expect(result.stdout.split('\n')).toEqual([
      'exported screen TeamOverview and 5 components (Badge, Button, Card, Heading, Text)',
      'components/Badge/  error  main-file-missing  the bundle has no main file Badge.tsx for component Badge',
      `index.ts:2:23  error  import-unresolved  import "./components/Badge" names no file of the bundle`,
      `index.ts:3:33  error  import-unresolved  import "./components/Badge" names no file of the bundle`,
      `TeamOverview.tsx:${importLine}:${importColumn}  error  import-unresolved  import "./components/Badge" names no file of the bundle`,
      '4 errors, 0 warnings',
      '',
    ]);
  });

  it("checks theme variables against the export's own theme.css", async () => {
    const folder = copyOfExport('no-badge-radius');
    const themeFile = path.join(folder, 'theme.css');
    const theme = readFileSync(themeFile, 'utf8');
    expect(theme).toMatch(/^\s*--badge-radius:/m);
    writeFileSync(themeFile, theme.replace(/^\s*--badge-radius:.*\n/m, ''));
    const result = await dspecValidate(['no-badge-radius', '--json']);
    expect(result.code).toBe(1);
    const css = readFileSync(path.join(folder, 'components/Badge/Badge.module.css'), 'utf8').split('\n');
    const line = css.findIndex((text) => text.includes('var(--badge-radius)')) + 1;
    const { errors } = JSON.parse(result.stdout) as { errors: Array<{ file: string; line: number; code: string; message: string }> };
    expect(errors).toEqual([expect.objectContaining({ file: 'components/Badge/Badge.module.css', line, code: 'undefined-variable' })]);
    expect(errors[0]!.message).toContain('--badge-radius');
  });

  it('without theme.css warns that theme variables were not checked; several folders end with a summary', async () => {
    const folder = copyOfExport('no-theme');
    rmSync(path.join(folder, 'theme.css'));
    const result = await dspecValidate(['team', 'no-theme']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '── team (exported screen TeamOverview and 5 components (Badge, Button, Card, Heading, Text))',
        'no problems found',
        '',
        '── no-theme (exported screen TeamOverview and 5 components (Badge, Button, Card, Heading, Text))',
        'theme.css  warning  export-layout  no theme.css beside the screen, so theme variables were not checked; pass --theme to check them',
        '0 errors, 1 warning',
        '',
        '2 components, 0 with errors',
        '',
      ].join('\n'),
    );
  });

  it('reports a folder the export never writes inside a component, since nothing in it is checked', async () => {
    const folder = copyOfExport('nested');
    mkdirSync(path.join(folder, 'components/Card/parts'));
    writeFileSync(path.join(folder, 'components/Card/parts/Extra.tsx'), 'export const Extra = 1;\n');
    const result = await dspecValidate(['nested']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("components/Card/parts/  error  export-layout  components/Card/parts/ is a folder, but a component's folder is flat, so nothing in it was checked\n");
    expect(result.stdout).toContain('1 error, 0 warnings');
  });

  it('refuses --name for an export, and refuses a JSX export with the way to check it (exit 2)', async () => {
    const named = await dspecValidate(['team', '--name', 'Other']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('team is an exported screen (TeamOverview)');

    const exported = await runCaptured(exportCommand, [path.resolve('examples/preview-screen.json'), '--out', 'team-jsx', '--format', 'jsx', '--no-tests'], root);
    expect(exported.code).toBe(0);
    const jsx = await dspecValidate(['team-jsx']);
    expect(jsx.code).toBe(2);
    expect(jsx.stderr).toContain('is a JSX export (TeamOverview.jsx)');
    expect(jsx.stderr).toContain('--format tsx');
  });
});

describe('flattenComponentImports', () => {
  const sources = new Map([
    [
      'Badge',
      [
        { path: 'Badge.tsx', contents: '' },
        { path: 'Badge.module.css', contents: '' },
        { path: 'format.ts', contents: '' },
      ],
    ],
  ]);

  it('rewrites imports of present component files to flat ones and keeps every column on the line', () => {
    const source = "import { Badge } from './components/Badge'; export const x = 1;\nimport { f } from \"./components/Badge/format\";\nexport * from './components/Badge/index';\n";
    const flat = flattenComponentImports({ path: 'Screen.tsx', contents: source }, sources);
    const pad = (from: string, to: string) => ' '.repeat(from.length - to.length);
    expect(flat.split('\n')).toEqual([
      `import { Badge } from './Badge'${pad('./components/Badge', './Badge')}; export const x = 1;`,
      `import { f } from "./format"${pad('./components/Badge/format', './format')};`,
      `export * from './Badge'${pad('./components/Badge/index', './Badge')};`,
      '',
    ]);
    expect(flat.split('\n').map((line) => line.length)).toEqual(source.split('\n').map((line) => line.length));
  });

  it('leaves imports of missing components and files as written, so the gate reports them where they are', () => {
    const source = "import { Card } from './components/Card';\nimport { g } from './components/Badge/missing';\n";
    expect(flattenComponentImports({ path: 'Screen.tsx', contents: source }, sources)).toBe(source);
  });
});
