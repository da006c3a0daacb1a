import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { cssParseErrors, generate, generateError } from './theme-test-support.js';

const ATTACKS = [
  'red; } body { display:none',
  '</style><script>alert(1)</script>',
  '<!-- x',
  '/* x',
  'x */',
  'url(x',
  'rgb(0 0 0))',
  '"unclosed',
  "a'b",
  'red\\3b  display:none',
  'red\n--x: 1',
  'red\u0000',
  'a]',
];

describe('values that would break out of their declaration', () => {
  it.each(ATTACKS)('refuses the Tekton literal %j and emits nothing', (attack) => {
    const error = generateError({ id: 't', tokens: { atomic: { color: { evil: attack, fine: '#fff' } } } });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'atomic.color.evil', code: 'unsafe-value' })]);
  });

  it.each(ATTACKS)('refuses the DTCG colour string %j', (attack) => {
    const error = generateError({ ink: { $type: 'color', $value: attack } });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'ink' })]);
  });

  it.each(['red; } body { display:none', '</style><script>', '/* x', 'a"b', 'a\\62 c'])('refuses the font family name %j', (attack) => {
    const error = generateError({ font: { $type: 'fontFamily', $value: ['Inter', attack] } });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'font' })]);
  });

  it('keeps the safe tokens of a theme out of reach of an attack: nothing is emitted at all', () => {
    expect(() => generate({ id: 't', tokens: { atomic: { ok: '1px', evil: 'red; } body { display:none' } } })).toThrow(/atomic\.evil/);
  });

  it('refuses a dark selector that could break the stylesheet', () => {
    for (const selector of ['.dark { }', '.dark;', '.dark /*', '</style>', '.dark}', '@media print']) {
      expect(() => generate({ a: { $type: 'number', $value: 1 } }, { darkSelector: selector })).toThrow(InputError);
    }
    expect(generate({ a: { $type: 'number', $value: 1 } }, { darkSelector: '[data-theme="dark"]' }).css).toContain(':root');
  });

  it('never lets a token name carry CSS syntax into the variable name', () => {
    const { css, variables } = generate({ 'a;b{c}': { 'x y/z': { $type: 'number', $value: 1 } } });
    expect([...variables.keys()]).toEqual(['--a-b-c--x-y-z']);
    expect(cssParseErrors(css)).toEqual([]);
  });
});
