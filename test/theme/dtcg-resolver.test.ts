import { describe, expect, it } from 'vitest';
import { detectThemeFormat } from '../../src/theme/detect-format.js';
import { cssParseErrors, generate, generateError } from './theme-test-support.js';

const srgb = (r: number, g: number, b: number) => ({ colorSpace: 'srgb', components: [r, g, b] });

const resolver = {
  name: 'acme',
  version: '2025.10',
  sets: {
    base: {
      sources: [
        {
          palette: {
            $type: 'color',
            white: { $value: srgb(1, 1, 1) },
            black: { $value: srgb(0, 0, 0) },
          },
        },
      ],
    },
    semantic: {
      sources: [{ $ref: '#/sets/base' }, { bg: { $type: 'color', default: { $value: '{palette.white}' } }, fg: { $type: 'color', default: { $value: '{palette.black}' } } }],
    },
  },
  modifiers: {
    theme: {
      default: 'light',
      contexts: {
        light: [],
        Dark: [{ bg: { default: { $value: '{palette.black}' } }, fg: { default: { $value: '{palette.white}' } } }],
      },
    },
  },
  resolutionOrder: [{ $ref: '#/sets/semantic' }, { $ref: '#/modifiers/theme' }],
};

describe('DTCG resolver documents', () => {
  it('is detected by its shape', () => {
    expect(detectThemeFormat(resolver)).toBe('dtcg-resolver');
    expect(detectThemeFormat({ version: '2025.10', sets: {} })).toBe('dtcg-resolver');
  });

  it('merges sets in resolution order, with the default context as light and the dark context as overrides', () => {
    const result = generate(resolver);
    expect(result.format).toBe('dtcg-resolver');
    expect(result.themeId).toBe('acme');
    expect(result.variables.get('--bg-default')).toBe('var(--palette-white)');
    expect(Object.fromEntries(result.darkVariables)).toEqual({ '--bg-default': 'var(--palette-black)', '--fg-default': 'var(--palette-white)' });
    expect(result.resolved.dark.get('--bg-default')).toBe('#000000');
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('accepts inline sets and modifiers in the resolution order', () => {
    const result = generate({
      version: '2025.10',
      resolutionOrder: [
        { type: 'set', name: 'core', sources: [{ size: { $type: 'dimension', base: { $value: { value: 4, unit: 'px' } } } }] },
        {
          type: 'modifier',
          name: 'mode',
          contexts: { light: [{ ink: { $type: 'color', $value: srgb(0, 0, 0) } }], dark: [{ ink: { $type: 'color', $value: srgb(1, 1, 1) } }] },
        },
      ],
    });
    expect(result.variables.get('--size-base')).toBe('4px');
    expect(result.variables.get('--ink')).toBe('#000000');
    expect(result.darkVariables.get('--ink')).toBe('#ffffff');
  });

  it('has no dark block when no modifier has a dark context', () => {
    const result = generate({
      version: '2025.10',
      modifiers: { size: { contexts: { small: [{ gap: { $type: 'number', $value: 1 } }], large: [{ gap: { $type: 'number', $value: 2 } }] } } },
      resolutionOrder: [{ $ref: '#/modifiers/size' }],
    });
    expect(result.variables.get('--gap')).toBe('1');
    expect(result.darkVariables.size).toBe(0);
  });

  it('refuses file references with a clear message, and reports broken local ones', () => {
    const error = generateError({
      version: '2025.10',
      resolutionOrder: [{ $ref: 'tokens/base.json' }, { $ref: '#/sets/missing' }],
    });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'resolutionOrder.0', code: 'file-reference' }), expect.objectContaining({ path: 'resolutionOrder.1', code: 'broken-reference' })]);
    expect(error.issues[0]!.message).toContain('points to another file');
  });
});
