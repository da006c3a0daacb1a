import { describe, expect, it } from 'vitest';
import { InputError, ThemeError } from '../../src/errors.js';
import { detectThemeFormat } from '../../src/theme/detect-format.js';
import { parseThemeText } from '../../src/theme/parse-theme-text.js';
import { cssParseErrors, generate, generateError } from './theme-test-support.js';

describe('format detection', () => {
  it('tells Tekton, DTCG and resolver documents apart by shape', () => {
    expect(detectThemeFormat({ tokens: { atomic: {} } })).toBe('tekton');
    expect(detectThemeFormat({ version: '2025.10', resolutionOrder: [] })).toBe('dtcg-resolver');
    expect(detectThemeFormat({ a: { b: { $value: 1 } } })).toBe('dtcg');
  });

  it.each([[[]], [null], ['theme'], [{ colors: { red: '#f00' } }]])('refuses %j with what was expected', (input) => {
    let error: unknown;
    try {
      detectThemeFormat(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).suggestion).toMatch(/Tekton theme .* DTCG token tree .* resolver document/);
  });
});

describe('size and depth limits', () => {
  it('handles a generated theme of 10,000 tokens', () => {
    const palette: Record<string, unknown> = {};
    const semantic: Record<string, unknown> = {};
    for (let i = 0; i < 5_000; i++) {
      palette[`c${i}`] = { $value: { colorSpace: 'oklch', components: [0.5, 0.1, i % 360] } };
      semantic[`s${i}`] = { $value: `{palette.c${i}}` };
    }
    // How fast is `npm run bench` (themeCss); here only that it converts, whole and well-formed.
    const result = generate({ palette: { $type: 'color', ...palette }, semantic: { $type: 'color', ...semantic } });
    expect(result.variables.size).toBe(10_000);
    expect(result.variables.get('--semantic-s4999')).toBe('var(--palette-c4999)');
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('resolves a 20,000-long alias chain without recursion', () => {
    const theme: Record<string, unknown> = { t0: { $type: 'number', $value: 7 } };
    for (let i = 1; i < 20_000; i++) theme[`t${i}`] = { $value: `{t${i - 1}}` };
    expect(generate(theme, { references: 'resolve' }).variables.get('--t19999')).toBe('7');
  });

  it('refuses more tokens than limits.maxTokens', () => {
    const theme = { n: { $type: 'number', a: { $value: 1 }, b: { $value: 2 }, c: { $value: 3 } } };
    const error = generateError(theme, {}, { maxTokens: 2 });
    expect(error).toBeInstanceOf(ThemeError);
    expect(error.message).toContain('more than 2 tokens');
  });

  it('gives a clear error, not a stack overflow, for 100,000-deep nesting', () => {
    let deep: Record<string, unknown> = { $type: 'number', $value: 1 };
    for (let i = 0; i < 100_000; i++) deep = { g: deep };
    const error = generateError(deep);
    expect(error).toBeInstanceOf(ThemeError);
    expect(error.issues[0]).toMatchObject({ code: 'too-deep' });

    let tekton: Record<string, unknown> = { leaf: '1px' };
    for (let i = 0; i < 100_000; i++) tekton = { g: tekton };
    expect(generateError({ id: 't', tokens: { atomic: tekton } }).issues[0]).toMatchObject({ code: 'too-deep' });
  });

  it('parses deeply nested JSON text and still refuses it cleanly', () => {
    const text = `${'{"g":'.repeat(100_000)}{"$value":1}${'}'.repeat(100_000)}`;
    expect(generateError(parseThemeText(text, 'deep.json')).issues[0]).toMatchObject({ code: 'too-deep' });
  });
});

describe('prototype pollution', () => {
  it('keeps __proto__, constructor and prototype keys as plain data', () => {
    const theme = parseThemeText(
      '{"__proto__": {"polluted": {"$type": "number", "$value": 1}}, "constructor": {"prototype": {"$type": "number", "$value": 2}}, "x": {"$extends": "{__proto__}"}}',
      'proto.json',
    );
    const result = generate(theme);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(result.variables.get('--__proto__-polluted')).toBe('1');
    expect(result.variables.get('--constructor-prototype')).toBe('2');
    expect(result.variables.get('--x-polluted')).toBe('1');
  });

  it('does not read inherited properties as references', () => {
    const error = generateError({ a: { $type: 'number', $value: '{constructor.name}' } });
    expect(error.issues[0]).toMatchObject({ path: 'a', code: 'broken-reference' });
  });
});
