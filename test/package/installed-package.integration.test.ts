import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../../src/server/create-server.js';
import { requireBrowser, skipWithoutBrowser } from '../preview/browser-available.js';

/**
 * The package as a user gets it: packed, installed into an empty directory with an empty npm
 * cache, run from there. Nothing from the repo's node_modules is reachable, so every file the
 * bundle reads at run time (typings pack, prompts, catalog, vendored ajv) must be in the tarball.
 * `npm test` builds dist/ first; the pack skips prepack's second build.
 */
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
/** Packages whose code must not be loaded before `initialize` is answered. */
const HEAVY = ['typescript', 'eslint', 'stylelint', 'postcss', 'express', '@anthropic-ai/sdk', 'openai', '@babel/parser', 'css-tree', 'tar', 'ajv'];

let work: string;
let bin: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'dspec-installed-'));
  await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, timeout: 120_000 });
  const tarball = readdirSync(work).find((file) => /^dspec-\d+\.\d+\.\d+\.tgz$/.test(file))!;
  const project = path.join(work, 'project');
  await run('npm', ['install', '--no-audit', '--no-fund', '--cache', path.join(work, 'npm-cache'), '--prefix', project, path.join(work, tarball)], { timeout: 240_000 });
  bin = path.join(project, 'node_modules', 'dspec', 'dist', 'bin', 'dspec.js');
}, 300_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Which packages each emitted chunk holds, written by scripts/build.mjs from esbuild's metafile. */
function chunkContents(): Record<string, string[]> {
  return JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle-contents.json'), 'utf8')) as Record<string, string[]>;
}

// Logs every chunk the package loads, before it runs (src/startup/load-chunks.ts publishes each one).
const LOAD_LOGGER = `data:text/javascript,${encodeURIComponent(`
import { subscribe } from 'node:diagnostics_channel';
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
subscribe('dspec:chunk-load', ({ file }) => writeSync(2, 'module-load ' + pathToFileURL(file).href + '\\n'));
`)}`;

