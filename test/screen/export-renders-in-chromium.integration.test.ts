import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VARIABLES } from '../../src/catalog/contract.js';
import { exportScreen } from '../../src/screen/export-screen.js';
import { writeExport } from '../../src/screen/write-export.js';
import { generateThemeCss } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../src/theme/schemas.js';
import { requireShared, sharedPath, skipWithoutShared } from '../helpers/shared-fixtures.js';
import { requireBrowser, skipWithoutBrowser } from '../preview/browser-available.js';
import { testGate } from '../helpers/test-gate.js';

/**
 * The export as a developer gets it: written into a fresh Vite + React app, built by Vite, served
 * over HTTP and rendered by a real headless Chromium. The page must render without console
 * errors, pass axe with no serious or critical violation, and show the theme's colours, light
 * and dark.
 *
 * The apps live under test-output/ inside the project so that Node resolution finds the
 * project's node_modules (react, react-dom, the Radix primitives, vite): no install per app.
 */

const PROJECT_ROOT = process.cwd();
const OUTPUT = path.join(PROJECT_ROOT, 'test-output');
const require = createRequire(import.meta.url);

const SCREENS = ['dashboard-screen', 'detail-screen', 'settings-screen'] as const;
const FIXTURE_THEMES = ['saas-minimal-v1', 'dark-fitness-v1'] as const;
const DUAL_MODE_THEME = path.join(PROJECT_ROOT, 'test/fixtures/screens/dual-mode-theme.json');

const CASES: Array<{ screen: string; theme: string; themePath: string }> = [
  ...SCREENS.flatMap((screen) => FIXTURE_THEMES.map((theme) => ({ screen, theme, themePath: sharedPath('fixtures/tekton-themes', `${theme}.json`) }))),
  // A theme with dark tokens, so the dark toggle is shown to change colours.
  ...SCREENS.map((screen) => ({ screen, theme: 'dual-mode', themePath: DUAL_MODE_THEME })),
];

const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * Themes whose own palette fails WCAG AA text contrast (measured by axe in this test): for
 * them, contrast findings are checked to involve only colours the theme itself defines, so the
 * export adds no contrast problem of its own; every other axe rule must pass. The test theme
 * with AA colours gets the full axe run, light and dark.
 */
const THEMES_WITH_LOW_CONTRAST = new Set(['saas-minimal-v1', 'dark-fitness-v1']);

if (skipWithoutBrowser) console.warn('skipping the Chromium export tests: no Chrome/Chromium found (apt-get install chromium, or set DSPEC_CHROMIUM)');
if (skipWithoutShared) console.warn('skipping the Chromium export tests: ../shared fixtures are missing');
const runOrSkip = skipWithoutBrowser || skipWithoutShared ? describe.skip : describe;

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

