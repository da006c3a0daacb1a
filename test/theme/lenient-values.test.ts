import { describe, expect, it } from 'vitest';
import { convertTheme } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCssOptionsInput } from '../../src/theme/schemas.js';
import { cssParseErrors, generate, generateError } from './theme-test-support.js';

const convert = (theme: unknown, options: ThemeCssOptionsInput = {}) => convertTheme(theme, ThemeCssOptionsSchema.parse({ componentDefaults: false, ...options }));

describe('values that are valid CSS for their type but not DTCG-shaped', () => {
  const theme = {
    border: { $type: 'border', default: { $value: '0.0625rem solid #7D828B' } },
    lineHeight: { $type: 'number', body: { $value: '155%' } },
    shadow: { $type: 'shadow', card: { $value: '0 1px 2px rgba(0, 0, 0, 0.2), inset 0 0 0 1px #fff' } },
    type: {
      $type: 'typography',
      body: { $value: { fontFamily: 'Inter', fontSize: '1rem', fontWeight: 'SemiBold', lineHeight: '155%' } },
      short: { $value: 'bold 16px/1.5 Inter, sans-serif' },
    },
  };

  it('emits them as written, with one warning per token naming the CSS property that accepts them', () => {
    const result = generate(theme, { componentDefaults: false });
    expect(result.variables.get('--border-default')).toBe('0.0625rem solid #7D828B');
    expect(result.variables.get('--line-height-body')).toBe('155%');
    expect(result.variables.get('--shadow-card')).toBe('0 1px 2px rgba(0, 0, 0, 0.2), inset 0 0 0 1px #fff');
    expect(result.variables.get('--type-body')).toBe('600 1rem/155% Inter');
    expect(result.variables.get('--type-body-font-weight')).toBe('600');
    expect(result.variables.get('--type-short')).toBe('bold 16px/1.5 Inter, sans-serif');
    expect(
      result.warnings
        .filter((w) => w.code === 'css-value')
        .map((w) => w.path)
        .sort(),
    ).toEqual(['border.default', 'lineHeight.body', 'type.short']);
    expect(result.warnings.find((w) => w.path === 'border.default')?.message).toMatch(/valid for border/);
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('still refuses text no CSS property of the type accepts', () => {
    const error = generateError({ border: { $type: 'border', bad: { $value: 'thick wobbly #fff banana' } } });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'border.bad', code: 'invalid-value' })]);
  });
});

describe('a trailing semicolon', () => {
  it('is dropped with a warning', () => {
    const result = generate({ bg: { $type: 'gradient', hero: { $value: 'linear-gradient(90deg, #000 0%, #fff 100%);' } } }, { componentDefaults: false });
    expect(result.variables.get('--bg-hero')).toBe('linear-gradient(90deg, #000 0%, #fff 100%)');
    expect(result.warnings).toContainEqual(expect.objectContaining({ path: 'bg.hero', code: 'trailing-semicolon' }));
  });

  it('is refused anywhere else, as is "}", so no value can leave its declaration', () => {
    for (const value of ['red; color: blue;', 'red;;', 'red } body { color: blue', '1px;}']) {
      const error = generateError({ c: { $type: 'color', x: { $value: value } } });
      expect(error.issues.map((i) => i.path)).toEqual(['c.x']);
    }
  });
});

describe('partial results', () => {
  const theme = {
    color: { $type: 'color', ok: { $value: '#ffffff' }, alias: { $value: '{color.ok}' }, broken: { $value: '{color.okk}' }, bad: { $value: 'red; x' } },
  };

  it('returns the CSS of every usable token together with the list of errors', () => {
    const result = convert(theme);
    expect(result.variables.get('--color-ok')).toBe('#ffffff');
    expect(result.variables.get('--color-alias')).toBe('var(--color-ok)');
    expect(result.variables.has('--color-broken')).toBe(false);
    expect(result.variables.has('--color-bad')).toBe(false);
    expect(result.errorCount).toBe(2);
    expect(result.errors).toHaveLength(2);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'color.bad', code: 'invalid-value' }),
        expect.objectContaining({ path: 'color.broken', code: 'broken-reference', suggestion: 'did you mean color.ok?' }),
      ]),
    );
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('is all or nothing with strict', () => {
    expect(() => convert(theme, { strict: true })).toThrow(/cannot become CSS/);
  });

  it('throws when no token at all is usable', () => {
    expect(() => convert({ a: { $type: 'color', $value: '{b}' }, b: { $type: 'color', $value: '{a}' } })).toThrow(/circular reference/);
  });
});

describe('warning summary', () => {
  it('has one entry per code with its count and the first three paths; the full list stays in warnings', () => {
    const tokens: Record<string, unknown> = {};
    for (let i = 0; i < 1_000; i++) tokens[`t${i}`] = { value: `${i}px` };
    const result = convert({ size: tokens });
    expect(result.warnings.filter((w) => w.code === 'missing-type')).toHaveLength(1_000);
    expect(result.warningSummary).toContainEqual({ code: 'missing-type', count: 1_000, paths: ['size.t0', 'size.t1', 'size.t2'] });
  });
});

describe('names', () => {
  it('emits two paths with one name and one value once, warning with both paths', () => {
    const result = convert({ fg: { $type: 'color', accentFg: { $value: '#0969da' }, 'accent-fg': { $value: '{fg.accentFg}' } } });
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--fg-accent-fg')).toBe('#0969da');
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'duplicate-name', message: expect.stringContaining('fg.accent-fg and fg.accentFg') }));
  });

  it('gives the kept name the value, not a reference to itself, when the alias comes first', () => {
    const result = convert({ fg: { $type: 'color', 'accent-fg': { $value: '{fg.accentFg}' }, accentFg: { $value: '#0969da' } } });
    expect(result.variables.get('--fg-accent-fg')).toBe('#0969da');
  });

  it('keeps each segment as written with naming: "preserve", and puts a prefix first', () => {
    const theme = { fgColor: { $type: 'color', accentEmphasis: { $value: '#0969da' } }, 'fg-color': { $type: 'color', x: { $value: '#fff' } } };
    expect(convert(theme, { naming: 'preserve' }).variables.get('--fgColor-accentEmphasis')).toBe('#0969da');
    expect(convert(theme, { prefix: 'ds' }).variables.get('--ds-fg-color-accent-emphasis')).toBe('#0969da');
    expect(() => convert(theme, { prefix: 'a;b' })).toThrow();
    expect(() => ThemeCssOptionsSchema.parse({ prefix: 'x}' })).toThrow();
  });

  it('drops a wrapper group from names and references with unwrap', () => {
    const theme = { global: { color: { white: { value: '#ffffff', type: 'color' } } }, light: { bg: { value: '{color.white}', type: 'color' } } };
    const result = convert(theme, { unwrap: ['global', 'light'] });
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--color-white')).toBe('#ffffff');
    expect(result.variables.get('--bg')).toBe('var(--color-white)');
  });
});
