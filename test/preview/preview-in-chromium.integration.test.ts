import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONTRACT_VARIABLES } from '../../src/catalog/contract.js';
import { DspecError, ErrorCode } from '../../src/errors.js';
import { launchArgs, PreviewBrowser } from '../../src/preview/headless-browser.js';
import { PreviewRenderHost } from '../../src/preview/render-host-client.js';
import { buildPreviewDocument } from '../../src/preview/preview-document.js';
import { buildPreview } from '../../src/preview/preview-service.js';
import { generateThemeCss } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../src/theme/schemas.js';
import { assertBuilt, BUILT_BIN } from '../helpers/built-bin.js';
import { requireShared, sharedPath, skipWithoutShared } from '../helpers/shared-fixtures.js';
import { BROWSER, describeWithBrowser } from './browser-available.js';
import { LogLines } from '../helpers/log-lines.js';
import { testRuntime } from '../helpers/test-runtime.js';

const DUAL_THEME = JSON.parse(readFileSync('test/fixtures/screens/dual-mode-theme.json', 'utf8'));
const runtime = testRuntime();
const context = () => ({ runtime, logger: runtime.logger });

interface ImageBlock {
  type: 'image';
  data: string;
  mimeType: string;
}

/** Pixel colours of PNGs (base64) at points, decoded by the browser's own canvas. */
async function pixels(page: Page, png: string, points: Array<[number, number]>): Promise<number[][]> {
  return page.evaluate(
    async ({ png, points }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${png}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      return points.map(([x, y]) => [...context.getImageData(x, y, 1, 1).data].slice(0, 3));
    },
    { png, points },
  );
}

/** A CSS colour as sRGB bytes, the way the browser paints it. */
async function painted(page: Page, color: string): Promise<number[]> {
  return page.evaluate((value) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d')!;
    context.fillStyle = value;
    context.fillRect(0, 0, 1, 1);
    return [...context.getImageData(0, 0, 1, 1).data].slice(0, 3);
  }, color);
}

