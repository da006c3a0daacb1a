import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { measureNpxInstall } from '../../bench/npx-install-size.mjs';

const run = promisify(execFile);
/** The installed-size target: what `npx` keeps in a user's npm cache for dspec (`_npx/<hash>/`, as `du -sb` counts it). */
const INSTALLED_MB_TARGET = 40;

describe('the packed tarball', () => {
  it('starts the stdio server with "npx -y ./dspec-<version>.tgz" from an empty directory, and npx keeps at most 40 MB for it', { timeout: 300_000 }, async () => {
    const packDir = mkdtempSync(path.join(tmpdir(), 'dspec-pack-'));
    // dist/ is built by `npm test`; prepack's rebuild would replace it under the other tests' feet.
    await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir], { cwd: process.cwd(), timeout: 120_000 });
    const tarball = readdirSync(packDir).find((file) => /^dspec-\d+\.\d+\.\d+\.tgz$/.test(file));
    expect(tarball).toBeDefined();

    // As a user runs it: the tarball beside them, named with ./ so npx treats it as a package spec.
    const userDir = mkdtempSync(path.join(tmpdir(), 'dspec-user-'));
    copyFileSync(path.join(packDir, tarball!), path.join(userDir, tarball!));
    const transport = new StdioClientTransport({
      command: 'npx',
      args: ['-y', `./${tarball}`],
      cwd: userDir,
      stderr: 'pipe',
      // An empty npm cache, as on a new user's machine: dependencies come from the registry.
      env: { ...process.env, npm_config_yes: 'true', npm_config_loglevel: 'error', npm_config_cache: path.join(packDir, 'npm-cache') } as Record<string, string>,
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => (stderr += chunk));
    const client = new Client({ name: 'npx-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('generate_theme_css');
    } catch (error) {
      throw new Error(`npx start failed: ${(error as Error).message}\n${stderr.slice(-2000)}`);
    } finally {
      await client.close();
    }

    // dspec, esbuild and esbuild's binary for this platform: everything else is bundled into dist/.
    const installed = measureNpxInstall(path.join(packDir, 'npm-cache'));
    const packages: readonly string[] = installed.packages;
    const names = packages.map((entry) => entry.slice(0, entry.lastIndexOf('@')));
    expect(names.filter((name) => name !== 'dspec' && name !== 'esbuild' && !name.startsWith('@esbuild/'))).toEqual([]);
    expect(installed.megabytes, `npx installed ${installed.packages.join(', ')}: ${installed.megabytes} MB in ${installed.folder}`).toBeLessThanOrEqual(INSTALLED_MB_TARGET);
    rmSync(packDir, { recursive: true, force: true });
    rmSync(userDir, { recursive: true, force: true });
  });
});
