import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandHelp, usageLine } from '../../src/cli/command-definition.js';
import { findCommand, runCli, usageLines } from '../../src/cli/run-cli.js';

/** Usage text is generated from each command's option definitions; nothing keeps a copy by hand. */

const root = path.resolve(import.meta.dirname, '../..');

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: root, env: { DSPEC_LOG_LEVEL: 'silent' } });
  return { code, stdout, stderr };
}

/** The fenced block that follows the README's "generated" marker under "## CLI". */
function readmeCliBlock(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const match = /<!-- Generated from the command definitions[^\n]*-->\n```sh\n([\s\S]*?)\n```/.exec(readme);
  if (!match) throw new Error('README.md has no generated CLI block under "## CLI"');
  return match[1]!.split('\n');
}

describe('CLI help is generated from the command definitions', () => {
  it('the README lists exactly the usage lines dspec --help prints', async () => {
    const lines = await usageLines();
    expect(readmeCliBlock()).toEqual(lines);
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const line of lines) expect(stdout).toContain(`  ${line}\n`);
  });

  it('every option a command parses appears in its usage line and its --help, with a description', async () => {
    for (const line of await usageLines()) {
      const words = line
        .split(' ')
        .slice(1)
        .filter((word) => /^[a-z]+$/.test(word))
        .slice(0, 2);
      const command = (await findCommand(words))!;
      const help = commandHelp(command);
      for (const [name, option] of Object.entries(command.options)) {
        expect(usageLine(command), `${words.join(' ')} --${name}`).toContain(`--${name}`);
        expect(help).toMatch(new RegExp(`--${name}\\b.*   ${option.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        expect(option.description.length, `${words.join(' ')} --${name} needs a description`).toBeGreaterThan(0);
      }
    }
  });

  it('serve --help documents --max-sessions with its default (once missing from dspec --help), and marks the legacy options', async () => {
    const { code, stdout } = await run(['serve', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Usage: dspec serve [--http] [--port 3939] [--host 127.0.0.1] [--sessions] [--legacy-sse] [--stateless] [--max-sessions 100] [--session-idle-timeout 1800] [--allow-unauthenticated]',
    );
    expect(stdout).toMatch(/--max-sessions 100 +with --sessions: open sessions at most; one more initialize gets 503 \(default 100\)/);
    expect(stdout).toMatch(/--legacy-sse +deprecated: also serve the HTTP\+SSE transport/);
    expect(stdout).toMatch(/--sessions +legacy: stateful HTTP sessions/);
    expect((await run(['--help'])).stdout).toContain('--max-sessions 100');
  });

  it('a flag a command does not take is refused with the generated usage line', async () => {
    const { code, stderr } = await run(['cache', 'stats', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain('usage: dspec cache stats [--json]');
  });
});
