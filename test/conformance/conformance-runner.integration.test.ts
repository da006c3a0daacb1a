import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { assertBuilt } from '../helpers/built-bin.js';

/**
 * `node scripts/conformance/run.mjs` end to end: the official suite against the built dspec for
 * two 2025-11-25 scenarios (green, with the table and the JSON results), and against an HTTP
 * server that is no MCP server at all (red, exit 1, the failing check named).
 */

const RUNNER = path.resolve('scripts/conformance/run.mjs');
const runFile = promisify(execFile);

interface RunnerResults {
  suite: string;
  failed: string[];
  revisions: Record<string, { scenarios: Array<{ scenario: string; verdict: string; passed: number; failures: Array<{ id: string; message: string }> }> }>;
}

async function runRunner(args: string[]): Promise<{ code: number; stdout: string; results: RunnerResults }> {
  const resultsDir = mkdtempSync(path.join(tmpdir(), 'dspec-conformance-results-'));
  cleanups.push(() => rmSync(resultsDir, { recursive: true, force: true }));
  let code = 0;
  let stdout = '';
  try {
    ({ stdout } = await runFile(process.execPath, [RUNNER, ...args, '--results-dir', resultsDir], { encoding: 'utf8' }));
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    code = failed.code ?? -1;
    stdout = failed.stdout ?? '';
  }
  const [resultsFile] = readdirSync(resultsDir);
  const results = JSON.parse(readFileSync(path.join(resultsDir, resultsFile!), 'utf8')) as RunnerResults;
  return { code, stdout, results };
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('conformance runner', () => {
  it('passes ping and tools-list at 2025-11-25 against the built server', async () => {
    assertBuilt();
    const { code, stdout, results } = await runRunner(['--revision', '2025-11-25', '--scenario', 'ping', '--scenario', 'tools-list']);
    expect(stdout).toMatch(/^ping +pass$/m);
    expect(stdout).toMatch(/^tools-list +pass$/m);
    expect(code).toBe(0);
    expect(results.suite).toBe('@modelcontextprotocol/conformance@0.2.0-alpha.12');
    expect(results.failed).toEqual([]);
    expect(results.revisions['2025-11-25']!.scenarios.map(({ scenario, verdict }) => [scenario, verdict])).toEqual([
      ['ping', 'pass'],
      ['tools-list', 'pass'],
    ]);
    expect(results.revisions['2025-11-25']!.scenarios.every((scenario) => scenario.passed > 0)).toBe(true);
  });

  it('fails, exit 1, naming the check, against a server that answers 404 to everything', async () => {
    const notMcp = http.createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => notMcp.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => notMcp.close());
    const url = `http://127.0.0.1:${(notMcp.address() as AddressInfo).port}/mcp`;
    const { code, stdout, results } = await runRunner(['--revision', '2025-11-25', '--scenario', 'ping', '--url', url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ping +FAIL \(\d+ failed\)$/m);
    expect(results.failed).toEqual(['2025-11-25 ping']);
    expect(results.revisions['2025-11-25']!.scenarios[0]!.failures[0]!.id).toBe('ping');
  });
});