function expectClose(actual: number[], expected: number[], label: string): void {
  for (let channel = 0; channel < 3; channel += 1) expect(Math.abs(actual[channel]! - expected[channel]!), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(3);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie is dead but not yet reaped; /proc tells them apart on Linux.
    return !(process.platform === 'linux' && existsSync(`/proc/${pid}/stat`) && / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')));
  } catch {
    return false;
  }
}

describeWithBrowser('previews in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    assertBuilt();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: BROWSER!.path, headless: true, args: launchArgs(process.getuid?.() === 0) });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("over the real MCP client: preview of Button is two PNGs whose button takes the theme's light and dark brand colours; the browser and its driver show in dspec://status and die with the server", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BUILT_BIN],
      stderr: 'pipe',
      env: { ...(process.env as Record<string, string>), DSPEC_CHROMIUM: BROWSER!.path },
    });
    const client = new Client({ name: 'preview-test', version: '1.0.0' });
    await client.connect(transport);
    const serverPid = transport.pid!;
    let browserPids: number[] = [];
    try {
      const result = await client.callTool({ name: 'preview', arguments: { name: 'Button', theme: DUAL_THEME } }, undefined, { timeout: 120_000 });
      expect(result.isError, JSON.stringify(result.content).slice(0, 500)).toBeFalsy();
      const images = (result.content as Array<{ type: string }>).filter((block): block is ImageBlock => block.type === 'image');
      expect(images.map((image) => image.mimeType)).toEqual(['image/png', 'image/png']);
      const output = result.structuredContent as { images: Array<{ mode: string; width: number; height: number }>; errors: unknown[]; blockedRequests: unknown[]; documentHash: string };
      expect(output.images.map((image) => image.mode)).toEqual(['light', 'dark']);
      expect(output.errors).toEqual([]);
      expect(output.blockedRequests).toEqual([]);
      expect(output.documentHash).toMatch(/^[0-9a-f]{64}$/);

      // The button sits at the stage's 16 px padding; (24, 24) is inside it, (4, 4) is the page.
      const theme = generateThemeCss(DUAL_THEME, ThemeCssOptionsSchema.parse({}), { defaultBindings: CONTRACT_VARIABLES });
      const [lightButton, lightPage] = await pixels(page, images[0]!.data, [
        [24, 24],
        [4, 4],
      ]);
      const [darkButton, darkPage] = await pixels(page, images[1]!.data, [
        [24, 24],
        [4, 4],
      ]);
      expectClose(lightButton!, await painted(page, theme.resolved.light.get('--dspec-color-brand')!), 'light button');
      expectClose(darkButton!, await painted(page, theme.resolved.dark.get('--dspec-color-brand')!), 'dark button');
      expectClose(lightPage!, await painted(page, theme.resolved.light.get('--dspec-color-canvas')!), 'light canvas');
      expectClose(darkPage!, await painted(page, theme.resolved.dark.get('--dspec-color-canvas')!), 'dark canvas');
      expect(lightButton).not.toEqual(darkButton);

      const status = await client.readResource({ uri: 'dspec://status' });
      const previewBrowser = JSON.parse((status.contents[0] as { text: string }).text).previewBrowser as {
        running: boolean;
        processes: Array<{ pid: number; type: string }>;
        driver?: { pid: number; rssBytes?: number };
      };
      expect(previewBrowser.running).toBe(true);
      // playwright-core drives the browser from a child of the server, reported apart from it.
      expect(previewBrowser.driver?.pid).toBeGreaterThan(0);
      expect(previewBrowser.driver?.pid).not.toBe(serverPid);
      if (process.platform === 'linux') {
        expect(previewBrowser.processes.map((info) => info.type)).toContain('browser');
        expect(previewBrowser.driver?.rssBytes).toBeGreaterThan(0);
        browserPids = [...previewBrowser.processes.map((info) => info.pid), previewBrowser.driver!.pid];
      }
    } finally {
      // The server is killed outright: no exit handler runs, only the closed pipe tells the browser.
      process.kill(serverPid, 'SIGKILL');
      await client.close().catch(() => undefined);
    }
    // These are the killed server's grandchildren, not ours: no exit event reaches this process, so polling is the only way.
    const deadline = Date.now() + 60_000;
    while (browserPids.some(processAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(browserPids.filter(processAlive)).toEqual([]);
  }, 180_000);

  it.skipIf(skipWithoutShared)(
    "a screen preview shows every slot's content inside the page",
    async () => {
      requireShared();
      const screen = JSON.parse(readFileSync(sharedPath('fixtures/tekton-screens/dashboard-screen.json'), 'utf8'));
      const { document: preview } = await buildPreview({ screen, theme: DUAL_THEME }, context());
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.setContent(preview.html, { waitUntil: 'load' });
      await page.waitForFunction(() => Boolean((window as unknown as { dspecPreview?: unknown }).dspecPreview));
      await page.evaluate(() => (window as unknown as { dspecPreview: { set(update: object): Promise<void> } }).dspecPreview.set({ toolbar: false }));
      const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);

      type Element = { slot?: string; children?: Array<Element | string> };
      const texts = (element: Element): string[] => (element.children ?? []).flatMap((child) => (typeof child === 'string' ? [child] : texts(child)));
      const slots: Array<{ slot: string; texts: string[] }> = [];
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === 'object') {
          const element = value as Element;
          if (typeof element.slot === 'string') slots.push({ slot: element.slot, texts: texts(element) });
          Object.values(value).forEach(walk);
        }
      };
      walk(screen.sections);
      expect(slots.length).toBeGreaterThanOrEqual(6);
      for (const { slot, texts: slotTexts } of slots) {
        expect(slotTexts.length, slot).toBeGreaterThan(0);
        for (const text of slotTexts) {
          const box = await page.getByText(text, { exact: true }).first().boundingBox();
          expect(box, `${slot}: "${text}"`).not.toBeNull();
          expect(box!.width * box!.height, `${slot}: "${text}" has no area`).toBeGreaterThan(0);
          expect(box!.x, `${slot}: "${text}"`).toBeGreaterThanOrEqual(0);
          expect(box!.x + box!.width, `${slot}: "${text}" overflows the 1280 px viewport`).toBeLessThanOrEqual(1280);
          expect(box!.y + box!.height, `${slot}: "${text}" is below the page`).toBeLessThanOrEqual(pageHeight);
        }
      }
    },
    120_000,
  );

  it('a component that throws at render or at load shows the error in the preview and in the result; the process goes on', async () => {
    const packageRoot = process.cwd();
    const cases = [
      { name: 'Boom', contents: "export function Boom(): never {\n  throw new Error('boom at render');\n}\n", message: 'boom at render', selector: '[data-dspec-error="render"]' },
      { name: 'Bang', contents: "throw new Error('bang at load');\nexport function Bang() {\n  return null;\n}\n", message: 'bang at load', selector: '#dspec-errors' },
    ];
    // In this process (the CLI) and in the driver child the server uses (the built host script).
    const env = { ...process.env, DSPEC_CHROMIUM: BROWSER!.path };
    const renderers = [new PreviewBrowser({ env }), new PreviewRenderHost(path.resolve('dist/preview/render-host.js'), { env })];
    try {
      for (const renderer of renderers) {
        for (const testCase of cases) {
          const document = await buildPreviewDocument(
            { target: { kind: 'component', name: testCase.name, files: [{ path: `${testCase.name}.tsx`, contents: testCase.contents }] }, themeCss: ':root{}' },
            packageRoot,
          );
          const render = await renderer.render(document, { modes: ['light'], viewport: 375 });
          expect(render.errors.map((error) => error.message).join(' '), testCase.name).toContain(testCase.message);
          expect(render.shots).toHaveLength(1);
          expect(Buffer.isBuffer(render.shots[0]!.png)).toBe(true);
          expect(render.shots[0]!.png.subarray(1, 4).toString('latin1')).toBe('PNG');

          await page.goto('about:blank');
          await page.setContent(document.html, { waitUntil: 'load' });
          await expect.poll(() => page.locator(testCase.selector).innerText(), { timeout: 15_000 }).toContain(testCase.message);
        }
      }
    } finally {
      await Promise.all(renderers.map((renderer) => renderer.close()));
    }
  }, 120_000);

  it('the driver child passes a browser that will not start back as the same clear error, ends after the idle time, and a missing browser costs no child', async () => {
    const document = await buildPreviewDocument(
      { target: { kind: 'component', name: 'Plain', files: [{ path: 'Plain.tsx', contents: 'export function Plain() {\n  return <p>plain</p>;\n}\n' }] }, themeCss: ':root{}' },
      process.cwd(),
    );
    const broken = new PreviewRenderHost(path.resolve('dist/preview/render-host.js'), { env: { ...process.env, DSPEC_CHROMIUM: '/bin/true' } });
    try {
      const error = await broken.render(document, { modes: ['light'], viewport: 375 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DspecError);
      expect((error as DspecError).code).toBe(ErrorCode.ProviderUnavailable);
      expect((error as DspecError).message).toContain('/bin/true (from DSPEC_CHROMIUM) did not start');
      expect((error as DspecError).suggestion).toContain('apt-get install chromium');
    } finally {
      await broken.close();
    }
    // Idle: the driver ends (its browser with it) once the idle time has passed without a render.
    const log = new LogLines();
    const idle = new PreviewRenderHost(path.resolve('dist/preview/render-host.js'), { env: { ...process.env, DSPEC_CHROMIUM: BROWSER!.path }, idleMs: 200, logger: log.logger });
    try {
      const render = await idle.render(document, { modes: ['light'], viewport: 375 });
      expect(render.shots).toHaveLength(1);
      const driverPid = idle.status().driver?.pid;
      expect(driverPid).toBeGreaterThan(0);
      // The host logs the driver's exit: no polling of the pid.
      await log.lineMatching((line) => line.msg === 'preview browser driver ended');
      expect(processAlive(driverPid!)).toBe(false);
      expect(idle.status()).toMatchObject({ running: false, processes: [] });
    } finally {
      await idle.close();
    }
    const missing = new PreviewRenderHost(path.resolve('dist/preview/render-host.js'), { env: { PATH: '', DSPEC_CHROMIUM: '/nonexistent/chromium' } });
    await expect(missing.render(document, { modes: ['light'], viewport: 375 })).rejects.toThrow(/DSPEC_CHROMIUM=\/nonexistent\/chromium is not an executable file/);
    expect(missing.status().driver).toBeUndefined();
  }, 120_000);
});
