import { describe, expect, it } from 'vitest';
import { convertTheme } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../src/theme/schemas.js';
import { compareVariables } from '../../bench/css-compare.mjs';
import { realWorldSets } from '../../bench/real-world-bench.mjs';

/** What this test reads of a bench set; sets differ in which of the optional fields they carry. */
interface RealWorldSet {
  set: string;
  input: () => unknown;
  options: Record<string, unknown>;
  published: () => Map<string, string>;
  context?: Map<string, string>;
  publishedPrefix?: string;
  refusedExpected?: readonly string[];
}

/**
 * The bench's corpus (five design systems' token sources and published CSS from node_modules),
 * each converted with default options: only the refused tokens docs/real-world-tokens.md explains
 * are refused, and coverage and agreement with the published CSS are at least 97 %.
 */
describe('real-world token sets convert with defaults and match their published CSS', () => {
  const sets: RealWorldSet[] = realWorldSets();

  it('holds at least five design systems, in Style Dictionary, Tokens Studio and DTCG formats', () => {
    const systems = new Set(sets.map((entry) => /\(`([^`]+)`/.exec(entry.set)?.[1]));
    expect(systems.size).toBeGreaterThanOrEqual(5);
    for (const format of ['Style Dictionary', 'Tokens Studio', 'DTCG']) expect(sets.some((entry) => entry.set.includes(format))).toBe(true);
  });

  it.each(sets.map((entry) => [entry.set, entry] as const))('%s', (_name, entry) => {
    const result = convertTheme(entry.input(), ThemeCssOptionsSchema.parse({ componentDefaults: false, ...entry.options }));
    expect(result.errors.map((error) => error.path).sort()).toEqual([...(entry.refusedExpected ?? [])].sort());
    const published = entry.published();
    expect(published.size).toBeGreaterThan(300);
    const comparison = compareVariables(result.variables, published, entry.context ? new Map([...entry.context, ...published]) : published, { publishedPrefix: entry.publishedPrefix });
    expect(comparison.coverage).toBeGreaterThanOrEqual(0.97);
    expect(comparison.agreement).toBeGreaterThanOrEqual(0.97);
  });
});
