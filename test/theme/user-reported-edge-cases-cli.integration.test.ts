import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { assertBuilt, BUILT_BIN } from '../helpers/built-bin.js';

// The domain cases are in user-reported-edge-cases.test.ts; this one runs the built bin as the user did.
const run = promisify(execFile);

describe('dspec theme css with the reported file', () => {
  let dir: string | undefined;

  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('writes every reported case as Style Dictionary would, and exits 0', async () => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'dspec-edge-'));
    const tokens = {
      icon: { close: { value: '"\\f00d"' } },
      blank: { value: '' },
      border: { 'selected ': { value: '#000000' } },
      font: { body: { value: 'Arial', md: { value: 'Georgia' } } },
    };
    writeFileSync(path.join(dir, 'F.json'), JSON.stringify(tokens));
    const { stderr } = await run(process.execPath, [BUILT_BIN, 'theme', 'css', 'F.json', '-o', 'out.css', '--no-component-defaults'], { cwd: dir });
    const css = readFileSync(path.join(dir, 'out.css'), 'utf8');
    expect(css).toBe(':root {\n  --icon-close: "\\f00d";\n  --blank: ;\n  --border-selected: #000000;\n  --font-body: Arial;\n}\n');
    expect(stderr).toContain('font.body.md');
  });
});
