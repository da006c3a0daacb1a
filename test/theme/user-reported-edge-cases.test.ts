import { describe, expect, it } from 'vitest';
import { findUnsafeCss, findUnsafeValue } from '../../src/theme/css-safety.js';
import { convertTheme } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCssOptionsInput } from '../../src/theme/schemas.js';
import { toVariableName } from '../../src/theme/variable-name.js';
import { cssParseErrors } from './theme-test-support.js';

/** `dspec theme css F.json --no-component-defaults` as a function: partial results, warnings kept. */
const convert = (theme: unknown, options: ThemeCssOptionsInput = {}) => convertTheme(theme, ThemeCssOptionsSchema.parse({ componentDefaults: false, ...options }));
const codes = (result: { warnings: Array<{ code: string }> }) => result.warnings.map((warning) => warning.code);

describe('CSS escapes are read as the CSS tokenizer reads them', () => {
  it('emits an icon-font glyph escape in a string, as Style Dictionary does', () => {
    const result = convert({ icon: { close: { value: '"\\f00d"' } } });
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--icon-close')).toBe('"\\f00d"');
    expect(result.css).toContain('--icon-close: "\\f00d";');
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it.each(['"\\f00d"', "'\\e900'", '"\\"quoted\\""', '"\\3b"', '"a\\\\b"', '\\31 0px', 'a\\-b', '"\\201C" "\\201D"'])('accepts %s', (value) => {
    expect(findUnsafeValue(value)).toBeUndefined();
  });

  it.each([
    ['"; } body { x: y', /unclosed " quote|";"/],
    ['"abc\\"', /unclosed " quote/],
    ["'abc\\'", /unclosed ' quote/],
    ['red\\', /ends with a backslash/],
    ['"abc\\', /ends with a backslash/],
    ['red\\3b  display:none', /spells ";"/],
    ['\\7d body', /spells "}"/],
    ['\\3c/style>', /spells "<"/],
    ['\\"', /spells "\\""/],
    ['"\\0"', /spells no character/],
    ['\\d800', /spells no character/],
    ['"a;b"', /";"/],
    ['"}"', /"}"/],
    ['"</style>"', /"<"/],
    ['"/* x */"', /comment/],
    ['"a\nb"', /newline/],
    ['"a\\\nb"', /newline/],
    ['"a\u0000"', /control/],
    ['url(x', /unclosed "\("/],
    ['a)', /unmatched "\)"/],
  ])('refuses %j', (value, reason) => {
    expect(findUnsafeValue(value)).toMatch(reason);
  });

  it('refuses a string that ends the declaration through the token pipeline, naming the token', () => {
    const result = convert({ icon: { evil: { value: '"\\"; } body { x: y"' }, fine: { value: '"\\f00d"' } } });
    expect(result.errors).toEqual([expect.objectContaining({ path: 'icon.evil', code: 'unsafe-value' })]);
    expect([...result.variables.keys()]).toEqual(['--icon-fine']);
  });
});

describe('empty values', () => {
  it('emits an empty type-less value as "--x: ;" (valid per CSS Variables 1), as Style Dictionary does', () => {
    const legacy = convert({ a: { x: { value: '' } } });
    expect(legacy.errors).toEqual([]);
    expect(legacy.css).toContain('  --a-x: ;\n');
    expect(cssParseErrors(legacy.css)).toEqual([]);
    const dtcg = convert({ a: { x: { $value: '   ' } } }, { minify: true });
    expect(dtcg.errors).toEqual([]);
    expect(dtcg.css).toBe(':root{--a-x:}');
  });

  it.each([
    ['color', { $type: 'color', $value: '' }],
    ['dimension', { $type: 'dimension', $value: ' ' }],
    ['fontFamily', { $type: 'fontFamily', $value: '' }],
  ])('refuses an empty %s with a message that says the value is empty', (type, token) => {
    const result = convert({ a: token, ok: { $type: 'number', $value: 1 } });
    expect(result.errors).toEqual([{ path: 'a', code: 'empty-value', message: expect.stringMatching(new RegExp(`^value is empty; a ${type} token needs a value`)) }]);
    expect([...result.variables.keys()]).toEqual(['--ok']);
  });

  it('refuses a typed alias of an empty value as empty, not as unsafe', () => {
    const result = convert({ blank: { $value: '' }, ink: { $type: 'color', $value: '{blank}' } });
    expect(result.errors).toEqual([expect.objectContaining({ path: 'ink', code: 'empty-value' })]);
  });

  it('still refuses a blank dark selector', () => {
    expect(findUnsafeCss('  ')).toBe('is empty');
    expect(findUnsafeValue('')).toBeUndefined();
  });
});

describe('whitespace around token names', () => {
  it('trims a name as Style Dictionary 5.5 names it (DTCG and legacy), with a warning', () => {
    for (const tokens of [{ border: { 'selected ': { $type: 'color', $value: '#000000' } } }, { border: { ' selected\t': { value: '#000000', type: 'color' } } }]) {
      const result = convert(tokens);
      expect([...result.variables]).toEqual([['--border-selected', '#000000']]);
      expect(result.warnings).toContainEqual(expect.objectContaining({ path: 'border.selected', code: 'trimmed-name' }));
    }
  });

  it('pairs a light "selected " with a dark "selected" (Tokens Studio themes), so the dark value is kept', () => {
    const result = convert({
      light: { border: { 'selected ': { value: '#000000', type: 'color' } } },
      dark: { border: { selected: { value: '#ffffff', type: 'color' } } },
      $themes: [
        { id: 'l', name: 'Light', selectedTokenSets: { light: 'enabled' } },
        { id: 'd', name: 'Dark', selectedTokenSets: { dark: 'enabled' } },
      ],
    });
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--border-selected')).toBe('#000000');
    expect(result.darkVariables.get('--border-selected')).toBe('#ffffff');
    expect(codes(result)).not.toContain('dark-only-token');
  });

  it('drops the whitespace from a variable name in every format, Tekton included', () => {
    expect(toVariableName(['border', 'selected '])).toBe('--border-selected');
    expect(toVariableName(['Border ', ' Selected'], { style: 'preserve' })).toBe('--Border-Selected');
    const tekton = convert({ id: 't', tokens: { atomic: { color: { 'brand ': '#0055ff' } } } });
    expect([...tekton.variables.keys()]).toEqual(['--atomic-color-brand']);
  });

  it('resolves a reference written with the same whitespace', () => {
    const result = convert({ border: { 'selected ': { $type: 'color', $value: '#000000' } }, ring: { $type: 'color', $value: '{border.selected }' } }, { references: 'resolve' });
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--ring')).toBe('#000000');
  });

  it('merges two sibling groups that trim to one name, with a warning that says so', () => {
    const result = convert({ color: { 'brand ': { a: { $type: 'color', $value: '#000000' } }, brand: { b: { $type: 'color', $value: '#ffffff' } } } });
    expect([...result.variables.keys()]).toEqual(['--color-brand-a', '--color-brand-b']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'trimmed-name-collision', message: expect.stringContaining('the two groups are merged') }));
  });

  it('reports two siblings that become one name, naming both keys; the later wins', () => {
    const result = convert({ border: { 'selected ': { value: '#000000' }, selected: { value: '#ffffff' } } });
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--border-selected')).toBe('#ffffff');
    const collision = result.warnings.find((warning) => warning.code === 'trimmed-name-collision');
    expect(collision?.path).toBe('border.selected');
    expect(collision?.message).toContain('"selected " and "selected" both name border.selected');
  });
});

describe('a token nested inside a token (DTCG 2025.10: not a token)', () => {
  it.each([
    ['DTCG', { font: { body: { $type: 'fontFamily', $value: 'Arial', md: { $type: 'fontFamily', $value: 'Georgia' } } } }],
    ['legacy', { font: { body: { value: 'Arial', type: 'fontFamily', md: { value: 'Georgia', type: 'fontFamily' } } } }],
  ])('%s: emits only the parent, as Style Dictionary 5.5 does, with one warning naming the nested path', (_format, tokens) => {
    const result = convert(tokens);
    expect(result.errors).toEqual([]);
    expect([...result.variables]).toEqual([['--font-body', 'Arial']]);
    const nested = result.warnings.filter((warning) => warning.code === 'nested-token');
    expect(nested).toHaveLength(1);
    expect(nested[0]!.path).toBe('font.body');
    expect(nested[0]!.message).toContain('(font.body.md)');
  });

  it('names every nested path of one parent in its one warning, deeper ones included', () => {
    const result = convert({ size: { base: { value: '1rem', px: { value: '16px', half: { value: '8px' } }, pt: { value: '12pt' } } } });
    const nested = result.warnings.filter((warning) => warning.code === 'nested-token');
    expect(nested).toHaveLength(1);
    expect(nested[0]!.message).toContain('3 tokens inside it (size.base.px, size.base.px.half, size.base.pt)');
    expect([...result.variables.keys()]).toEqual(['--size-base']);
  });

  it('still resolves a reference to a nested token (Auro relies on it, as Style Dictionary 3 resolved it), inlined since it has no variable', () => {
    const tokens = { size: { base: { value: '1rem', px: { value: '16px' } } }, text: { value: '{size.base.px.value}' }, pad: { value: 'calc({size.base.px} * 2)' } };
    const result = convert(tokens);
    expect(result.errors).toEqual([]);
    expect([...result.variables]).toEqual([
      ['--size-base', '1rem'],
      ['--text', '16px'],
      ['--pad', 'calc(16px * 2)'],
    ]);
  });
});
