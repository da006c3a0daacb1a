import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getMcpConfigForManifest } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'dspec-mcpb-test-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the .mcpb bundle (npm run bundle:mcpb)', () => {
  it('unpacks with the official CLI and its manifest command serves the declared tools', { timeout: 600_000 }, async () => {
    // dist/ is built by `npm test`; the script packs it, adds the runtime dependencies and runs `mcpb pack`.
    await run(process.execPath, [path.join(ROOT, 'scripts', 'bundle-mcpb.mjs'), '--out', work], { cwd: ROOT, timeout: 480_000 });
    const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const bundle = path.join(work, `dspec-${version}.mcpb`);
    expect(existsSync(bundle)).toBe(true);

    const unpacked = path.join(work, 'unpacked');
    await run(process.execPath, [path.join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js'), 'unpack', bundle, unpacked], { timeout: 120_000 });
    const manifest = JSON.parse(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
    // The bundle declares what the server lists; the committed manifest.json must say the same
    // (after adding a tool or prompt: node scripts/bundle-mcpb.mjs --update-manifest).
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
    const names = (list: Array<{ name: string }>) => list.map((entry) => entry.name).sort();
    expect(names(committed.tools)).toEqual(names(manifest.tools));
    expect(names(committed.prompts)).toEqual(names(manifest.prompts));
    expect(manifest.prompts.length).toBeGreaterThan(0);

    // As the host does: the manifest's mcp_config with ${__dirname}, system folders and the user's settings substituted.
    const home = path.join(work, 'home');
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: { HOME: home, DESKTOP: home, DOCUMENTS: home, DOWNLOADS: home },
      userConfig: { provider: 'openai-compatible', openai_base_url: 'http://127.0.0.1:9/v1' },
      pathSeparator: path.sep,
    });
    expect(config).toBeDefined();
    const env = config!.env ?? {};
    // Every placeholder resolved: an unset optional setting must arrive empty, not as "${user_config.x}".
    expect(Object.values(env).filter((value) => value.includes('${'))).toEqual([]);
    expect(env).toMatchObject({ DSPEC_HOME: path.join(home, '.dspec'), DSPEC_PROVIDER: 'openai-compatible', ANTHROPIC_API_KEY: '' });

    const transport = new StdioClientTransport({
      command: config!.command === 'node' ? process.execPath : config!.command,
      args: config!.args ?? [],
      cwd: work,
      env: { PATH: process.env.PATH ?? '', ...env },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => (stderr += chunk));
    const client = new Client({ name: 'mcpb-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual((manifest.tools as Array<{ name: string }>).map((tool) => tool.name).sort());
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stderr.slice(-2000)}`);
    } finally {
      await client.close();
    }
  });
});
