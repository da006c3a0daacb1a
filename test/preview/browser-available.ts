import { describe } from 'vitest';
import { findBrowser } from '../../src/preview/headless-browser.js';

/** The Chromium the preview tests drive: the same lookup as the server (DSPEC_CHROMIUM, CHROME_PATH, PATH). */
export const BROWSER = findBrowser(process.env);

/**
 * `describe` for tests that need a browser: skipped with a note when none is found, but failing
 * under CI=true, where `.ci/run` installs Debian's chromium.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (BROWSER) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      throw new Error('no Chrome/Chromium found (DSPEC_CHROMIUM, CHROME_PATH, PATH); under CI=true the preview tests must run: apt-get install chromium');
    });
    return;
  }
  console.warn(`skipping "${name}": no Chrome/Chromium found (apt-get install chromium, or set DSPEC_CHROMIUM)`);
  describe.skip(name, body);
}