function serveStatic(root: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(root, relative);
    if (!file.startsWith(root + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      // The screens name pictures of the app (`/avatar.jpg`); the app's own assets stand in as one pixel.
      if (/\.(jpe?g|png|webp)$/i.test(relative)) response.writeHead(200, { 'content-type': 'image/png' }).end(PIXEL_PNG);
      else response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function createApp(appDir: string, screenName: string): Promise<void> {
  await rm(appDir, { recursive: true, force: true });
  await mkdir(path.join(appDir, 'src'), { recursive: true });
  await writeFile(path.join(appDir, 'package.json'), `${JSON.stringify({ name: path.basename(appDir), private: true, type: 'module' }, null, 2)}\n`);
  await writeFile(
    path.join(appDir, 'index.html'),
    `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8" />\n    <meta name="viewport" content="width=device-width, initial-scale=1" />\n    <link rel="icon" href="data:," />\n    <title>${screenName}</title>\n  </head>\n  <body>\n    <div id="root"></div>\n    <script type="module" src="/src/main.tsx"></script>\n  </body>\n</html>\n`,
  );
  await writeFile(
    path.join(appDir, 'src/main.tsx'),
    `import { StrictMode } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport './screen/theme.css';\nimport { ${screenName} } from './screen';\n\ncreateRoot(document.getElementById('root')!).render(\n  <StrictMode>\n    <${screenName} />\n  </StrictMode>,\n);\n`,
  );
  await writeFile(
    path.join(appDir, 'vite.config.mjs'),
    `import react from '@vitejs/plugin-react';\nimport { defineConfig } from 'vite';\n\nexport default defineConfig({ plugins: [react()], build: { outDir: 'dist', emptyOutDir: true } });\n`,
  );
}

runOrSkip('an exported screen builds with Vite and renders in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    const { path: executablePath } = requireBrowser();
    requireShared();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await mkdir(path.join(OUTPUT, 'screenshots'), { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const testCase of CASES) {
    it(`${testCase.screen} with ${testCase.theme}`, async () => {
      const [screen, theme] = await Promise.all([readJson(sharedPath('fixtures/tekton-screens', `${testCase.screen}.json`)), readJson(testCase.themePath)]);
      const result = await exportScreen({ screen, theme }, { gate: testGate() });
      expect(result.findings).toEqual([]);
      expect(result.success).toBe(true);

      const appDir = path.join(OUTPUT, 'apps', `${testCase.screen}-${testCase.theme}`);
      await createApp(appDir, result.screenName);
      await writeExport(result.files, { root: appDir, outDir: 'src/screen' });

      const { build } = await import('vite');
      await build({ root: appDir, configFile: path.join(appDir, 'vite.config.mjs'), logLevel: 'silent' });

      const server = await serveStatic(path.join(appDir, 'dist'));
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      try {
        const { port } = server.address() as AddressInfo;
        await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
        await page.waitForSelector('button[data-variant="primary"]', { timeout: 10_000 });

        // The screen's own text is on the page, as text.
        const bodyText = await page.locator('body').innerText();
        const expectedText = testCase.screen === 'dashboard-screen' ? 'Total Users' : testCase.screen === 'detail-screen' ? 'John Doe' : 'Profile Information';
        expect(bodyText).toContain(expectedText);

        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const themeCss = generateThemeCss(theme, ThemeCssOptionsSchema.parse({}), { defaultBindings: CONTRACT_VARIABLES });
        await expectNoSevereAxeViolations(page, THEMES_WITH_LOW_CONTRAST.has(testCase.theme) ? themeCss.resolved.light : undefined);

        const light = await readColours(page, themeCss.resolved.light);
        expect(light.button).toBe(light.brandVariable);
        expect(light.button).toBe(light.brandLiteral);
        expect(light.heading).toBe(light.textVariable);
        expect(light.heading).toBe(light.textLiteral);
        if (light.text !== undefined) expect(light.text).toBe(light.textLiteral);

        await page.screenshot({ path: path.join(OUTPUT, 'screenshots', `${testCase.screen}-${testCase.theme}.png`), fullPage: true });

        await page.evaluate(() => {
          document.documentElement.classList.add('dark');
          // Components transition their colours: end every transition so computed styles are final.
          void getComputedStyle(document.body).color;
          for (const animation of document.getAnimations()) animation.finish();
        });
        const hasDark = themeCss.darkVariables.size > 0;
        const dark = await readColours(page, hasDark ? themeCss.resolved.dark : themeCss.resolved.light);
        expect(dark.button).toBe(dark.brandVariable);
        expect(dark.button).toBe(dark.brandLiteral);
        expect(dark.heading).toBe(dark.textLiteral);
        if (hasDark) {
          expect(dark.button).not.toBe(light.button);
          expect(dark.heading).not.toBe(light.heading);
          await page.screenshot({ path: path.join(OUTPUT, 'screenshots', `${testCase.screen}-${testCase.theme}-dark.png`), fullPage: true });
          if (!THEMES_WITH_LOW_CONTRAST.has(testCase.theme)) await expectNoSevereAxeViolations(page, undefined);
        } else {
          expect(dark.button).toBe(light.button);
          expect(dark.heading).toBe(light.heading);
        }
        expect(consoleErrors).toEqual([]);
      } finally {
        await page.close();
        await new Promise((resolve) => server.close(resolve));
      }
    }, 90_000);
  }

  it('a sidebar-left blueprint renders its sidebar slot in the sidebar', async () => {
    const [screen, theme] = await Promise.all([
      readJson(sharedPath('fixtures/tekton-blueprints', 'account-sidebar-left.json')),
      readJson(sharedPath('fixtures/tekton-themes', 'saas-minimal-v1.json')),
    ]);
    const result = await exportScreen({ screen, theme }, { gate: testGate() });
    expect(result.findings).toEqual([]);
    expect(result.success).toBe(true);

    const appDir = path.join(OUTPUT, 'apps', 'account-sidebar-left');
    await createApp(appDir, result.screenName);
    await writeExport(result.files, { root: appDir, outDir: 'src/screen' });
    const { build } = await import('vite');
    await build({ root: appDir, configFile: path.join(appDir, 'vite.config.mjs'), logLevel: 'silent' });

    const server = await serveStatic(path.join(appDir, 'dist'));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    try {
      const { port } = server.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
      await page.waitForSelector('[data-slot="sidebar"] a', { timeout: 10_000 });
      const box = async (selector: string) => {
        const found = await page.locator(selector).first().boundingBox();
        if (!found) throw new Error(`${selector} is not rendered`);
        return found;
      };
      const header = await box('[data-slot="header"]');
      const sidebar = await box('[data-slot="sidebar"]');
      const main = await box('[data-slot="main"]');
      const footer = await box('[data-slot="footer"]');
      const inside = (inner: { x: number; y: number; width: number; height: number }, outer: typeof inner) =>
        inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

      // The sidebar's links are inside the sidebar box; the form is inside main.
      for (const label of ['Profile', 'Billing', 'Security']) {
        expect(inside(await box(`a:has-text("${label}")`), sidebar), `${label} link inside the sidebar`).toBe(true);
        expect(inside(await box(`a:has-text("${label}")`), main)).toBe(false);
      }
      expect(inside(await box('form'), main)).toBe(true);
      expect(inside(await box('h1'), header)).toBe(true);
      // sidebar-left from the md breakpoint: header on top, sidebar left of main on one row, footer below.
      expect(sidebar.x + sidebar.width).toBeLessThanOrEqual(main.x + 0.5);
      expect(Math.abs(sidebar.y - main.y)).toBeLessThan(1);
      expect(header.y + header.height).toBeLessThanOrEqual(sidebar.y + 0.5);
      expect(footer.y).toBeGreaterThanOrEqual(Math.max(sidebar.y + sidebar.height, main.y + main.height) - 0.5);
      await page.screenshot({ path: path.join(OUTPUT, 'screenshots', 'account-sidebar-left.png'), fullPage: true });
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 300_000);
});

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: Array<{ target: string; summary: string; fgColor?: string; bgColor?: string }>;
}

/**
 * Runs axe on the page: no serious or critical violation. With `themePalette`, contrast
 * violations are accepted only where both colours are the theme's own (a palette choice the
 * export cannot change without colour literals); any other colour would be the export's fault.
 */
async function expectNoSevereAxeViolations(page: import('playwright-core').Page, themePalette: Map<string, string> | undefined): Promise<void> {
  const violations: AxeViolation[] = await page.evaluate(async () => {
    type AxeNode = { target: string[]; failureSummary?: string; any: Array<{ data?: { fgColor?: string; bgColor?: string } | null }> };
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: AxeNode[] }> }> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(' '),
        summary: node.failureSummary ?? '',
        fgColor: node.any[0]?.data?.fgColor,
        bgColor: node.any[0]?.data?.bgColor,
      })),
    }));
  });
  const severe = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  if (!themePalette) {
    expect(severe, JSON.stringify(severe, null, 2)).toEqual([]);
    return;
  }
  expect(
    severe.filter((violation) => violation.id !== 'color-contrast'),
    JSON.stringify(severe, null, 2),
  ).toEqual([]);
  const palette = new Set(await paletteAsHex(page, [...themePalette.values()]));
  const foreign = severe
    .filter((violation) => violation.id === 'color-contrast')
    .flatMap((violation) => violation.nodes)
    .filter((node) => !node.fgColor || !node.bgColor || !palette.has(node.fgColor) || !palette.has(node.bgColor));
  expect(foreign, 'contrast failures involving colours the theme does not define').toEqual([]);
}

