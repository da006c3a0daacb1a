import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { cssParseErrors, generate } from './theme-test-support.js';
// The bench's loaders and comparison, so the test and `npm run bench` measure the same thing.
import { allTokenFiles, countTokens, NOT_TOKEN_FILES, PRIMER_THEMES, primerModesDocument, primerResolverDocument, primerTree } from '../../bench/primer-tokens.mjs';
import { compareVariables, parseDeclarations } from '../../bench/css-compare.mjs';

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
const FUNCTIONAL_COLORS = ['fgColor', 'bgColor', 'borderColor', 'control', 'data-vis', 'display', 'selection'].map((name) => `functional/color/${name}.json5`);

/** The mode name Primer's build gives a theme: the first entry of its PRIMER_THEMES row. */
function primerModeName(theme: string): string {
  const rows: Record<string, ReadonlyArray<string | readonly string[]>> = PRIMER_THEMES;
  const name = rows[theme]?.[0];
  if (typeof name !== 'string') throw new Error(`no Primer theme named "${theme}" in PRIMER_THEMES`);
  return name;
}

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
        message: expect.stringMatching(
          /prettylights\.syntax\.constant-other-reference-link and prettylights\.syntax\.constantOtherReferenceLink both become the CSS variable --prettylights-syntax-constant-other-reference-link/,
        ),
      }),
    );
    const value = result.variables.get('--prettylights-syntax-constant-other-reference-link');
    expect(value).toBe('var(--base-color-blue-8)');
    expect(value).not.toBe('var(--prettylights-syntax-constant-other-reference-link)');
    expect(result.css.match(/--prettylights-syntax-constant-other-reference-link:/g)).toHaveLength(1);
  });

  it('keeps both names apart with naming: "preserve", as Primer\'s own CSS does', () => {
    const result = generate(deepMerge(primerTheme('light'), loadPrimer('functional/color/syntax.json5')), { naming: 'preserve' });
    expect(result.variables.get('--prettylights-syntax-constantOtherReferenceLink')).toBe('var(--base-color-blue-8)');
    expect(result.variables.get('--prettylights-syntax-constant-other-reference-link')).toBe('var(--prettylights-syntax-constantOtherReferenceLink)');
    expect(result.warnings.filter((w) => w.code === 'duplicate-name')).toEqual([]);
  });

  it('raises no contrast warning for Primer default text on the default background', () => {
    for (const result of [light, dark]) {
      expect(result.warnings.filter((w) => w.code === 'low-contrast' && w.path === 'fgColor.default')).toEqual([]);
    }
  });
});

describe('all of Primer src/tokens, and its published theme CSS', () => {
  const DIST = path.resolve(process.cwd(), 'node_modules/@primer/primitives/dist/css');
  const sizeAndMotion = () => {
    const map = new Map<string, string>();
    for (const dir of ['base/motion', 'base/size', 'base/typography', 'functional/motion', 'functional/size', 'functional/spacing', 'functional/typography']) {
      for (const file of readdirSync(path.join(DIST, dir))) for (const [name, value] of parseDeclarations(readFileSync(path.join(DIST, dir, file), 'utf8'))) map.set(name, value);
    }
    return map;
  };

  it('reads every token file; the two files left out hold no token', () => {
    expect(allTokenFiles().length).toBeGreaterThan(50);
    for (const file of NOT_TOKEN_FILES) expect(countTokens(JSON.parse(readFileSync(path.join(PRIMER_TOKENS, file), 'utf8')))).toBe(0);
  });

  it('converts the full light set with defaults, all or nothing', () => {
    const result = generate(primerTree('light'));
    expect(result.variables.size).toBeGreaterThan(1_500);
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it.each(['light', 'dark'] as const)('reproduces the published %s.css from the sources and the org.primer.overrides of that mode, at least 97 percent', (mode) => {
    const result = generate(primerTree(mode), { mode, componentDefaults: false });
    const published = parseDeclarations(readFileSync(path.join(DIST, `functional/themes/${mode}.css`), 'utf8'));
    const comparison = compareVariables(result.variables, published, new Map([...sizeAndMotion(), ...published]));
    expect(comparison.published).toBeGreaterThan(900);
    expect(comparison.coverage).toBeGreaterThanOrEqual(0.97);
    expect(comparison.agreement).toBeGreaterThanOrEqual(0.97);
  });

  it('emits several Primer themes in one file, each under its selector, each agreeing with its published CSS', () => {
    const themes = ['light', 'dark', 'dark-dimmed', 'light-high-contrast', 'dark-colorblind'];
    const document = primerModesDocument(themes);
    const modes = themes.slice(1).map((theme) => {
      const mode = theme === 'dark' ? 'dark' : primerModeName(theme);
      return { name: mode, selector: `[data-color-mode="${theme}"]`, theme };
    });
    const result = generate(document, { mode: 'light', references: 'resolve', componentDefaults: false, modes: modes.map(({ name, selector }) => ({ name, selector })) });
    expect(cssParseErrors(result.css)).toEqual([]);
    for (const { selector } of modes) expect(result.css).toContain(`\n${selector} {\n`);
    for (const theme of themes) {
      const block = result.modes?.find((mode) => mode.selector === `[data-color-mode="${theme}"]`);
      const merged = new Map([...result.variables, ...(block?.variables ?? [])]);
      const published = parseDeclarations(readFileSync(path.join(DIST, `functional/themes/${theme}.css`), 'utf8'));
      const comparison = compareVariables(merged, published, new Map([...sizeAndMotion(), ...published]));
      expect(comparison.coverage, theme).toBeGreaterThanOrEqual(0.97);
      expect(comparison.agreement, theme).toBeGreaterThanOrEqual(0.97);
    }
  });

  it('applies the "dark" overrides in the dark context of a resolver document', () => {
    const result = generate(primerResolverDocument(), { references: 'resolve', componentDefaults: false });
    const dark = parseDeclarations(readFileSync(path.join(DIST, 'functional/themes/dark.css'), 'utf8'));
    // bgColor.muted has a "dark" override ({base.color.neutral.1}) that differs from its base value.
    expect(result.darkVariables.get('--bg-color-muted')).toBe('hsl(214.3 25% 11%)');
    expect(compareVariables(new Map([['--bgColor-muted', result.darkVariables.get('--bg-color-muted')!]]), new Map([['--bgColor-muted', dark.get('--bgColor-muted')!]])).agreeing).toBe(1);
  });
});
