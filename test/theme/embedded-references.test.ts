import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { cssParseErrors, generate, generateError } from './theme-test-support.js';

const px = (value: number) => ({ value, unit: 'px' });

/** Mirrors Primer's `functional/size/border.json5`: a custom-string shadow embedding a dimension. */
const border = {
  boxShadow: { thin: { $value: 'inset 0 0 0 {borderWidth.thin}', $type: 'custom-string' } },
  borderWidth: { thin: { $value: px(1), $type: 'dimension' } },
};

/** Mirrors Primer's `functional/size/viewport.json5`: a media range embedding breakpoints. */
const viewport = {
  breakpoint: { small: { $value: px(544), $type: 'dimension' }, medium: { $value: px(768), $type: 'dimension' } },
  viewportRange: {
    narrow: { $value: '(max-width: calc({breakpoint.medium} - 0.02px))', $type: 'custom-viewportRange' },
    between: { $value: '(min-width: {breakpoint.small}) and (max-width: {breakpoint.medium})', $type: 'custom-viewportRange' },
  },
};

describe('references embedded inside string values', () => {
  it('turns each embedded reference into var() by default', () => {
    const result = generate(border);
    expect(result.variables.get('--box-shadow-thin')).toBe('inset 0 0 0 var(--border-width-thin)');
    expect(result.resolved.light.get('--box-shadow-thin')).toBe('inset 0 0 0 1px');
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it("uses the target's final CSS text when references are resolved", () => {
    const result = generate(border, { references: 'resolve' });
    expect(result.variables.get('--box-shadow-thin')).toBe('inset 0 0 0 1px');
    expect(result.css).toContain('--box-shadow-thin: inset 0 0 0 1px;');
  });

  it('handles several references and surrounding parentheses (the viewport shape)', () => {
    const byVar = generate(viewport);
    expect(byVar.variables.get('--viewport-range-narrow')).toBe('(max-width: calc(var(--breakpoint-medium) - 0.02px))');
    expect(byVar.variables.get('--viewport-range-between')).toBe('(min-width: var(--breakpoint-small)) and (max-width: var(--breakpoint-medium))');
    const resolved = generate(viewport, { references: 'resolve' });
    expect(resolved.variables.get('--viewport-range-narrow')).toBe('(max-width: calc(768px - 0.02px))');
    expect(resolved.variables.get('--viewport-range-between')).toBe('(min-width: 544px) and (max-width: 768px)');
    expect(cssParseErrors(resolved.css)).toEqual([]);
  });

  it('follows chains: a string embedding a token that is itself an alias or a string with references', () => {
    const theme = {
      base: { $type: 'dimension', one: { $value: px(1) }, alias: { $value: '{base.one}' } },
      inner: { $value: '0 0 0 {base.alias}', $type: 'custom-string' },
      outer: { $value: 'inset {inner}', $type: 'custom-string' },
      whole: { $value: '{outer}' },
    };
    const result = generate(theme, { references: 'resolve' });
    expect(result.variables.get('--inner')).toBe('0 0 0 1px');
    expect(result.variables.get('--outer')).toBe('inset 0 0 0 1px');
    expect(result.variables.get('--whole')).toBe('inset 0 0 0 1px');
    expect(generate(theme).variables.get('--outer')).toBe('inset var(--inner)');
  });

  it('accepts embedded references in composite string fields too', () => {
    const result = generate({
      width: { $type: 'dimension', $value: px(2) },
      ring: { $type: 'shadow', $value: ['0 0 0 {width} red', { offsetX: px(0), offsetY: px(1), color: 'blue' }] },
    });
    expect(result.variables.get('--ring')).toBe('0 0 0 var(--width) red, 0px 1px 0 0 blue');
  });

  it('reports a broken embedded reference with the closest name', () => {
    const error = generateError({ ...border, boxShadow: { thin: { $value: 'inset 0 0 0 {borderWidth.thn}', $type: 'custom-string' } } });
    expect(error.issues).toEqual([{ path: 'boxShadow.thin', code: 'broken-reference', message: 'refers to {borderWidth.thn}, which does not exist', suggestion: 'did you mean borderWidth.thin?' }]);
  });

  it('reports a cycle through an embedded reference, listed whole', () => {
    const error = generateError({
      a: { $value: 'inset {b}', $type: 'custom-string' },
      b: { $value: '{c}', $type: 'dimension' },
      c: { $value: 'calc({a} * 2)', $type: 'custom-string' },
    });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'a', code: 'circular-reference', message: 'circular reference: a → b → c → a' })]);
  });

  it.each(['a { b', 'a {b.c} {', 'a { b } c', 'x {}', 'x {a..b}', 'x {b.c}; } body { display:none'])('still refuses the unsafe string %j', (value) => {
    const error = generateError({ b: { c: { $type: 'number', $value: 1 } }, evil: { $value: value, $type: 'custom-string' } });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'evil', code: 'unsafe-value' })]);
  });

  it('puts a string whose embedded target changes in dark mode into the dark block when resolving', () => {
    const resolver = {
      version: '2025.10',
      sets: {
        base: {
          sources: [
            {
              width: { $type: 'dimension', $value: px(1) },
              ring: { $value: 'inset 0 0 0 {width}', $type: 'custom-string' },
              alias: { $value: '{ring}' },
            },
          ],
        },
      },
      modifiers: { theme: { default: 'light', contexts: { light: [], dark: [{ width: { $value: px(2) } }] } } },
      resolutionOrder: [{ $ref: '#/sets/base' }, { $ref: '#/modifiers/theme' }],
    };
    const resolved = generate(resolver, { references: 'resolve' });
    expect(resolved.variables.get('--ring')).toBe('inset 0 0 0 1px');
    expect(Object.fromEntries(resolved.darkVariables)).toEqual({ '--width': '2px', '--ring': 'inset 0 0 0 2px', '--alias': 'inset 0 0 0 2px' });
    const byVar = generate(resolver);
    expect(Object.fromEntries(byVar.darkVariables)).toEqual({ '--width': '2px' });
    expect(byVar.resolved.dark.get('--ring')).toBe('inset 0 0 0 2px');
  });
});

