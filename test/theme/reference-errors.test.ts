import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ISSUES, ThemeError } from '../../src/errors.js';
import { generateThemeCss } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../src/theme/schemas.js';
import { generateError } from './theme-test-support.js';

const px = (value: number) => ({ $type: 'dimension', $value: { value, unit: 'px' } });

describe('reference errors', () => {
  it('names a broken DTCG reference and suggests the closest existing name', () => {
    const error = generateError({ space: { small: px(4) }, gap: { $value: '{space.smal}' } });
    expect(error).toBeInstanceOf(ThemeError);
    expect(error.issues).toEqual([{ path: 'gap', code: 'broken-reference', message: 'refers to {space.smal}, which does not exist', suggestion: 'did you mean space.small?' }]);
    expect(error.message).toContain('gap');
  });

  it('treats a Tekton dot path into a known section as a reference, and a broken one as an error', () => {
    const error = generateError({
      id: 't',
      tokens: { atomic: { color: { brand: { 500: { l: 0.5, c: 0.1, h: 200 } } } }, semantic: { accent: 'atomic.color.brand.50' } },
    });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'semantic.accent', code: 'broken-reference', suggestion: 'did you mean atomic.color.brand.500?' })]);
  });

  it('lists the whole cycle, once', () => {
    const error = generateError({
      a: { $type: 'number', $value: '{b}' },
      b: { $type: 'number', $value: '{c}' },
      c: { $type: 'number', $value: '{a}' },
      d: { $type: 'number', $value: '{a}' },
    });
    expect(error.issues).toEqual([{ path: 'a', code: 'circular-reference', message: 'circular reference: a → b → c → a' }]);
  });

  it('reports a token that refers to itself', () => {
    const error = generateError({ id: 't', tokens: { semantic: { loop: 'semantic.loop' } } });
    expect(error.issues[0]).toMatchObject({ path: 'semantic.loop', message: 'circular reference: semantic.loop → semantic.loop' });
  });

  it('refuses a reference to a group', () => {
    const error = generateError({ space: { small: px(4), large: px(8) }, gap: { $value: '{space}' } });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'gap', code: 'group-reference', message: 'refers to {space}, which is a group, not a token' })]);
  });

  it('refuses an alias whose target has another type', () => {
    const error = generateError({ space: { small: px(4) }, ink: { $type: 'color', $value: '{space.small}' } });
    expect(error.issues[0]).toMatchObject({ path: 'ink', code: 'type-mismatch' });
  });

  it('collects every problem into one error, capped at MAX_REPORTED_ISSUES', () => {
    const theme: Record<string, unknown> = {};
    for (let i = 0; i < MAX_REPORTED_ISSUES + 20; i++) theme[`t${i}`] = { $type: 'number', $value: `{missing${i}}` };
    theme.other = { $type: 'color', $value: 'not a colour object' };
    const error = generateError(theme);
    expect(error.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(error.message).toContain(`and ${MAX_REPORTED_ISSUES + 20} more problems`);
    expect(error.issues.every((issue) => issue.path.startsWith('t'))).toBe(true);
  });
});

describe('invalid values', () => {
  it.each([
    ['a colour that is not a colour', { $type: 'color', $value: { colorSpace: 'srgb', components: ['red', 0, 0] } }, /colour component 0/],
    ['an unknown colour space', { $type: 'color', $value: { colorSpace: 'cmyk', components: [0, 0, 0] } }, /unknown colorSpace "cmyk"/],
    ['a dimension with unit em%', { $type: 'dimension', $value: { value: 2, unit: 'em%' } }, /unit must be "px" or "rem"/],
    ['NaN', { $type: 'number', $value: Number.NaN }, /finite number/],
    ['Infinity', { $type: 'dimension', $value: { value: Number.POSITIVE_INFINITY, unit: 'px' } }, /finite number/],
    ['a font weight out of range', { $type: 'fontWeight', $value: 1200 }, /1–1000/],
    ['a cubicBezier with x out of range', { $type: 'cubicBezier', $value: [1.5, 0, 0, 1] }, /x coordinate/],
    ['a transition without duration', { $type: 'transition', $value: { delay: { value: 0, unit: 'ms' }, timingFunction: [0, 0, 1, 1] } }, /missing "duration"/],
    ['null', { $type: 'number', $value: null }, /got null/],
    ['a function', { $type: 'number', $value: () => 1 }, /got function/],
  ])('refuses %s, naming the token', (_label, token, message) => {
    const error = generateError({ group: { token } });
    expect(error.issues[0]).toMatchObject({ path: 'group.token' });
    expect(error.issues[0]!.message).toMatch(message);
  });

  it('emits a plain value under an unknown $type as literal CSS, warning with the list of known types', () => {
    const result = generateThemeCss({ x: { $type: 'colour', $value: '#fff' } }, ThemeCssOptionsSchema.parse({}));
    expect(result.css).toContain('--x: #fff;');
    expect(result.warnings).toContainEqual(expect.objectContaining({ path: 'x', code: 'unknown-type' }));
    expect(result.warnings.find((w) => w.code === 'unknown-type')!.message).toContain('unknown $type "colour"');
  });

  it('still refuses a break-out or a composite value under an unknown $type', () => {
    expect(generateError({ x: { $type: 'custom', $value: 'a; } body { x: y' } }).issues[0]).toMatchObject({ path: 'x' });
    expect(generateError({ x: { $type: 'custom', $value: { a: 1 } } }).issues[0]).toMatchObject({ path: 'x' });
  });

  it('refuses Tekton garbage values (booleans, null)', () => {
    const error = generateError({ id: 't', tokens: { atomic: { flag: true, nothing: null } } });
    expect(error.issues.map((issue) => issue.path)).toEqual(['atomic.flag', 'atomic.nothing']);
  });

  it('reports two paths that become one variable name, naming both', () => {
    const error = generateError({ fgColor: { $type: 'number', $value: 1 }, 'fg-color': { $type: 'number', $value: 2 } });
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: 'fg-color',
        code: 'name-collision',
        message: 'fg-color and fgColor both become the CSS variable --fg-color with different values',
        suggestion: expect.stringContaining('naming: "preserve"'),
      }),
    ]);
  });

  it('never suggests the referencing token itself as the closest name', () => {
    const error = generateError({ space: { $type: 'dimension', gapx: { $value: '{space.gap}' }, large: { $value: { value: 2, unit: 'rem' } } } });
    const issue = error.issues.find((i) => i.code === 'broken-reference');
    expect(issue?.path).toBe('space.gapx');
    expect(issue?.suggestion ?? '').not.toContain('space.gapx');
  });

  it('reports a $ref with bad percent-encoding as an input problem naming the token, not an internal error', () => {
    const error = generateError({ color: { $type: 'color', a: { $value: '#fff' }, b: { $ref: '#/color/a%' } } });
    expect(error.code).toBe('THEME_INVALID');
    expect(error.issues).toEqual([expect.objectContaining({ path: 'color.b', code: 'invalid-value', message: expect.stringContaining('percent-encoding') })]);
  });
});