/** Every colour value as the browser paints it, in axe's `#rrggbb` notation. */
async function paletteAsHex(page: import('playwright-core').Page, values: string[]): Promise<string[]> {
  return page.evaluate((candidates) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const out: string[] = [];
    for (const value of candidates) {
      if (!CSS.supports('color', value)) continue;
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = value;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      out.push(`#${[r, g, b].map((channel) => channel!.toString(16).padStart(2, '0')).join('')}`);
    }
    return out;
  }, values);
}

interface Colours {
  button: string;
  heading: string;
  text?: string;
  brandVariable: string;
  brandLiteral: string;
  textVariable: string;
  textLiteral: string;
}

/**
 * Computed colours of the primary button and the first heading, next to the same custom
 * properties computed on probe elements, and the theme's resolved literals as the browser
 * parses them (so `oklch(…)` and `rgb(…)` compare in one notation).
 */
async function readColours(page: import('playwright-core').Page, resolved: Map<string, string>): Promise<Colours> {
  const brand = resolved.get('--dspec-color-brand');
  const text = resolved.get('--dspec-color-text');
  if (!brand || !text) throw new Error('the theme resolved no --dspec-color-brand or --dspec-color-text');
  return page.evaluate(
    ({ brand, text }) => {
      const probe = (property: 'background-color' | 'color', value: string) => {
        const element = document.createElement('div');
        element.style.setProperty(property, value);
        document.body.append(element);
        const computed = getComputedStyle(element).getPropertyValue(property);
        element.remove();
        return computed;
      };
      const button = document.querySelector('button[data-variant="primary"]');
      const heading = document.querySelector('h1, h2, h3');
      const textElement = document.querySelector('[data-color="default"]');
      if (!button || !heading) throw new Error('no primary button or heading on the page');
      return {
        button: getComputedStyle(button).backgroundColor,
        heading: getComputedStyle(heading).color,
        text: textElement ? getComputedStyle(textElement).color : undefined,
        brandVariable: probe('background-color', 'var(--dspec-color-brand)'),
        brandLiteral: probe('background-color', brand),
        textVariable: probe('color', 'var(--dspec-color-text)'),
        textLiteral: probe('color', text),
      };
    },
    { brand, text },
  );
}
