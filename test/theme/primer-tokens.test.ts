import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { cssParseErrors, generate } from './theme-test-support.js';

const PRIMER_TOKENS = path.resolve(process.cwd(), 'node_modules/@primer/primitives/src/tokens');

/** Primer ships its token sources as JSON5 (comments, unquoted keys), so they are read with json5. */
function loadPrimer(file: string): Record<string, unknown> {
  return JSON5.parse(readFileSync(path.join(PRIMER_TOKENS, file), 'utf8'));
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    const bothGroups = existing && typeof existing === 'object' && value && typeof value === 'object' && !('$value' in (value as object));
    target[key] = bothGroups ? deepMerge(existing as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return target;
}

/**
 * `syntax.json5` is left out: it defines both `constant-other-reference-link` and
 * `constantOtherReferenceLink`, which kebab-case naming maps to one variable (a collision test below).
 */
const FUNCTIONAL_COLORS = ['fgColor', 'bgColor', 'borderColor', 'control', 'data-vis', 'display', 'selection'].map(
  (name) => `functional/color/${name}.json5`,
);

/** A Primer theme as its build assembles one: the base palette of a mode plus every functional colour file. */
function primerTheme(mode: 'light' | 'dark'): Record<string, unknown> {
  const files = [`base/color/${mode}/${mode}.json5`, `base/color/${mode}/display-${mode}.json5`, ...FUNCTIONAL_COLORS];
  return files.reduce((merged, file) => deepMerge(merged, loadPrimer(file)), {} as Record<string, unknown>);
}

describe('GitHub Primer tokens (real files from @primer/primitives)', () => {
  const light = generate(primerTheme('light'));
  const dark = generate(primerTheme('dark'));

  it('turns the light theme into parseable CSS with hundreds of variables', () => {
    expect(light.format).toBe('dtcg');
    expect(light.variables.size).toBeGreaterThan(500);
    expect(cssParseErrors(light.css)).toEqual([]);
    expect(light.css).not.toContain('[object Object]');
  });

  it('keeps references as var() and resolves them to the palette colours', () => {
    expect(light.variables.get('--fg-color-default')).toBe('var(--base-color-neutral-13)');
    expect(light.variables.get('--bg-color-default')).toBe('var(--base-color-neutral-0)');
    expect(light.variables.get('--base-color-black')).toBe('hsl(213.3 12.7% 13.9%)');
    expect(light.resolved.light.get('--fg-color-default')).toBe(light.resolved.light.get('--base-color-black'));
    expect(light.resolved.light.get('--bg-color-default')).toBe('hsl(0 0% 100%)');
  });

  it("applies Primer's token-level alpha instead of dropping it", () => {
    expect(light.resolved.light.get('--border-color-muted')).toMatch(/^hsl\(.* \/ 0\.7\)$/);
  });

  it('gives the dark palette different final values for the same functional tokens', () => {
    expect(dark.resolved.light.get('--bg-color-default')).not.toBe(light.resolved.light.get('--bg-color-default'));
  });

  it('emits the deprecated alias of syntax.json5 once, with a warning naming both paths (same value, same name)', () => {
    const result = generate(deepMerge(primerTheme('light'), loadPrimer('functional/color/syntax.json5')));
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        code: 'duplicate-name',
        message: expect.stringMatching(/prettylights\.syntax\.constant-other-reference-link and prettylights\.syntax\.constantOtherReferenceLink both become the CSS variable --prettylights-syntax-constant-other-reference-link/),
      }),
    );
    const value = result.variables.get('--prettylights-syntax-constant-other-reference-link');
    expect(value).toBeDefined();
    expect(value).not.toBe('var(--prettylights-syntax-constant-other-reference-link)');
    expect(result.css.match(/--prettylights-syntax-constant-other-reference-link:/g)).toHaveLength(1);
  });

  it('keeps both names apart with naming: "preserve", as Primer\'s own CSS does', () => {
    const result = generate(deepMerge(primerTheme('light'), loadPrimer('functional/color/syntax.json5')), { naming: 'preserve' });
    expect(result.variables.get('--prettylights-syntax-constantOtherReferenceLink')).toBeDefined();
    expect(result.variables.get('--prettylights-syntax-constant-other-reference-link')).toBe('var(--prettylights-syntax-constantOtherReferenceLink)');
    expect(result.warnings.filter((w) => w.code === 'duplicate-name')).toEqual([]);
  });

  it('raises no contrast warning for Primer default text on the default background', () => {
    for (const result of [light, dark]) {
      expect(result.warnings.filter((w) => w.code === 'low-contrast' && w.path === 'fgColor.default')).toEqual([]);
    }
  });
});
