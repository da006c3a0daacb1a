// `npm run bundle:mcpb`: builds dspec-<version>.mcpb, an MCP Bundle for one-click install in
// Claude Desktop (no npx, no install at first launch). The bundle is the packed npm package plus
// its runtime dependencies, with manifest.json at its root, packed by the official `mcpb` CLI.
// The bundle's manifest declares the tools and prompts the server really lists (read from it
// here); `--update-manifest` writes them into the committed manifest.json too.
//   node scripts/bundle-mcpb.mjs [--out <directory>] [--update-manifest]   (dist/ must be built)
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import * as tar from 'tar';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: root }, 'update-manifest': { type: 'boolean', default: false } } });
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

  // 2. The manifest declares what the server really offers.
  const declared = await readDeclarations(path.join(stage, 'dist', 'bin', 'dspec.js'));
  const complete = { ...manifest, ...declared };
  writeFileSync(path.join(stage, 'manifest.json'), `${JSON.stringify(complete, null, 2)}\n`);
  if (JSON.stringify(declared) !== JSON.stringify({ tools: manifest.tools, prompts: manifest.prompts })) {
    if (values['update-manifest']) writeFileSync(path.join(root, 'manifest.json'), `${JSON.stringify(complete, null, 2)}\n`);
    else console.warn("manifest.json lists other tools or prompts than the server: the bundle uses the server's; run with --update-manifest to commit them.");
  }

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

/**
 * The server's tools and prompts in the manifest's shape. A prompt's `text` is its template:
 * the server renders it with each argument set to the manifest's `${arguments.name}` placeholder.
 */
async function readDeclarations(bin) {
  const client = new Client({ name: 'bundle-mcpb', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin], stderr: 'ignore', env: { ...process.env, DSPEC_LOG_LEVEL: 'warn' } }));
  try {
    const tools = (await client.listTools()).tools.map((tool) => ({ name: tool.name, description: firstSentence(tool.description) }));
    const prompts = [];
    if (client.getServerCapabilities()?.prompts) {
      for (const prompt of (await client.listPrompts()).prompts) {
        const names = (prompt.arguments ?? []).map((argument) => argument.name);
        const rendered = await client.getPrompt({ name: prompt.name, arguments: Object.fromEntries(names.map((name) => [name, `\${arguments.${name}}`])) });
        const text = rendered.messages.map((message) => (message.content.type === 'text' ? message.content.text : '')).join('\n\n');
        prompts.push({ name: prompt.name, description: prompt.description, arguments: names, text });
      }
    }
    return { tools, prompts };
  } finally {
    await client.close();
  }
}

function firstSentence(text = '') {
  const match = /^.*?[.!?](?=\s|$)/s.exec(text.trim());
  return (match ? match[0] : text).replace(/\s+/g, ' ').trim();
}
