// `npm run bundle:mcpb`: builds dspec-<version>.mcpb, an MCP Bundle for one-click install in
// Claude Desktop (no npx, no install at first launch). The bundle is the packed npm package plus
// its runtime dependencies, with manifest.json at its root, packed by the official `mcpb` CLI.
//   node scripts/bundle-mcpb.mjs [--out <directory>]   (dist/ must be built)
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import * as tar from 'tar';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: root } } });
const outDir = path.resolve(values.out);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8'));
const mcpbCli = path.join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

if (manifest.version !== pkg.version) throw new Error(`manifest.json says version ${manifest.version}, package.json ${pkg.version}: make them equal.`);

const work = mkdtempSync(path.join(tmpdir(), 'dspec-mcpb-'));
try {
  // 1. The npm package exactly as published (dist/ is built; skip prepack's second build).
  await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], { cwd: root });
  const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
  const stage = path.join(work, 'stage');
  mkdirSync(stage);
  await tar.x({ file: path.join(work, tarball), cwd: stage, strip: 1 });
  copyFileSync(path.join(root, 'manifest.json'), path.join(stage, 'manifest.json'));

  // 2. The manifest must declare what the server really offers.
  await checkDeclarations(path.join(stage, 'dist', 'bin', 'dspec.js'));

  // 3. Runtime dependencies only (the few externals the bundle cannot include).
  if (Object.keys(pkg.dependencies ?? {}).length) {
    await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: stage, timeout: 300_000 });
  }

  // 4. Validate and pack with the official CLI.
  mkdirSync(outDir, { recursive: true });
  const output = path.join(outDir, `dspec-${pkg.version}.mcpb`);
  await run(process.execPath, [mcpbCli, 'validate', path.join(stage, 'manifest.json')]);
  await run(process.execPath, [mcpbCli, 'pack', stage, output], { maxBuffer: 64 * 1024 * 1024 });
  console.log(`wrote ${path.relative(process.cwd(), output) || output}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Compares manifest.json's tools and prompts with the server's tools/list and prompts/list. */
async function checkDeclarations(bin) {
  const client = new Client({ name: 'bundle-mcpb', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin], stderr: 'ignore', env: { ...process.env, DSPEC_LOG_LEVEL: 'warn' } }));
  try {
    const tools = (await client.listTools()).tools.map((tool) => tool.name).sort();
    const prompts = client.getServerCapabilities()?.prompts ? (await client.listPrompts()).prompts.map((prompt) => prompt.name).sort() : [];
    const declaredTools = manifest.tools.map((tool) => tool.name).sort();
    const declaredPrompts = (manifest.prompts ?? []).map((prompt) => prompt.name).sort();
    if (JSON.stringify(tools) !== JSON.stringify(declaredTools) || JSON.stringify(prompts) !== JSON.stringify(declaredPrompts)) {
      throw new Error(
        `manifest.json is out of date. The server offers tools [${tools.join(', ')}] and prompts [${prompts.join(', ')}]; ` +
          `the manifest declares tools [${declaredTools.join(', ')}] and prompts [${declaredPrompts.join(', ')}].`,
      );
    }
  } finally {
    await client.close();
  }
}