describe('the installed package (packed tarball, empty directory, empty npm cache)', () => {
  it('installs only its runtime dependencies and what they need', () => {
    const modules = path.join(path.dirname(bin), '..', '..', '..');
    const manifestOf = (name: string) =>
      JSON.parse(readFileSync(path.join(modules, name, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
    // Everything reachable from dspec's own dependencies (installed flat, as npm does).
    const reachable = new Set<string>(['dspec']);
    const queue = ['dspec'];
    while (queue.length) {
      const manifest = manifestOf(queue.pop()!);
      for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies })) {
        if (reachable.has(name) || !existsSync(path.join(modules, name, 'package.json'))) continue;
        reachable.add(name);
        queue.push(name);
      }
    }
    const top = readdirSync(modules).flatMap((name) => (name.startsWith('@') ? readdirSync(path.join(modules, name)).map((sub) => `${name}/${sub}`) : [name]));
    for (const name of top.filter((entry) => !entry.startsWith('.'))) {
      expect(reachable.has(name), `${name} was installed but nothing dspec depends on needs it`).toBe(true);
    }
    // The server's own code is bundled: none of what it imports (SDKs, linters, TypeScript) is installed.
    // Nor is what a preview imports: React, the Radix primitives and axe-core are prebuilt in dist/preview/vendor.
    for (const bundled of [
      'typescript',
      'eslint',
      'stylelint',
      '@modelcontextprotocol/sdk',
      'openai',
      '@anthropic-ai/sdk',
      'zod',
      'express',
      'react',
      'react-dom',
      'scheduler',
      'axe-core',
      '@radix-ui/react-tabs',
      '@radix-ui/react-dialog',
    ]) {
      expect(top, `${bundled} should be bundled, not installed`).not.toContain(bundled);
    }
    expect(existsSync(path.join(modules, 'dspec', 'dist', 'THIRD_PARTY_LICENSES'))).toBe(true);
  });

  it('ships the validator the SDK loads on first use and the yaml parser (dist/vendor) as working bundles', async () => {
    const vendor = path.join(path.dirname(bin), '..', 'vendor');
    // SDK v2's JSON Schema validator (ajv with formats, its CommonJS shim) checks tool answers and elicitation input.
    const script = `const { DefaultJsonSchemaValidator } = require(${JSON.stringify(path.join(vendor, 'mcp-json-schema-validator.cjs'))});
      const check = new DefaultJsonSchemaValidator().getValidator({ type: 'object', properties: { at: { type: 'string', format: 'date-time' } }, required: ['at'] });
      const { parseDocument, LineCounter } = require(${JSON.stringify(path.join(vendor, 'yaml.cjs'))});
      console.log(JSON.stringify([check({ at: '2026-01-01T00:00:00Z' }).valid, check({ at: 'soon' }).valid, parseDocument('a: [1, 2]', { lineCounter: new LineCounter() }).toJS()]));`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: work });
    expect(JSON.parse(stdout)).toEqual([true, false, { a: [1, 2] }]);
  });

  it('keeps the names of its errors in the minified bundle (logs type errors by name)', async () => {
    const library = path.join(path.dirname(bin), '..', 'index.js');
    const script = `import(${JSON.stringify(pathToFileURL(library).href)}).then((m) => console.log(JSON.stringify([new m.DspecError('INTERNAL', 'x').name, new m.InputError('x').name, new m.ThemeError('x', []).name, new m.JsonParseError('f', 1, 1, 'x').name])));`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: work });
    expect(JSON.parse(stdout)).toEqual(['DspecError', 'InputError', 'ThemeError', 'JsonParseError']);
  });

  it('answers initialize before any heavy module is loaded, and loads one on first use', { timeout: 120_000 }, async () => {
    // stdout and stderr share one pipe, so the answer and the load lines are in the order the process wrote them.
    const child = spawn('sh', ['-c', 'exec "$0" --import "$1" "$2" 2>&1', process.execPath, LOAD_LOGGER, bin], { cwd: work, stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    const lines: string[] = [];
    const waiters = new Map<number, (line: string) => void>();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const id = /^\{"result".*"id":(\d+)|^\{"jsonrpc".*"id":(\d+)/.exec(line);
      const answered = id ? Number(id[1] ?? id[2]) : undefined;
      if (answered !== undefined) waiters.get(answered)?.(line);
    });
    const request = (id: number, method: string, params: unknown) =>
      new Promise<string>((resolve) => {
        waiters.set(id, resolve);
        child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });

    await request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'order-test', version: '1' } });
    child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    const component = `export function Card({ title }: { title: string }) {\n  return <h2>{title}</h2>;\n}\n`;
    await request(2, 'tools/call', { name: 'validate_component', arguments: { name: 'Card', files: [{ path: 'Card.tsx', contents: component }] } });
    child.kill();

    const contents = chunkContents();
    const heavyIn = (line: string) => {
      const file = /^module-load file:.*\/dist\/(.+)$/.exec(line)?.[1];
      return file ? (contents[file] ?? []).filter((name) => HEAVY.some((heavy) => name === heavy || name.startsWith(`${heavy}/`))) : [];
    };
    const answerAt = lines.findIndex((line) => line.includes('"id":1') && line.includes('"result"'));
    expect(answerAt).toBeGreaterThan(0);
    const before = lines.slice(0, answerAt);
    expect(before.some((line) => line.startsWith('module-load '))).toBe(true);
    expect(before.flatMap(heavyIn)).toEqual([]);
    // The check is live: the type layer's first use loads TypeScript after the answer.
    expect(lines.slice(answerAt).flatMap(heavyIn)).toContain('typescript');
  });

  it('serves the tools over stdio and runs every validation layer from the bundle', { timeout: 180_000 }, async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [bin], cwd: work, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => (stderr += chunk));
    const client = new Client({ name: 'installed-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
      const validate = async (files: Record<string, string>) => {
        const args = { name: 'Card', files: Object.entries(files).map(([file, contents]) => ({ path: file, contents })), dependencies: { '@radix-ui/react-switch': '^1.2.0' } };
        const result = await client.callTool({ name: 'validate_component', arguments: args }, undefined, { timeout: 120_000 });
        return result.structuredContent as { valid: boolean; errors: Array<{ layer: string; code: string }>; layersRun: string[] };
      };
      const card = (body: string) => `import * as Switch from '@radix-ui/react-switch';\nimport styles from './Card.module.css';\nexport function Card({ title }: { title: string }) {\n${body}\n}\n`;
      // Types: React and Radix typings come from the shipped pack.
      const typed = await validate({
        'Card.tsx': card('  return <section className={styles.root}><h2>{title}</h2><Switch.Root checked="yes" aria-label="x" /></section>;'),
        'Card.module.css': '.root { color: var(--color-text); }',
      });
      expect(typed.errors.map((finding) => `${finding.layer}:${finding.code}`)).toEqual(['types:TS2322']);
      // Design system: stylelint and its plugin run from the bundle.
      const styled = await validate({ 'Card.tsx': card('  return <section className={styles.root}><h2>{title}</h2></section>;'), 'Card.module.css': '.root { color: #ff0000; }' });
      expect(styled.errors.some((finding) => finding.layer === 'design-system')).toBe(true);
      // Accessibility: eslint with jsx-a11y and react-hooks runs from the bundle; autocomplete-valid
      // runs axe-core from the preview's copy (dist/preview/vendor/axe.min.js), the lint chunk has none.
      const a11y = await validate({
        'Card.tsx': card(
          '  if (title === "") { useId(); }\n  return <section className={styles.root}><img src="/a.png" /><h2>{title}</h2><label htmlFor="e">Email</label><input id="e" autoComplete="banana-split" /></section>;',
        ).replace('import styles', "import { useId } from 'react';\nimport styles"),
        'Card.module.css': '.root { color: var(--color-text); }',
      });
      expect(
        a11y.errors
          .filter((finding) => finding.layer === 'a11y')
          .map((finding) => finding.code)
          .sort(),
      ).toEqual(['jsx-a11y/alt-text', 'jsx-a11y/autocomplete-valid', 'react-hooks/rules-of-hooks']);
      // Prompts: listed from the build's index, rendered by parsing the files (the vendored yaml).
      expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toContain('component-generation');
      const rendered = await client.getPrompt({ name: 'component-generation', arguments: { name: 'Card', description: 'A card.', outputSchema: '{}' } });
      expect(JSON.stringify(rendered.messages)).toContain('Card');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stderr.slice(-2000)}`);
    } finally {
      await client.close();
    }
  });

  it('serves Streamable HTTP from the bundle', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--http', '--port', '0'], { cwd: work, env: { ...process.env, DSPEC_LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
      child.stderr!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const found = /"mcpUrl":"([^"]+)"/.exec(text) ?? /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(text);
        if (found) resolve(found[1]!);
      });
    });
    const client = new Client({ name: 'installed-http', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('generate_theme_css');
    await client.close();
    child.kill();
  });

  it('reads a cache archive with the bundled tar', { timeout: 60_000 }, async () => {
    const source = path.join(work, 'archive-source');
    mkdirSync(source);
    writeFileSync(path.join(source, 'junk.json'), '{}');
    const archive = path.join(work, 'cache.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: source }, ['junk.json']);
    const failed = await run(process.execPath, [bin, 'cache', 'import', archive, '--json'], { cwd: work }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    // Exit 1 with a reason per skipped entry: the archive was opened and listed, not rejected unread.
    expect(failed?.code).toBe(1);
    expect(JSON.parse(failed!.stdout)).toMatchObject({ imported: 0, skipped: [{ entry: 'junk.json' }] });
  });

  it('builds a preview document (React and Radix from dist/preview/vendor) with no node_modules for them', { timeout: 120_000 }, async () => {
    const out = path.join(work, 'preview-html');
    await run(process.execPath, [bin, 'preview', 'Modal', '--html', '--out', out], { cwd: work, timeout: 90_000 });
    const html = readFileSync(path.join(out, 'Modal.preview.html'), 'utf8');
    // The component (a Radix Dialog) and React's DOM renderer are in the document's one script.
    expect(html).toContain('id="dspec-root"');
    expect(html).toMatch(/role|aria-modal/);
    expect(html.length).toBeGreaterThan(100_000);
    expect(html).not.toMatch(/\b(?:src|href)=["']https?:/);
  });

  it.skipIf(skipWithoutBrowser)('screenshots a preview from the installed package, with axe-core from dist/preview/vendor', { timeout: 180_000 }, async () => {
    requireBrowser();
    const out = path.join(work, 'preview-png');
    const finished = await run(process.execPath, [bin, 'preview', 'Tabs', '--mode', 'light', '--out', out], { cwd: work, timeout: 150_000 }).then(
      (result) => ({ code: 0, stdout: result.stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    // 0, or 1 when axe or contrast found something: either way axe ran and printed its table.
    expect([0, 1], JSON.stringify(finished)).toContain(finished.code);
    // Exit 1 must come from axe or contrast findings, never from a render error or a request.
    expect(finished.stdout).not.toMatch(/^(error|request) /m);
    const png = readdirSync(out).find((file) => /^Tabs-.*light\.png$/.test(file));
    expect(png, readdirSync(out).join(', ')).toBeDefined();
    expect(readFileSync(path.join(out, png!)).subarray(1, 4).toString()).toBe('PNG');
  });
});