const PRIMER_TOKENS = path.resolve(process.cwd(), 'node_modules/@primer/primitives/src/tokens');

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    const bothGroups = existing && typeof existing === 'object' && value && typeof value === 'object' && !('$value' in (value as object));
    target[key] = bothGroups ? deepMerge(existing as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return target;
}

describe("Primer's size tokens (real files from @primer/primitives)", () => {
  // size.json5 refers to base.size.* and borderRadius.medium, so their files come too.
  const files = [
    'base/size/size.json5',
    'functional/size/radius.json5',
    'functional/size/border.json5',
    'functional/size/size.json5',
    'functional/size/breakpoints.json5',
    'functional/size/viewport.json5',
  ];
  const theme = files.reduce((merged, file) => deepMerge(merged, JSON5.parse(readFileSync(path.join(PRIMER_TOKENS, file), 'utf8'))), {} as Record<string, unknown>);

  it('produces parseable CSS with the embedded references as var()', () => {
    const result = generate(theme);
    expect(result.variables.get('--box-shadow-thin')).toBe('inset 0 0 0 var(--border-width-thin)');
    expect(result.variables.get('--viewport-range-narrow')).toBe('(max-width: calc(var(--breakpoint-medium) - 0.02px))');
    expect(result.resolved.light.get('--box-shadow-thick')).toBe('inset 0 0 0 2px');
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('resolves them to final values', () => {
    const result = generate(theme, { references: 'resolve' });
    expect(result.variables.get('--box-shadow-thin')).toBe('inset 0 0 0 1px');
    expect(result.variables.get('--viewport-range-narrow-landscape')).toBe('((max-width: calc(1012px - 0.02px)) and (max-height: calc(544px - 0.02px)) and (orientation: landscape))');
  });
});
