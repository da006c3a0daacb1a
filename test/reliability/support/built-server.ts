import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Helpers for the reliability suite: every test here drives the *built* bin as a user would
 * (a child process, real stdio or real HTTP), never the modules in-process.
 */
export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const BIN = path.join(ROOT, 'dist/bin/dspec.js');

/** `npm test` builds first; a lone `vitest run test/reliability` builds if there is nothing to run. */
export function ensureBuilt(): void {
  if (!existsSync(BIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

/** A minimal environment: nothing of the parent's leaks in (no real keys, no user config). */
export function baseEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, DSPEC_LOG_LEVEL: 'warn', ...extra };
}

/** Resident set size of a live process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

export interface HttpChild {
  child: ChildProcess;
  pid: number;
  mcpUrl: string;
  port: number;
  /** Everything written to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Spawns `dspec serve --http --stateless --port 0` (one POST per call, no initialize) and resolves once the ready banner (logged at info: keep DSPEC_LOG_LEVEL at info or below) names the bound URL. */
export function startHttpChild(cwd: string, env: Record<string, string>): Promise<HttpChild> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '--stateless', '--port', '0'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let stdout = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready banner within 20 s; stderr:\n${text}`));
    }, 20_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited early with ${code}; stderr:\n${text}`));
    };
    child.once('exit', onExit);
    let resolved = false;
    child.stderr!.on('data', (chunk: string) => {
      text += chunk;
      if (resolved) return;
      const match = /"mcpUrl":"(http:\/\/[^"]+)"/.exec(text);
      const port = /"port":(\d+)/.exec(text);
      if (match && port) {
        resolved = true;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({
          child,
          pid: child.pid!,
          mcpUrl: match[1]!,
          port: Number(port[1]),
          stderr: () => text + stdout,
          stop: () => stopChild(child),
        });
      }
    });
  });
}

/** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** One stateless Streamable HTTP `tools/call`: no initialize needed (see docs/reliability.md). */
export async function callToolOverHttp(mcpUrl: string, name: string, args: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; raw: string }> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  const raw = await response.text();
  return { status: response.status, body: parseRpcBody(raw), raw };
}

/** The JSON-RPC message of a response, whether sent as JSON or as one SSE `data:` event. */
export function parseRpcBody(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed);
  const data = trimmed
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .join('');
  return data ? JSON.parse(data) : undefined;
}

export interface ToolResultShape {
  isError?: boolean;
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
}

export function resultOf(body: unknown): ToolResultShape {
  return ((body as { result?: ToolResultShape })?.result ?? {}) as ToolResultShape;
}

export function textOf(result: ToolResultShape): string {
  return result.content?.map((part) => part.text ?? '').join('\n') ?? '';
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * When `DSPEC_RELIABILITY_REPORT` names a directory (bench/reliability.mjs sets it), each test
 * file leaves its figures there as `<section>.json`; otherwise nothing is written.
 */
export function reportFigures(section: string, figures: Record<string, unknown>): void {
  const directory = process.env.DSPEC_RELIABILITY_REPORT;
  if (!directory) return;
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, `${section}.json`), `${JSON.stringify({ section, date: new Date().toISOString(), ...figures }, null, 2)}\n`);
}
