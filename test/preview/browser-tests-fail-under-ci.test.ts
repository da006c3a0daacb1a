import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maySkipBrowserTests } from './browser-available.js';

/** Every test source under test/, but not the gate's corpus (data) nor this file (which names the patterns). */
function testSources(directory = 'test'): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return file === path.join('test', 'fixtures') ? [] : testSources(file);
    return /\.tsx?$/.test(entry.name) && entry.name !== 'browser-tests-fail-under-ci.test.ts' ? [file] : [];
  });
}

describe('tests that need Chromium skip only outside CI', () => {
  // DSPEC_CHROMIUM set to a missing file is "no browser" on every platform (no fallback lookup).
  const noBrowser = { DSPEC_CHROMIUM: '/nonexistent/chromium' };

  it('may skip with no browser on a developer machine', () => {
    expect(maySkipBrowserTests(noBrowser)).toBe(true);
  });

  it('must run (and so fail) with no browser under CI=true', () => {
    expect(maySkipBrowserTests({ ...noBrowser, CI: 'true' })).toBe(false);
  });

  it('runs wherever a browser is found', () => {
    expect(maySkipBrowserTests({ DSPEC_CHROMIUM: process.execPath })).toBe(false);
  });

  it('is how every browser test decides: no fixed Chromium path, no skip on a missing browser or ../shared alone', () => {
    const bypasses = testSources().flatMap((file) => {
      const source = readFileSync(file, 'utf8');
      return [/'\/usr\/bin\/chromium'/, /skipIf\(!BROWSER\)/, /runIf\(BROWSER\)/, /runIf\(hasShared\)/, /skipIf\(!hasShared\)/]
        .filter((pattern) => pattern.test(source))
        .map((pattern) => `${file}: ${pattern.source}`);
    });
    expect(bypasses).toEqual([]);
  });
});
