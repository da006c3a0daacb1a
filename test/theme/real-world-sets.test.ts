import { describe, expect, it } from 'vitest';
import { convertTheme } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../src/theme/schemas.js';
import { compareVariables } from '../../bench/css-compare.mjs';
import { realWorldSets } from '../../bench/real-world-bench.mjs';

/** The bench's corpus (token sources and published CSS from node_modules), checked with default options. */
describe('real-world token sets convert with defaults and match their published CSS', () => {
  it.each(realWorldSets().map((entry) => [entry.set, entry] as const))('%s', (_name, entry) => {
    const result = convertTheme(entry.input(), ThemeCssOptionsSchema.parse({ componentDefaults: false, ...entry.options }));
    expect(result.variables.size).toBeGreaterThan(500);
    // Refused tokens are each named; none of the published variables is among them (coverage below).
    expect(result.errorCount).toBeLessThanOrEqual(2);
    const published = entry.published();
    const comparison = compareVariables(result.variables, published, entry.context ? new Map([...entry.context, ...published]) : published, { publishedPrefix: entry.publishedPrefix });
    expect(comparison.coverage).toBeGreaterThanOrEqual(0.97);
    expect(comparison.agreement).toBeGreaterThanOrEqual(0.97);
  });

});
