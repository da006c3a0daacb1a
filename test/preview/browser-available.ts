import { describe } from 'vitest';
import { findBrowser, type BrowserLocation } from '../../src/preview/headless-browser.js';

/** The Chromium the browser tests drive: the same lookup as the server (DSPEC_CHROMIUM, CHROME_PATH, PATH). */
export const BROWSER = findBrowser(process.env);

const NOT_FOUND = 'no Chrome/Chromium found (DSPEC_CHROMIUM, CHROME_PATH, PATH)';

/**
 * A browser test may skip only outside CI: under CI=true, where `.ci/run` installs Debian's
 * chromium, a missing browser is a broken machine and its tests must fail, not vanish.
 */
export function maySkipBrowserTests(env: NodeJS.ProcessEnv): boolean {
  return !findBrowser(env) && env.CI !== 'true';
}

export const skipWithoutBrowser = maySkipBrowserTests(process.env);

/** The browser for a test that needs one, or an error that says so and how to install one. */
export function requireBrowser(): BrowserLocation {
  if (!BROWSER) throw new Error(`${NOT_FOUND}; under CI=true the browser tests must run: apt-get install chromium, or set DSPEC_CHROMIUM`);
  return BROWSER;
}

/** `describe` for tests that need a browser: skipped with a note when none is found, failing under CI=true. */
export function describeWithBrowser(name: string, body: () => void): void {
  if (skipWithoutBrowser) {
    console.warn(`skipping "${name}": ${NOT_FOUND} (apt-get install chromium, or set DSPEC_CHROMIUM)`);
    describe.skip(name, body);
    return;
  }
  describe(name, BROWSER ? body : () => void requireBrowser());
}
