import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { describeWithBrowser, requireBrowser } from '../preview/browser-available.js';
import { makeDashboardHome } from './dashboard-fixture.js';

describeWithBrowser('dspec report in a real browser', () => {
  it('loads with no console error, no page error and no network request, and draws its charts', { timeout: 120_000 }, async () => {
    const home = await makeDashboardHome();
    const file = path.join(home, 'report.html');
    expect(await runCli(['report', '-o', file], { stdout: () => {}, stderr: () => {}, cwd: home, env: { DSPEC_HOME: home } })).toBe(0);

    const browser = await chromium.launch({ executablePath: requireBrowser().path, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const url = pathToFileURL(file).href;
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (request.url() !== url) problems.push(`request: ${request.url()}`);
      });
      await page.goto(url, { waitUntil: 'load' });
      expect(await page.title()).toBe('dspec report');
      const charts = await page.locator('svg[role="img"]').count();
      expect(charts).toBeGreaterThanOrEqual(7);
      // Bars and lines were laid out with real sizes, not collapsed.
      const bar = await page.locator('svg rect').first().boundingBox();
      expect(bar?.width).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
