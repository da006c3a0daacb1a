import { mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../src/cli/commands/export.js';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { runCaptured } from '../helpers/run-command.js';
import { describeWithShared, sharedPath } from '../helpers/shared-fixtures.js';

/**
 * Every example screen, exported with `dspec export` and checked with `dspec validate` on the
 * folder it wrote: no findings, exit 0. The export and the validation of its folder must agree.
 */

let root: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-validate-every-export-')));
});

async function exportThenValidate(screenFile: string, extraExportArgs: string[] = []): Promise<void> {
  const out = `${path.basename(screenFile, '.json')}${extraExportArgs.length ? '-variant' : ''}`;
  const exported = await runCaptured(exportCommand, [screenFile, '--out', out, ...extraExportArgs], root);
  // Handlers a screen names as strings are reported as warnings; nothing else may appear.
  expect(exported.stderr.split('\n').filter((line) => line && !line.startsWith('warning '))).toEqual([]);
  expect(exported.code).toBe(0);
  const validated = await runCaptured(validateCommand, [out], root);
  expect(validated.stderr).toBe('');
  expect(validated.stdout).toMatch(/^exported screen \w+ and \d+ components? \([\w, ]+\)\nno problems found\n$/);
  expect(validated.code).toBe(0);
}

const sharedScreens = (folder: string) => readdirSync(sharedPath(folder)).filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json'));

describeWithShared('dspec validate finds nothing in the export of every shared screen and blueprint', () => {
  for (const folder of ['fixtures/tekton-screens', 'fixtures/tekton-blueprints']) {
    for (const file of sharedScreens(folder)) {
      it(`${folder}/${file}`, { timeout: 300_000 }, () => exportThenValidate(sharedPath(folder, file)));
    }
  }
});

describe("dspec validate finds nothing in the export of the repo's own example screens", () => {
  it('examples/preview-screen.json, default theme', { timeout: 300_000 }, () => exportThenValidate(path.resolve('examples/preview-screen.json')));

  it('examples/preview-screen.json with the dual-mode fixture theme and without tests', { timeout: 300_000 }, () =>
    exportThenValidate(path.resolve('examples/preview-screen.json'), ['--theme', path.resolve('test/fixtures/screens/dual-mode-theme.json'), '--no-tests']),
  );
});
