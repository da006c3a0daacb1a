import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadCatalog } from '../catalog/catalog.js';
import type { PageSink } from './headless-browser.js';
import type { ContrastFinding, PreviewApi, PreviewError, PreviewMode, PreviewViewport } from './browser/protocol.js';
import type { PreviewDocument } from './preview-document.js';
import { AXE_SCRIPT_FILE, prebuiltVendorDir } from './preview-vendor.js';

/**
 * A preview document in the headless browser → one PNG per mode, axe-core's findings and the
 * measured text contrast. Every request the page makes is aborted and reported: the document
 * is self-contained, so any request is a defect (or a component reaching out).
 */

export interface AxeFinding {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical';
  help: string;
  helpUrl: string;
  mode: PreviewMode;
  /** CSS selectors of the failing nodes (at most 10). */
  targets: string[];
}

export interface PreviewShot {
  mode: PreviewMode;
  png: Buffer;
  width: number;
  height: number;
}

export interface PreviewRender {
  shots: PreviewShot[];
  /** Serious and critical violations, every mode. */
  violations: AxeFinding[];
  /** How many minor or moderate violations were found besides (not listed). */
  minorViolations: number;
  contrast: Array<ContrastFinding & { mode: PreviewMode }>;
  /** Errors the component threw (render, window, promise): shown in the preview too. */
  errors: PreviewError[];
  consoleErrors: string[];
  blockedRequests: string[];
  story?: string;
  stories: string[];
}

export interface RenderOptions {
  modes: PreviewMode[];
  viewport: PreviewViewport;
  story?: string;
  /** Skip axe (a render-only check). Default false. */
  skipAxe?: boolean;
}

// Module-level on purpose: a read-only package file, the same for every runtime.
let axeSource: Promise<string> | undefined;
/** axe-core's script as `npm run build` copied it (a checkout without a build reads the package). */
function loadAxe(): Promise<string> {
  axeSource ??= loadCatalog().then(async (catalog) => {
    const vendorDir = prebuiltVendorDir(path.dirname(catalog.root));
    return readFile(vendorDir ? path.join(vendorDir, AXE_SCRIPT_FILE) : createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  });
  axeSource.catch(() => {
    axeSource = undefined;
  });
  return axeSource;
}

// The browser globals the evaluated functions use (this project's types have no DOM).
declare const document: {
  documentElement: { scrollWidth: number; scrollHeight: number };
  body: { children: ArrayLike<{ id: string; tagName: string }> & Iterable<{ id: string; tagName: string }> };
  getElementById(id: string): { getBoundingClientRect(): { width: number; height: number } } | null;
};
declare const window: { dspecPreview?: PreviewApi; __dspecEarlyErrors?: PreviewError[]; axe: AxeGlobal };
interface AxeGlobal {
  run(context: unknown, options: object): Promise<{ violations: Array<{ id: string; impact: AxeFinding['impact']; help: string; helpUrl: string; nodes: Array<{ target: unknown[] }> }> }>;
}

/** Loads the document into `page` and waits for its runtime (or an error that stopped it). */
export async function loadDocument(page: Page, html: string): Promise<boolean> {
  // setContent alone rewrites the document but keeps the window and its globals (the previous
  // preview's API among them): a fresh about:blank gives each document a window of its own.
  await page.goto('about:blank');
  await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForFunction(() => Boolean(window.dspecPreview) || Boolean(window.__dspecEarlyErrors?.length), undefined, { timeout: 15_000 });
  return page.evaluate(() => Boolean(window.dspecPreview));
}

/** Renders on a page lent by `PreviewBrowser.withPage` (requests already aborted and recorded in `sink`). */
export async function renderPreview(page: Page, sink: PageSink, preview: PreviewDocument, options: RenderOptions): Promise<PreviewRender> {
  await page.setViewportSize({ width: options.viewport, height: 720 });
  const ready = await loadDocument(page, preview.html);
  const render: PreviewRender = { shots: [], violations: [], minorViolations: 0, contrast: [], errors: [], consoleErrors: sink.consoleErrors, blockedRequests: sink.blockedRequests, stories: [] };
  if (ready) render.stories = await page.evaluate(() => window.dspecPreview!.stories);
  const axe = options.skipAxe || !ready ? undefined : await loadAxe();
  if (axe) await page.addScriptTag({ content: axe });
  for (const mode of options.modes) {
    if (ready) {
      await page.evaluate((update) => window.dspecPreview!.set(update), { mode, viewport: options.viewport, toolbar: false, ...(options.story ? { story: options.story } : {}) });
    }
    render.shots.push({ mode, ...(await shoot(page)) });
    if (!ready) continue;
    render.contrast.push(...(await page.evaluate(() => window.dspecPreview!.measureContrast())).map((finding) => ({ ...finding, mode })));
    if (axe) {
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run({ include: [['#dspec-root']] }, { resultTypes: ['violations'] });
        return result.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          helpUrl: violation.helpUrl,
          targets: violation.nodes.slice(0, 10).map((node) => node.target.map(String).join(' ')),
        }));
      });
      for (const violation of violations) {
        if (violation.impact === 'serious' || violation.impact === 'critical') render.violations.push({ ...violation, mode });
        else render.minorViolations += 1;
      }
    }
  }
  if (ready) {
    const state = await page.evaluate(() => ({ errors: window.dspecPreview!.errors, story: window.dspecPreview!.state().story }));
    render.errors = state.errors;
    if (state.story) render.story = state.story;
  } else {
    render.errors = await page.evaluate(() => window.__dspecEarlyErrors ?? []);
  }
  return render;
}

/**
 * The stage (component or screen at the viewport width, as tall as its content); the whole page
 * when something renders outside it (a dialog or menu portal).
 */
async function shoot(page: Page): Promise<{ png: Buffer; width: number; height: number }> {
  const outside = await page.evaluate(() => {
    const body = document.body;
    return [...body.children].some((child) => !['dspec-toolbar', 'dspec-warnings', 'dspec-errors', 'dspec-stage'].includes(child.id) && child.tagName !== 'SCRIPT');
  });
  const box = outside
    ? await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }))
    : await page.evaluate(() => {
        const rect = document.getElementById('dspec-stage')!.getBoundingClientRect();
        return { width: Math.ceil(rect.width), height: Math.ceil(rect.height) };
      });
  const png = outside ? await page.screenshot({ fullPage: true, type: 'png', animations: 'disabled' }) : await page.locator('#dspec-stage').screenshot({ type: 'png', animations: 'disabled' });
  return { png, ...box };
}
