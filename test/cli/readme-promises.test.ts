import { mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCommand, helpText, runCli } from '../../src/cli/run-cli.js';

/**
 * The README's CLI section and `dspec --help` promise commands and flags: every line of both is
 * checked here against what the command accepts, and the promises that can be run are run
 * (exit codes, an empty cache's archive).
 */

async function dspec(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env: { DSPEC_HOME: path.join(cwd, '.dspec') } });
  return { code, stdout, stderr };
}

/** `dspec cost summary|optimize [--period …] [--json]` → one entry per command word set, each with the flags shown. */
function parseUsageLine(line: string): Array<{ words: string[]; flags: string[]; line: string }> {
  const text = line.replace(/#.*$/, '').trim();
  if (!text.startsWith('dspec ') || text.startsWith('dspec --')) return [];
  // ` | ` outside brackets separates several commands on one help line (`cache stats [--json] | list …`).
  const [head, ...alternatives] = splitOutsideBrackets(text.slice('dspec '.length));
  const first = head!.split(/\s+/);
  const group = first[0]!;
  const segments = [first.join(' '), ...alternatives.map((alternative) => `${group} ${alternative.trim()}`)];
  return segments.flatMap((segment) => {
    const tokens = segment.split(/\s+/);
    const words: string[] = [];
    for (const token of tokens) {
      if (!/^[a-z][a-z|]*$/.test(token)) break;
      words.push(token);
    }
    const flags = [...segment.matchAll(/(?:^|[\s[(|])(--?[a-z][a-z-]*)/g)].map((match) => match[1]!);
    // `summary|forecast` names several commands sharing the flags shown.
    const last = words.at(-1) ?? '';
    const variants = last.includes('|') ? last.split('|').map((variant) => [...words.slice(0, -1), variant]) : [words];
    return variants.map((variant) => ({ words: variant, flags, line }));
  });
}

function splitOutsideBrackets(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '[' || char === '(') depth++;
    else if (char === ']' || char === ')') depth--;
    else if (depth === 0 && text.startsWith(' | ', index)) {
      parts.push(text.slice(start, index));
      start = index + 3;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function readmeCliLines(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('\n## CLI'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README has no ```sh block in its CLI section');
  return block[1]!.split('\n').filter((line) => line.startsWith('dspec'));
}

async function expectFlagsAccepted(lines: string[], source: string): Promise<number> {
  let checked = 0;
  for (const line of lines) {
    for (const usage of parseUsageLine(line)) {
      const words = usage.words.length ? usage.words : ['serve'];
      const command = await findCommand(words);
      expect(command, `${source}: "${line}" names no command`).toBeDefined();
      const accepted = new Set(Object.entries(command!.options).flatMap(([name, option]) => [`--${name}`, ...(option.short ? [`-${option.short}`] : [])]));
      for (const flag of usage.flags) {
        if (flag === '--help' || flag === '--version') continue;
        expect(accepted.has(flag), `${source}: "${line}" shows ${flag}, which dspec ${words.join(' ')} does not accept`).toBe(true);
        checked++;
      }
    }
  }
  return checked;
}

describe('the README and --help promise only what the CLI does', { timeout: 180_000 }, () => {
  it('every flag the README CLI section shows is accepted by its command', async () => {
    expect(await expectFlagsAccepted(readmeCliLines(), 'README')).toBeGreaterThan(40);
  });

  it('every flag `dspec --help` shows is accepted by its command', async () => {
    const lines = (await helpText())
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('dspec '));
    expect(await expectFlagsAccepted(lines, '--help')).toBeGreaterThan(40);
  });

  it('`dspec cost forecast` and `dspec cache stats` run with exactly the flags shown', async () => {
    const cwd = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-readme-')));
    expect((await dspec(['cost', 'forecast', '--json'], cwd)).code).toBe(0);
    expect((await dspec(['cache', 'stats', '--json'], cwd)).code).toBe(0);
    expect((await dspec(['cache', 'list', '--component', 'Card', '--limit', '5', '--json'], cwd)).code).toBe(0);
  });

  it('`dspec cache export` on an empty cache writes an empty archive that imports cleanly', async () => {
    const cwd = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-readme-')));
    const exported = await dspec(['cache', 'export', '--output', 'cache.tar.gz'], cwd);
    expect(exported).toMatchObject({ code: 0, stderr: '', stdout: 'exported 0 entries to cache.tar.gz\n' });
    expect(statSync(path.join(cwd, 'cache.tar.gz')).size).toBeGreaterThan(0);
    const other = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-readme-')));
    const imported = await dspec(['cache', 'import', path.join(cwd, 'cache.tar.gz')], other);
    expect(imported).toMatchObject({ code: 0, stdout: 'imported 0, already present 0, skipped 0\n' });
  });

  it('exit 1 when the input was read but is not clean: a screen with a bad prop', async () => {
    const cwd = realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-readme-')));
    writeFileSync(path.join(cwd, 'screen.json'), JSON.stringify({ id: 'p', name: 'P', layout: 'single-column', components: [{ type: 'Button', props: { variant: 'purple' } }] }));
    const result = await dspec(['export', 'screen.json', '--out', 'out'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    // …and exit 2 when it could not be read.
    expect((await dspec(['export', 'missing.json', '--out', 'out'], cwd)).code).toBe(2);
  });
});
