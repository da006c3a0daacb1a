import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DspecError, ErrorCode } from '../errors.js';
import type { Logger } from '../infra/logger.js';
import type { PreviewDocument } from './preview-document.js';
import { renderPreview, type PreviewRender, type RenderOptions } from './render-preview.js';

/**
 * The system Chrome/Chromium that renders previews: found once, started on the first preview,
 * reused, and closed after a minute without use. Playwright starts it with
 * `--remote-debugging-pipe`, so the browser exits when this process's end of the pipe closes,
 * including when this process is killed outright: no browser outlives the server.
 */

export const BROWSER_IDLE_MS = 60_000;

/** As the probe of this machine kind starts it: headless, no background traffic, nothing to sync. */
export function launchArgs(isRoot: boolean): string[] {
  return [
    ...(isRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--mute-audio',
  ];
}

const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'microsoft-edge'];
const WELL_KNOWN: Partial<Record<NodeJS.Platform, string[]>> = {
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

export interface BrowserLocation {
  path: string;
  from: 'DSPEC_CHROMIUM' | 'CHROME_PATH' | 'PATH' | 'well-known';
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `DSPEC_CHROMIUM`, then `CHROME_PATH`, then the usual names on `PATH`, then the usual install folders. */
export function findBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): BrowserLocation | undefined {
  for (const key of ['DSPEC_CHROMIUM', 'CHROME_PATH'] as const) {
    const value = env[key]?.trim();
    if (value) return isExecutable(value) ? { path: value, from: key } : undefined;
  }
  const extensions = platform === 'win32' ? ['.exe', ''] : [''];
  for (const directory of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of PATH_NAMES) {
      for (const extension of extensions) {
        const candidate = path.join(directory, name + extension);
        if (isExecutable(candidate)) return { path: candidate, from: 'PATH' };
      }
    }
  }
  for (const candidate of WELL_KNOWN[platform] ?? []) if (existsSync(candidate)) return { path: candidate, from: 'well-known' };
  return undefined;
}

export function missingDetail(env: NodeJS.ProcessEnv): string {
  for (const key of ['DSPEC_CHROMIUM', 'CHROME_PATH'] as const) {
    const value = env[key]?.trim();
    if (value) return `${key}=${value} is not an executable file.`;
  }
  return `none of ${PATH_NAMES.join(', ')} is on PATH, and DSPEC_CHROMIUM / CHROME_PATH are not set.`;
}

export class BrowserUnavailableError extends DspecError {
  override readonly name = 'BrowserUnavailableError';
  constructor(detail: string) {
    super(ErrorCode.ProviderUnavailable, `No Chrome or Chromium to take screenshots with: ${detail}`, {
      suggestion:
        'Install one and run again: Debian/Ubuntu `apt-get install chromium`; macOS `brew install --cask chromium` (or Google Chrome); Windows `winget install Google.Chrome`. Or point DSPEC_CHROMIUM (or CHROME_PATH) at its executable. The preview document (MCP App, `dspec preview --html`) needs no browser.',
    });
  }
}

export interface BrowserProcessInfo {
  pid: number;
  /** `browser`, `renderer`, `gpu-process`, `zygote`, `utility`… from Chromium's --type. */
  type: string;
  rssBytes?: number;
}

export interface BrowserStatus {
  executable?: string;
  from?: BrowserLocation['from'];
  running: boolean;
  startedAt?: string;
  lastUsedAt?: string;
  idleCloseMs: number;
  /** The browser's processes (Linux: read from /proc), their memory apart from the server's. */
  processes: BrowserProcessInfo[];
  rssBytes?: number;
  /** The child process driving the browser (playwright-core), when the server runs one: its memory, apart from the server's and the browser's. */
  driver?: { pid: number; rssBytes?: number };
}

/** What takes a preview document to PNGs and findings: the browser in this process, or the server's driver child. */
export interface PreviewRenderer {
  render(document: PreviewDocument, options: RenderOptions): Promise<PreviewRender>;
  status(): BrowserStatus;
  close(): Promise<void>;
}

/** What a pooled page saw while it was lent out. */
export interface PageSink {
  consoleErrors: string[];
  blockedRequests: string[];
}

interface PooledPage {
  page: Page;
  sink: PageSink;
}

/** One browser per process, shared by every preview; its pages are reused. */
export class PreviewBrowser implements PreviewRenderer {
  private browser?: Promise<Browser>;
  private context?: Promise<BrowserContext>;
  private idlePages: PooledPage[] = [];
  private timer?: NodeJS.Timeout;
  private busy = 0;
  private startedAt?: Date;
  private lastUsedAt?: Date;

  constructor(private readonly options: { env: NodeJS.ProcessEnv; logger?: Logger; idleMs?: number }) {}

  location(): BrowserLocation | undefined {
    return findBrowser(this.options.env);
  }

  /** Runs `work` with the browser (started if needed); the idle timer restarts when the last user is done. */
  async use<T>(work: (browser: Browser) => Promise<T>): Promise<T> {
    this.busy += 1;
    clearTimeout(this.timer);
    try {
      const browser = await this.start();
      return await work(browser);
    } finally {
      this.busy -= 1;
      this.lastUsedAt = new Date();
      if (this.busy === 0) this.armIdleTimer();
    }
  }

