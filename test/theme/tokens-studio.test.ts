import { describe, expect, it } from 'vitest';
import { convertTheme } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCssOptionsInput } from '../../src/theme/schemas.js';
import { cssParseErrors } from './theme-test-support.js';

const convert = (theme: unknown, options: ThemeCssOptionsInput = {}) => convertTheme(theme, ThemeCssOptionsSchema.parse({ componentDefaults: false, ...options }));

/** A multi-set export as Tokens Studio writes it: sets as top-level keys, $metadata and $themes beside them. */
const EXPORT = {
  core: {
    space: { base: { value: '16', type: 'spacing' }, md: { value: '8', type: 'sizing' } },
    radius: { pill: { value: '9999', type: 'borderRadius' } },
    color: { white: { value: '#ffffff', type: 'color' }, black: { value: '#000000', type: 'color' } },
  },
  'brand/color': { brand: { primary: { value: '#0055ff', type: 'color' } } },
  light: { bg: { value: '{color.white}', type: 'color' }, fg: { value: '{color.black}', type: 'color' } },
  dark: { bg: { value: '{color.black}', type: 'color' }, fg: { value: '{color.white}', type: 'color' } },
  'components/button': {
    button: {
      padding: { value: '{space.base} * 0.25', type: 'spacing' },
      gap: { value: '({space.md} + 2) / 2', type: 'spacing' },
      wide: { value: '{space.base} + 1rem', type: 'spacing' },
      border: { value: '0.0625rem solid {brand.primary}', type: 'border' },
      shadow: { value: { x: '0', y: '2', blur: '4', spread: '0', color: '{color.black}', type: 'dropShadow' }, type: 'boxShadow' },
      label: { value: { fontFamily: 'Inter', fontWeight: 'Semi Bold', fontSize: '14', lineHeight: '155%' }, type: 'typography' },
    },
  },
  $metadata: { tokenSetOrder: ['core', 'brand/color', 'light', 'dark', 'components/button'] },
  $themes: [
    { id: 'l', name: 'Light', selectedTokenSets: { core: 'source', 'brand/color': 'enabled', light: 'enabled', 'components/button': 'enabled' } },
    { id: 'd', name: 'Dark', selectedTokenSets: { core: 'source', 'brand/color': 'enabled', dark: 'enabled', 'components/button': 'enabled' } },
  ],
};

