import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import type { PreviewApi } from '../../src/preview/browser/protocol.js';
import { launchArgs } from '../../src/preview/headless-browser.js';
import { buildPreview } from '../../src/preview/preview-service.js';
import { loadDocument } from '../../src/preview/render-preview.js';
import { describeWithShared, hasShared, sharedPath } from '../helpers/shared-fixtures.js';
import { BROWSER, describeWithBrowser } from './browser-available.js';
import { testRuntime } from '../helpers/test-runtime.js';

/** linear-minimal-v1.json is the fixture set's deliberately malformed theme. */
const MALFORMED = new Set(['linear-minimal-v1.json']);
const THEMES = hasShared
  ? readdirSync(sharedPath('fixtures/tekton-themes'))
      .filter((file) => file.endsWith('.json') && !MALFORMED.has(file))
      .sort()
  : [];
/** The catalog's component folders, read when the file is collected so each component is its own test. */
const COMPONENTS = readdirSync('ui-reference', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^[A-Z]/.test(entry.name))
  .map((entry) => entry.name)
  .sort();
const runtime = testRuntime();
const context = () => ({ runtime, logger: runtime.logger });

describeWithShared('every catalog component with every fixture theme', () => {
  describeWithBrowser('loads in Chromium with no console error and no network request', () => {
    let browser: Browser;
    let page: Page;
    const consoleErrors: string[] = [];
    const requests: string[] = [];

    beforeAll(async () => {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: BROWSER!.path, headless: true, args: launchArgs(process.getuid?.() === 0) });
      // One page for every document: each load gets a fresh window (loadDocument), the listeners stay.
      page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.route('**/*', async (route) => {
        requests.push(route.request().url());
        await route.abort('blockedbyclient');
      });
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('has the fixture themes', () => {
      expect(THEMES.length).toBeGreaterThanOrEqual(6);
    });

    /**
     * classic-magazine refers to atomic.color.white, which it never defines: the preview leaves
     * that token out (the components fall back to the defaults) and says so, rather than failing.
     */
    it('previews a theme with a refused token, naming the token as a warning in the result and the document', async () => {
      const theme = JSON.parse(readFileSync(sharedPath('fixtures/tekton-themes', 'classic-magazine-v1.json'), 'utf8')) as unknown;
      const { document, warnings } = await buildPreview({ name: 'Button', theme }, context());
      const refused = warnings.filter((warning) => warning.startsWith('theme semantic.background.surface.default: refers to atomic.color.white'));
      expect(refused).toHaveLength(1);
      expect(document.html).toContain('<div id="dspec-warnings" role="status">');
      expect(document.html).toContain('refers to atomic.color.white, which does not exist');
      const css = /<style id="dspec-theme">([\s\S]*?)<\/style>/.exec(document.html)?.[1] ?? '';
      expect(css).toContain('--semantic-background-canvas');
      expect(css).not.toContain('--semantic-background-surface-default:');
    });

    /**
     * Each component's document is loaded once (with the first theme) and shows every story; each
     * further theme's document is built for real and its theme stylesheet applied in that page,
     * in light and dark. The documents differ only in that stylesheet (the bundle is shared), so
     * this covers every (component, theme) pair without parsing React 120 times on a busy machine.
     */
    it('covers the whole catalog', async () => {
      expect(COMPONENTS).toEqual([...(await loadCatalog()).components.keys()].sort());
    });

    it.each(COMPONENTS)(
      '%s: every theme, and every story',
      async (name) => {
        const failures: string[] = [];
        const themes = THEMES.map((file) => ({ file, theme: JSON.parse(readFileSync(sharedPath('fixtures/tekton-themes', file), 'utf8')) as unknown }));
        const check = async (label: string) => {
          const errors = await page.evaluate(() => (window as unknown as { dspecPreview: PreviewApi }).dspecPreview.errors.map((error) => error.message));
          if (errors.length) failures.push(`${label}: ${errors.join('; ')}`);
          if (consoleErrors.length) failures.push(`${label}: console ${consoleErrors.join(' | ')}`);
          if (requests.length) failures.push(`${label}: requests ${requests.join(', ')}`);
          consoleErrors.length = 0;
          requests.length = 0;
        };
        {
          const [first, ...others] = themes;
          const { document: preview } = await buildPreview({ name, theme: first!.theme }, context());
          consoleErrors.length = 0;
          requests.length = 0;
          if (!(await loadDocument(page, preview.html))) {
            expect.fail(`${name}: the runtime did not start`);
          }
          // In place, or in a portal beside the stage (an open dialog or menu).
          const rendered = await page.evaluate(
            () =>
              (document.getElementById('dspec-root')?.childElementCount ?? 0) +
              [...document.body.children].filter((child) => !['dspec-toolbar', 'dspec-warnings', 'dspec-errors', 'dspec-stage'].includes(child.id) && child.tagName !== 'SCRIPT').length,
          );
          if (rendered === 0) failures.push(`${name}: nothing rendered`);
          for (const story of await page.evaluate(() => (window as unknown as { dspecPreview: PreviewApi }).dspecPreview.stories)) {
            await page.evaluate((update) => (window as unknown as { dspecPreview: PreviewApi }).dspecPreview.set(update), { story });
          }
          await check(`${name} with ${first!.file}, every story`);
          for (const { file, theme } of others) {
            const other = await buildPreview({ name, theme }, context());
            const css = /<style id="dspec-theme">([\s\S]*?)<\/style>/.exec(other.document.html)?.[1];
            if (!css) {
              failures.push(`${name} with ${file}: no theme stylesheet in the document`);
              continue;
            }
            await page.evaluate((text) => {
              document.getElementById('dspec-theme')!.textContent = text;
            }, css);
            for (const mode of ['light', 'dark'] as const) await page.evaluate((update) => (window as unknown as { dspecPreview: PreviewApi }).dspecPreview.set(update), { mode });
            await check(`${name} with ${file}`);
          }
        }
        expect(failures).toEqual([]);
      },
      300_000,
    );
  });
});
