import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BUILT_BIN } from '../helpers/built-bin.js';

const run = promisify(execFile);
const INSPECTOR = path.resolve('node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');

/** Runs a scripted MCP Inspector CLI session as users script it, with a throwaway HOME (it writes ~/.mcp-inspector). */
async function inspector(args: string[]) {
  const home = mkdtempSync(path.join(tmpdir(), 'dspec-inspector-home-'));
  try {
    const { stdout } = await run(process.execPath, [INSPECTOR, '--cli', '--format', 'json', '-q', process.execPath, BUILT_BIN, ...args], {
      env: { ...process.env, HOME: home },
      timeout: 60_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('a scripted MCP Inspector CLI session', () => {
  beforeAll(assertBuilt);

  it('lists the tools (exit 0)', async () => {
    const result = await inspector(['--method', 'tools/list']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).result.tools.map((t: { name: string }) => t.name)).toContain('generate_theme_css');
  });

  it('calls generate_theme_css (exit 0) and gets the CSS back', async () => {
    const theme = readFileSync('test/fixtures/themes/tiny-tekton.json', 'utf8');
    const result = await inspector(['--method', 'tools/call', '--tool-name', 'generate_theme_css', '--tool-args-json', JSON.stringify({ theme: JSON.parse(theme) })]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--atomic-color-brand-500');
  });

  it('exits 5 when the tool answers with an error', async () => {
    // strict: a broken reference refuses the whole theme (without it, the usable tokens come back beside the errors).
    const theme = readFileSync('test/fixtures/themes/broken-reference.json', 'utf8');
    const result = await inspector(['--method', 'tools/call', '--tool-name', 'generate_theme_css', '--tool-args-json', JSON.stringify({ theme: JSON.parse(theme), strict: true })]);
    expect(result.code).toBe(5);
  });
});
