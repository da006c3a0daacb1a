import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BUILT_BIN } from '../helpers/built-bin.js';

// Prints each chunk the package loads, with how it was compiled (src/startup/load-chunks.ts publishes them).
const CHUNK_LOGGER = `data:text/javascript,${encodeURIComponent(`
import { subscribe } from 'node:diagnostics_channel';
import { writeSync } from 'node:fs';
subscribe('dspec:chunk-load', ({ file, cache }) => writeSync(2, 'chunk-load ' + cache + ' ' + file + '\\n'));
`)}`;

let work: string;
beforeAll(() => {
  assertBuilt();
  work = mkdtempSync(path.join(tmpdir(), 'dspec-bin-cache-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Start {
  answer: { result?: { serverInfo?: { name: string } } };
  chunks: Array<{ cache: string; file: string }>;
  exitCode: number | null;
}

/** Starts the built server over stdio, answers `initialize`, then closes its stdin as a client does. */
function startAndInitialize(env: NodeJS.ProcessEnv): Promise<Start> {
  const child = spawn(process.execPath, ['--import', CHUNK_LOGGER, BUILT_BIN], { env: { ...process.env, DSPEC_LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Start['chunks'] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    const match = /^chunk-load (\w+) (.+)$/.exec(line);
    if (match) chunks.push({ cache: match[1]!, file: match[2]! });
  });
  return new Promise((resolve, reject) => {
    let answer: Start['answer'] | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      answer = JSON.parse(line) as Start['answer'];
      child.stdin.end();
    });
    child.on('error', reject);
    child.on('exit', (exitCode) => (answer ? resolve({ answer, chunks, exitCode }) : reject(new Error(`the server exited (${exitCode}) without answering`))));
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'cache-test', version: '1' } } })}\n`,
    );
  });
}

describe('the built server starts from cached compiled code', () => {
  it('compiles its chunks on the first start, keeps the code when it exits, and runs from that cache on the next start', async () => {
    const env = { DSPEC_COMPILE_CACHE: path.join(work, 'cache') };
    const first = await startAndInitialize(env);
    expect(first.answer.result?.serverInfo?.name).toBe('dspec');
    expect(first.exitCode).toBe(0);
    expect(first.chunks.length).toBeGreaterThan(5);
    expect(new Set(first.chunks.map(({ cache }) => cache))).toEqual(new Set(['miss']));
    const cached = readdirSync(path.join(work, 'cache'), { recursive: true }).filter((name) => String(name).endsWith('.v8'));
    expect(cached).toHaveLength(first.chunks.length);

    const second = await startAndInitialize(env);
    expect(second.answer.result?.serverInfo?.name).toBe('dspec');
    expect(second.chunks.map(({ file }) => file)).toEqual(first.chunks.map(({ file }) => file));
    expect(new Set(second.chunks.map(({ cache }) => cache))).toEqual(new Set(['hit']));
  });

  it('starts the same with the cache off, and writes nothing', async () => {
    const start = await startAndInitialize({ DSPEC_COMPILE_CACHE: 'off', HOME: path.join(work, 'home'), XDG_CACHE_HOME: path.join(work, 'xdg') });
    expect(start.answer.result?.serverInfo?.name).toBe('dspec');
    expect(new Set(start.chunks.map(({ cache }) => cache))).toEqual(new Set(['off']));
    expect(readdirSync(work).sort()).toEqual(['cache']);
  });
});
