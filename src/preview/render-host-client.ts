import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DspecError, ErrorCode } from '../errors.js';
import type { Logger } from '../infra/logger.js';
import {
  BROWSER_IDLE_MS,
  browserProcesses,
  BrowserUnavailableError,
  findBrowser,
  missingDetail,
  PreviewBrowser,
  processRssBytes,
  type BrowserStatus,
  type PreviewRenderer,
} from './headless-browser.js';
import type { PreviewDocument } from './preview-document.js';
import type { PreviewRender, RenderOptions } from './render-preview.js';

/**
 * The server's side of the preview driver (render-host.ts). playwright-core is about 80 MB of
 * resident memory once loaded, more than the rest of the server together; the server keeps
 * building documents (esbuild) and sends them to a child process that owns playwright-core and
 * the browser. The child starts on the first screenshot, is reused, and is ended after a minute
 * without use (its browser with it). `dspec://status` lists its memory beside the browser's.
 */

export interface HostRequest {
  id: number;
  document: PreviewDocument;
  options: RenderOptions;
}

export type HostReply = { id: number; ok: true; render: PreviewRender } | { id: number; ok: false; error: { message: string; code?: string; suggestion?: string } };

interface Pending {
  resolve: (render: PreviewRender) => void;
  reject: (error: Error) => void;
}

/**
 * The built host script: beside this module (tsc's dist/preview/) or, from a bundled chunk
 * (dist/chunks/), in dist/preview/. Running from the TypeScript sources there is none.
 */
export function renderHostEntry(): string | undefined {
  for (const relative of ['./render-host.js', '../preview/render-host.js']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) return file;
  }
  return undefined;
}

const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

function isErrorCode(code: string | undefined): code is ErrorCode {
  return code !== undefined && ERROR_CODES.has(code);
}

export class PreviewRenderHost implements PreviewRenderer {
  private child?: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private busy = 0;
  private timer?: NodeJS.Timeout;
  private startedAt?: Date;
  private lastUsedAt?: Date;

  constructor(
    private readonly entry: string,
    private readonly options: { env: NodeJS.ProcessEnv; logger?: Logger; idleMs?: number },
  ) {}

  private get env(): NodeJS.ProcessEnv {
    return this.options.env;
  }

  async render(document: PreviewDocument, options: RenderOptions): Promise<PreviewRender> {
    // Checked here too, so a missing browser costs no child process.
    if (!findBrowser(this.env)) throw new BrowserUnavailableError(missingDetail(this.env));
    this.busy += 1;
    clearTimeout(this.timer);
    try {
      const child = this.start();
      child.channel?.ref();
      const id = (this.nextId += 1);
      return await new Promise<PreviewRender>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        const request: HostRequest = { id, document, options };
        child.send(request, (error) => {
          if (!error) return;
          this.pending.delete(id);
          reject(new DspecError(ErrorCode.Internal, `The preview browser driver did not take the document: ${error.message}`, { cause: error }));
        });
      });
    } finally {
      this.busy -= 1;
      this.lastUsedAt = new Date();
      if (this.busy === 0) this.armIdleTimer();
    }
  }

  private start(): ChildProcess {
    if (this.child?.connected) return this.child;
    // stdout is never the server's: over stdio it carries the MCP messages.
    const child = fork(this.entry, [], { env: this.env, execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    // Only a pending render (its channel, ref'd while busy) keeps this process alive, never the driver itself.
    child.unref();
    this.child = child;
    this.startedAt = new Date();
    child.on('message', (reply: HostReply) => this.settle(reply));
    child.on('error', (error) => this.options.logger?.warn({ err: error.message }, 'preview browser driver error'));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const waiter of pending) waiter.reject(new DspecError(ErrorCode.Internal, `The preview browser driver ended (${signal ?? `exit ${code}`}) before it answered.`));
      this.options.logger?.info({ code, signal }, 'preview browser driver ended');
    });
    this.options.logger?.info({ pid: child.pid }, 'preview browser driver started');
    return child;
  }

  private settle(reply: HostReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      // Structured clone turns Buffers into Uint8Arrays.
      for (const shot of reply.render.shots) shot.png = Buffer.from(shot.png.buffer, shot.png.byteOffset, shot.png.byteLength);
      waiter.resolve(reply.render);
      return;
    }
    const { message, code, suggestion } = reply.error;
    waiter.reject(new DspecError(isErrorCode(code) ? code : ErrorCode.Internal, message, suggestion ? { suggestion } : {}));
  }

  private armIdleTimer(): void {
    clearTimeout(this.timer);
    // An idle driver never keeps the process alive.
    this.child?.channel?.unref();
    this.timer = setTimeout(() => {
      if (this.busy === 0) void this.close();
    }, this.options.idleMs ?? BROWSER_IDLE_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Whoever awaits the close waits for the exit (the handle is unref'd while the driver idles).
    child.ref();
    // The host closes its browser and exits when the channel closes; a host that hangs is killed.
    if (child.connected) child.disconnect();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  }

  status(): BrowserStatus {
    const location = findBrowser(this.env);
    const child = this.child;
    // The browser's processes are the host's children: descendants of this process all the same.
    const processes = child ? browserProcesses(process.pid) : [];
    const rss = processes.reduce((sum, info) => sum + (info.rssBytes ?? 0), 0);
    const driverRss = child?.pid ? processRssBytes(child.pid) : undefined;
    return {
      ...(location ? { executable: location.path, from: location.from } : {}),
      running: Boolean(child?.connected),
      ...(this.startedAt && child ? { startedAt: this.startedAt.toISOString() } : {}),
      ...(this.lastUsedAt ? { lastUsedAt: this.lastUsedAt.toISOString() } : {}),
      idleCloseMs: this.options.idleMs ?? BROWSER_IDLE_MS,
      processes,
      ...(processes.length ? { rssBytes: rss } : {}),
      ...(child?.pid ? { driver: { pid: child.pid, ...(driverRss !== undefined ? { rssBytes: driverRss } : {}) } } : {}),
    };
  }
}

/**
 * The preview renderer a runtime owns. The built package drives the browser from a child
 * process; from the TypeScript sources (no built host), in this process.
 */
export function createPreviewRenderer(options: { env: NodeJS.ProcessEnv; logger?: Logger }): PreviewRenderer {
  const entry = renderHostEntry();
  return entry ? new PreviewRenderHost(entry, options) : new PreviewBrowser(options);
}

/** For `dspec://status` before any preview: no browser runs; where one would come from. */
export function idleBrowserStatus(env: NodeJS.ProcessEnv): BrowserStatus {
  const location = findBrowser(env);
  return { ...(location ? { executable: location.path, from: location.from } : {}), running: false, idleCloseMs: BROWSER_IDLE_MS, processes: [] };
}
