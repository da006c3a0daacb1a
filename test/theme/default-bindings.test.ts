import { parse } from 'css-tree';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VARIABLES } from '../../src/catalog/contract.js';
import { generateThemeCss } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../src/theme/schemas.js';

const darkOnly = {
  canvas: { $type: 'color', $value: { colorSpace: 'srgb', components: [0.05, 0.05, 0.06] } },
  text: { $type: 'color', $value: { colorSpace: 'srgb', components: [0.95, 0.95, 0.95] } },
  color: { brand: { $type: 'color', $value: '#6ea8ff' } },
};
const bindings = CONTRACT_VARIABLES.map((variable) =>
  variable.name === '--dspec-color-canvas'
    ? { ...variable, sources: ['canvas', ...variable.sources] }
    : variable.name === '--dspec-color-text'
      ? { ...variable, sources: ['text', ...variable.sources] }
      : variable,
);

describe('default bindings of the component contract', () => {
  it('bind to the first source the theme defines, in var mode', () => {
    const { css } = generateThemeCss(darkOnly, ThemeCssOptionsSchema.parse({}), { defaultBindings: bindings });
    expect(css).toContain('--dspec-color-canvas: var(--canvas);');
    expect(css).toContain('--button-primary-background: var(--dspec-color-brand);');
  });

  it("mix status fallbacks from the theme's own canvas and text, so a dark theme gets dark quiet backgrounds", () => {
    const { css } = generateThemeCss(darkOnly, ThemeCssOptionsSchema.parse({}), { defaultBindings: bindings });
    expect(css).toContain('--dspec-color-success-subtle: color-mix(in oklch, var(--dspec-color-success) 14%, var(--dspec-color-canvas));');
    expect(css).toContain('--dspec-color-danger-text: color-mix(in oklch, var(--dspec-color-danger) 78%, var(--dspec-color-text));');
  });

  it('substitute final values into mixed fallbacks in resolve mode, so no var() remains', () => {
    const result = generateThemeCss(darkOnly, ThemeCssOptionsSchema.parse({ references: 'resolve' }), { defaultBindings: bindings });
    expect(result.css).not.toContain('var(');
    expect(result.variables.get('--dspec-color-success-subtle')).toBe('color-mix(in oklch, #1f883d 14%, rgb(12.75 12.75 15.3))');
    const errors: string[] = [];
    parse(result.css, { onParseError: (error) => errors.push(error.message) });
    expect(errors).toEqual([]);
  });

  it('are left out with componentDefaults: false, and never override what the theme defines', () => {
    const without = generateThemeCss(darkOnly, ThemeCssOptionsSchema.parse({ componentDefaults: false }), { defaultBindings: bindings });
    expect(without.css).not.toContain('--dspec-');
    const own = generateThemeCss({ ...darkOnly, 'button-primary-background': { $type: 'color', $value: '#ff00aa' } }, ThemeCssOptionsSchema.parse({}), { defaultBindings: bindings });
    expect(own.variables.get('--button-primary-background')).toBe('#ff00aa');
  });

  it('refuse a binding that depends on itself, naming the cycle', () => {
    const cyclic = [
      { name: '--a', sources: ['--b'], fallback: '1px' },
      { name: '--b', sources: ['missing.token'], fallback: 'calc(var(--a) * 2)' },
    ];
    expect(() => generateThemeCss(darkOnly, ThemeCssOptionsSchema.parse({}), { defaultBindings: cyclic })).toThrow(/depends on itself/);
  });
});