  /**
   * Lends a page of the shared context (a new one when all are busy). Every request the page
   * makes is aborted and recorded, console errors are recorded, and both start empty per loan.
   */
  async withPage<T>(work: (page: Page, sink: PageSink) => Promise<T>): Promise<T> {
    return this.use(async (browser) => {
      let pooled = this.idlePages.pop();
      if (!pooled || pooled.page.isClosed()) pooled = await this.newPooledPage(browser);
      pooled.sink.consoleErrors = [];
      pooled.sink.blockedRequests = [];
      try {
        const result = await work(pooled.page, pooled.sink);
        if (!pooled.page.isClosed() && this.idlePages.length < 2) this.idlePages.push(pooled);
        else await pooled.page.close().catch(() => undefined);
        return result;
      } catch (error) {
        // A page that failed mid-way is not trusted again.
        await pooled.page.close().catch(() => undefined);
        throw error;
      }
    });
  }

  /** The document on a pooled page: PNGs per mode, axe findings, contrast. */
  render(document: PreviewDocument, options: RenderOptions): Promise<PreviewRender> {
    return this.withPage((page, sink) => renderPreview(page, sink, document, options));
  }

  private async newPooledPage(browser: Browser): Promise<PooledPage> {
    this.context ??= browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1, reducedMotion: 'reduce', serviceWorkers: 'block' });
    const context = await this.context;
    const page = await context.newPage();
    const sink: PageSink = { consoleErrors: [], blockedRequests: [] };
    await page.route('**/*', async (route) => {
      sink.blockedRequests.push(route.request().url().slice(0, 300));
      await route.abort('blockedbyclient');
    });
    page.on('console', (message) => {
      if (message.type() === 'error') sink.consoleErrors.push(message.text().slice(0, 500));
    });
    page.on('pageerror', (error) => sink.consoleErrors.push(error.message.slice(0, 500)));
    return { page, sink };
  }

  private armIdleTimer(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.busy === 0) void this.close();
    }, this.options.idleMs ?? BROWSER_IDLE_MS);
    // An idle browser never keeps the process alive.
    this.timer.unref();
  }

  private start(): Promise<Browser> {
    if (this.browser) return this.browser;
    const location = this.location();
    if (!location) return Promise.reject(new BrowserUnavailableError(missingDetail(this.options.env)));
    const pending = (async () => {
      const { chromium } = await import('playwright-core');
      const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
      try {
        const browser = await chromium.launch({ executablePath: location.path, headless: true, args: launchArgs(isRoot), timeout: 30_000 });
        this.startedAt = new Date();
        this.options.logger?.info({ executable: location.path }, 'preview browser started');
        browser.on('disconnected', () => {
          if (this.browser !== pending) return;
          this.browser = undefined;
          this.context = undefined;
          this.idlePages = [];
        });
        return browser;
      } catch (cause) {
        throw new BrowserUnavailableError(`${location.path} (from ${location.from}) did not start: ${String((cause as Error).message ?? cause).split('\n')[0]}`);
      }
    })();
    this.browser = pending;
    pending.catch(() => {
      if (this.browser === pending) this.browser = undefined;
    });
    return pending;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    const pending = this.browser;
    this.browser = undefined;
    this.context = undefined;
    this.idlePages = [];
    if (!pending) return;
    const browser = await pending.catch(() => undefined);
    await browser?.close().catch(() => undefined);
    this.options.logger?.info('preview browser closed');
  }

  status(): BrowserStatus {
    const location = this.location();
    const processes = this.browser ? browserProcesses(process.pid) : [];
    const rss = processes.reduce((sum, info) => sum + (info.rssBytes ?? 0), 0);
    return {
      ...(location ? { executable: location.path, from: location.from } : {}),
      running: Boolean(this.browser),
      ...(this.startedAt && this.browser ? { startedAt: this.startedAt.toISOString() } : {}),
      ...(this.lastUsedAt ? { lastUsedAt: this.lastUsedAt.toISOString() } : {}),
      idleCloseMs: this.options.idleMs ?? BROWSER_IDLE_MS,
      processes,
      ...(processes.length ? { rssBytes: rss } : {}),
    };
  }
}

/** Descendant processes of `root` that are Chrome/Chromium, from /proc (Linux); elsewhere none are listed. */
export function browserProcesses(root: number): BrowserProcessInfo[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  const commands = new Map<number, string>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after it start at the last ")".
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
      commands.set(pid, readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // The process ended while we read.
    }
  }
  const found: BrowserProcessInfo[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    queue.push(...(children.get(pid) ?? []));
    const command = commands.get(pid) ?? '';
    if (!/chrom|msedge/i.test(command.split(' ')[0] ?? '')) continue;
    const type = /--type=([\w-]+)/.exec(command)?.[1] ?? 'browser';
    const rssBytes = processRssBytes(pid);
    found.push({ pid, type, ...(rssBytes !== undefined ? { rssBytes } : {}) });
  }
  return found;
}

/** Resident memory of a process (Linux: /proc), undefined elsewhere or when it is gone. */
export function processRssBytes(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