describe('Tokens Studio multi-set exports', () => {
  it('reads each set as a top-level key that is not part of any name, with references across sets', () => {
    const result = convert(EXPORT);
    expect(result.format).toBe('tokens-studio');
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--brand-primary')).toBe('#0055ff');
    expect(result.variables.get('--bg')).toBe('var(--color-white)');
    expect([...result.variables.keys()].some((name) => name.includes('core') || name.includes('components'))).toBe(false);
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('evaluates math when the units allow, and emits calc() when they do not', () => {
    const result = convert(EXPORT);
    expect(result.variables.get('--space-base')).toBe('16px');
    expect(result.variables.get('--button-padding')).toBe('4px');
    expect(result.variables.get('--button-gap')).toBe('5px');
    expect(result.variables.get('--button-wide')).toBe('calc(var(--space-base) + 1rem)');
    expect(convert(EXPORT, { references: 'resolve' }).variables.get('--button-wide')).toBe('calc(16px + 1rem)');
  });

  it('converts Tokens Studio shapes: string borders, x/y shadows, typography with style names and unitless sizes', () => {
    const result = convert(EXPORT, { references: 'resolve' });
    expect(result.variables.get('--button-border')).toBe('0.0625rem solid #0055ff');
    expect(result.variables.get('--button-shadow')).toBe('0 2px 4px 0 #000000');
    expect(result.variables.get('--button-label')).toBe('600 14px/155% Inter');
  });

  it('takes set order and light/dark from $metadata.tokenSetOrder and $themes', () => {
    const result = convert(EXPORT, { references: 'resolve' });
    expect(result.variables.get('--bg')).toBe('#ffffff');
    expect(result.darkVariables.get('--bg')).toBe('#000000');
    expect(result.darkVariables.get('--fg')).toBe('#ffffff');
    const onlyDark = convert(EXPORT, { references: 'resolve', mode: 'Dark' });
    expect(onlyDark.variables.get('--bg')).toBe('#000000');
    expect(onlyDark.darkVariables.size).toBe(0);
  });

  it('lets a later set in tokenSetOrder win', () => {
    const reordered = { ...EXPORT, $themes: undefined, $metadata: { tokenSetOrder: ['core', 'dark', 'light'] } };
    expect(convert(reordered, { references: 'resolve' }).variables.get('--bg')).toBe('#ffffff');
    const flipped = { ...EXPORT, $themes: undefined, $metadata: { tokenSetOrder: ['core', 'light', 'dark'] } };
    expect(convert(flipped, { references: 'resolve' }).variables.get('--bg')).toBe('#000000');
  });
});

/** Tokens Studio's W3C export (`$value`/`$type`) keeps its own types and shapes, as in Rijkshuisstijl's figma.tokens.json. */
const W3C_EXPORT = {
  'brand/space': {
    space: { md: { $type: 'dimension', $value: '0.5 * 1rem' }, gap: { $type: 'spacing', $value: '8' } },
    weight: { regular: { $type: 'fontWeights', $value: '400' } },
    grey: { $type: 'color', $value: '#808080' },
  },
  'components/link': {
    link: {
      offset: { $type: 'other', $value: '{space.md}' },
      color: { $type: 'other', $value: '{grey}' },
      'z-index': { $type: 'dimension', $value: '1' },
      shadow: { $type: 'boxShadow', $value: { x: '0', y: '8', blur: '16', spread: '0', color: '{grey}', type: 'dropShadow' } },
      text: { $type: 'typography', $value: { fontFamily: 'Inter', fontSize: '14', paragraphSpacing: '8', textCase: 'uppercase', textDecoration: 'none' } },
      'bad-weight': { $type: 'dimension', $value: '{weight.regular}' },
      'no-colour': { $type: 'color', $value: 'none' },
    },
  },
  $themes: [{ id: 'k', name: 'Kern', selectedTokenSets: { 'brand/space': 'enabled', 'components/link': 'enabled' } }],
  $metadata: { tokenSetOrder: ['brand/space', 'components/link'] },
};

describe("Tokens Studio's W3C export", () => {
  const result = convert(W3C_EXPORT, { mode: 'Kern' });

  it('reads its types and value shapes as the legacy shape is read: unitless sizes in px, x/y shadows', () => {
    expect(result.variables.get('--space-gap')).toBe('8px');
    expect(result.variables.get('--link-z-index')).toBe('1px');
    expect(result.variables.get('--link-shadow')).toBe('0 8px 16px 0 var(--grey)');
    expect(result.variables.get('--weight-regular')).toBe('400');
    expect(result.warnings.filter((w) => w.code === 'unknown-type' && w.path.startsWith('weight'))).toEqual([]);
  });

  it('lets a token of a free-form type ("other") alias a typed token, taking its type', () => {
    expect(result.variables.get('--link-offset')).toBe('var(--space-md)');
    expect(result.resolved.light.get('--link-offset')).toBe('0.5rem');
    expect(result.variables.get('--link-color')).toBe('var(--grey)');
    expect(result.errors.map((e) => e.path)).not.toContain('link.offset');
  });

  it("emits Tokens Studio's extra typography fields as sub-variables", () => {
    expect(result.variables.get('--link-text-paragraph-spacing')).toBe('8px');
    expect(result.variables.get('--link-text-text-case')).toBe('uppercase');
    expect(result.variables.get('--link-text-text-decoration')).toBe('none');
    expect(result.warnings.filter((w) => w.code === 'unknown-property')).toEqual([]);
  });

  it('still refuses what is unusable: a dimension that is a font weight, a colour that is "none"', () => {
    expect(result.errors.map((e) => [e.path, e.code])).toEqual(
      expect.arrayContaining([
        ['link.bad-weight', 'type-mismatch'],
        ['link.no-colour', expect.any(String)],
      ]),
    );
    expect(result.errorCount).toBe(2);
    expect(cssParseErrors(result.css)).toEqual([]);
  });
});
