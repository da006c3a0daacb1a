import { describe, expect, it } from 'vitest';
import { ThemeError } from '../../src/errors.js';
import { detectThemeFormat } from '../../src/theme/detect-format.js';
import { convertTheme, generateThemeCss } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../src/theme/schemas.js';

const options = ThemeCssOptionsSchema.parse({ comments: true });

/** The shape Style Dictionary 3 and Tokens Studio write: value/type/description, refs ending in .value. */
const legacy = {
  color: {
    brand: { value: '#3355ff', type: 'color', description: 'Brand blue' },
    text: { value: '{color.brand.value}', type: 'color' },
    bg: { value: '#ffffff', type: 'color' },
    fg: { value: '#111111', type: 'color' },
  },
  font: { body: { value: ['Inter', 'system-ui'], type: 'fontFamilies' }, weight: { value: 600, type: 'fontWeights' } },
  space: { md: { value: '16px', type: 'spacing' }, lg: { value: 'calc({space.md.value} * 2)', type: 'spacing' } },
  shadow: { card: { value: '0 1px 2px {color.fg.value}', type: 'customShadow' } },
};

describe('Style Dictionary 3 / Tokens Studio token files', () => {
  it('are detected by their value/type shape, after DTCG', () => {
    expect(detectThemeFormat(legacy)).toBe('style-dictionary');
    expect(detectThemeFormat({ a: { $value: 1, $type: 'number' }, b: { value: 2 } })).toBe('dtcg');
  });

  it('become the same CSS a DTCG file would: references, mapped types, descriptions as comments', () => {
    const result = generateThemeCss(legacy, options);
    expect(result.format).toBe('style-dictionary');
    expect(result.css).toContain('/* Brand blue */');
    expect(result.variables.get('--color-brand')).toBe('#3355ff');
    expect(result.variables.get('--color-text')).toBe('var(--color-brand)');
    expect(result.variables.get('--font-body')).toBe('Inter, system-ui');
    expect(result.variables.get('--font-weight')).toBe('600');
    expect(result.variables.get('--space-lg')).toBe('calc(var(--space-md) * 2)');
    expect(result.variables.get('--shadow-card')).toBe('0 1px 2px var(--color-fg)');
    expect(result.warnings.map((warning) => warning.code)).toEqual(expect.arrayContaining(['legacy-format', 'unknown-type']));
  });

  it('resolve references to final values in resolve mode', () => {
    const result = generateThemeCss(legacy, ThemeCssOptionsSchema.parse({ references: 'resolve' }));
    expect(result.variables.get('--color-text')).toBe('#3355ff');
    expect(result.variables.get('--space-lg')).toBe('calc(16px * 2)');
  });

  it('report a broken reference with its path and the closest name, and refuse break-outs', () => {
    const broken = (() => {
      try {
        generateThemeCss({ color: { brand: { value: '#3355ff' }, text: { value: '{color.brnd.value}', type: 'color' } } }, options);
      } catch (error) {
        return error as ThemeError;
      }
      throw new Error('expected an error');
    })();
    expect(broken.issues[0]).toMatchObject({ path: 'color.text' });
    expect(broken.issues[0]!.suggestion ?? broken.issues[0]!.message).toContain('color.brand');
    expect(() => generateThemeCss({ x: { value: 'red; } body { display: none', type: 'color' } }, options)).toThrow(ThemeError);
  });

  it("refuse a token whose value is an object of comments, not a CSS value (Auro's comments.json), and keep the rest", () => {
    const input = {
      comments: { color: { base: { value: { comment: '// Base value; should not use in code!', type: 'semantic', deprecated: true } } } },
      color: { brand: { value: '#3355ff', type: 'color' } },
    };
    const result = convertTheme(input, ThemeCssOptionsSchema.parse({ componentDefaults: false }));
    expect(result.errors.map((error) => [error.path, error.code])).toEqual([['comments.color.base', 'unknown-type']]);
    expect(result.variables.get('--color-brand')).toBe('#3355ff');
    expect([...result.variables.keys()].some((name) => name.startsWith('--comments'))).toBe(false);
  });
});
