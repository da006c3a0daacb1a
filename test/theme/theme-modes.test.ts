import { describe, expect, it } from 'vitest';
import { parse, walk } from 'css-tree';
import { InputError } from '../../src/errors.js';
import { convertTheme } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCssOptionsInput } from '../../src/theme/schemas.js';
import { cssParseErrors } from './theme-test-support.js';

const convert = (theme: unknown, options: ThemeCssOptionsInput = {}) => convertTheme(theme, ThemeCssOptionsSchema.parse({ componentDefaults: false, ...options }));

/** Every rule of a stylesheet: selector text → { property: value }, read back with css-tree (the first rule of a selector wins). */
function rules(css: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const ast = parse(css, { parseRulePrelude: false, parseValue: false, parseCustomProperty: false });
  walk(ast, {
    visit: 'Rule',
    enter(rule) {
      const selector = rule.prelude.type === 'Raw' ? rule.prelude.value.trim() : '';
      const declarations: Record<string, string> = {};
      rule.block.children.forEach((child) => {
        if (child.type === 'Declaration' && child.value.type === 'Raw') declarations[child.property] = child.value.value.trim();
      });
      if (!out.has(selector)) out.set(selector, declarations);
    },
  });
  return out;
}

/** A Primer-shaped tree: a palette, and functional tokens with org.primer.overrides per mode. */
const PRIMER_LIKE = {
  base: {
    $type: 'color',
    gray: { 0: { $value: '#ffffff' }, 9: { $value: '#111111' } },
    blue: { 5: { $value: '#0969da' } },
  },
  bgColor: {
    $type: 'color',
    default: {
      $value: '{base.gray.0}',
      $extensions: { 'org.primer.overrides': { dark: '{base.gray.9}', 'dark-dimmed': '#222222', 'light-high-contrast': '#fafafa' } },
    },
    muted: {
      $value: '{base.gray.9}',
      alpha: 0.1,
      $extensions: { 'org.primer.overrides': { dark: { $value: '{base.gray.0}', alpha: 0.2 }, 'dark-high-contrast': { $value: '{base.blue.5}' } } },
    },
  },
  fgColor: { $type: 'color', accent: { $value: '{base.blue.5}' } },
};

describe('option modes: several modes in one file, each under its selector', () => {
  it("puts the base in :root and each mode's changed declarations under its own selector", () => {
    const result = convert(PRIMER_LIKE, {
      references: 'resolve',
      modes: [{ name: 'dark' }, { name: 'dark-dimmed', selector: '[data-color-mode="dark-dimmed"]' }, { name: 'light-high-contrast' }],
    });
    expect(result.errors).toEqual([]);
    expect(cssParseErrors(result.css)).toEqual([]);
    const blocks = rules(result.css);
    expect([...blocks.keys()]).toEqual([':root', '.dark', '[data-color-mode="dark-dimmed"]', '[data-theme="light-high-contrast"]']);
    expect(blocks.get(':root')).toMatchObject({ '--bg-color-default': '#ffffff', '--fg-color-accent': '#0969da' });
    // Only what differs from the base is repeated; fgColor.accent has no override anywhere.
    expect(blocks.get('.dark')).toEqual({ '--bg-color-default': '#111111', '--bg-color-muted': 'rgb(255 255 255 / 0.2)' });
    expect(Object.keys(blocks.get('[data-theme="light-high-contrast"]')!)).toEqual(['--bg-color-default']);
    expect(result.modes?.map((mode) => [mode.name, mode.selector])).toEqual([
      ['dark', '.dark'],
      ['dark-dimmed', '[data-color-mode="dark-dimmed"]'],
      ['light-high-contrast', '[data-theme="light-high-contrast"]'],
    ]);
    expect(result.darkVariables.get('--bg-color-default')).toBe('#111111');
    expect(result.resolved.dark.get('--fg-color-accent')).toBe('#0969da');
  });

  it("a variant without its own override falls back to its first word's (dark-dimmed → dark), as Primer's build does", () => {
    const result = convert(PRIMER_LIKE, { references: 'resolve', modes: [{ name: 'dark-dimmed' }, { name: 'dark-high-contrast' }] });
    const dimmed = result.modes![0]!.variables;
    expect(dimmed.get('--bg-color-default')).toBe('#222222');
    // bgColor.muted has no dark-dimmed override: the dark one applies, alpha included.
    expect(dimmed.get('--bg-color-muted')).toBe('rgb(255 255 255 / 0.2)');
    // An object override without alpha keeps the token's own alpha (Primer spreads it over the token).
    expect(result.modes![1]!.resolved.get('--bg-color-muted')).toBe('rgb(9 105 218 / 0.1)');
  });

  it('keeps var() between layers, so a mode block holds only the tokens whose own text changed', () => {
    const tree = {
      palette: { $type: 'color', paper: { $value: '#ffffff', $extensions: { 'org.primer.overrides': { dark: '#000000' } } } },
      surface: { $type: 'color', $value: '{palette.paper}' },
    };
    const result = convert(tree, { modes: [{ name: 'dark', selector: '[data-theme="night"]' }] });
    expect(rules(result.css).get('[data-theme="night"]')).toEqual({ '--palette-paper': '#000000' });
    expect(result.variables.get('--surface')).toBe('var(--palette-paper)');
  });

  it("reads DTCG resolver contexts by mode name, with that mode's overrides on top of its own sets", () => {
    const resolver = {
      version: '2025.10',
      sets: { shared: { sources: [{ ink: { $type: 'color', $value: '{gray.9}', $extensions: { 'org.primer.overrides': { 'dark-dimmed': '{gray.5}' } } } }] } },
      modifiers: {
        theme: {
          default: 'light',
          contexts: {
            light: [{ gray: { $type: 'color', 9: { $value: '#111111' }, 5: { $value: '#555555' } } }],
            dark: [{ gray: { $type: 'color', 9: { $value: '#eeeeee' }, 5: { $value: '#999999' } } }],
            'dark-dimmed': [{ gray: { $type: 'color', 9: { $value: '#dddddd' }, 5: { $value: '#888888' } } }],
          },
        },
      },
      resolutionOrder: [{ $ref: '#/modifiers/theme' }, { $ref: '#/sets/shared' }],
    };
    const result = convert(resolver, { references: 'resolve', modes: [{ name: 'dark' }, { name: 'dark-dimmed' }] });
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--ink')).toBe('#111111');
    expect(result.modes![0]!.variables.get('--ink')).toBe('#eeeeee');
    // The dark-dimmed context's palette, and the dark-dimmed override pointing into it.
    expect(result.modes![1]!.variables.get('--ink')).toBe('#888888');
    expect(result.modes![1]!.variables.get('--gray-9')).toBe('#dddddd');
  });

  it('reads Tokens Studio $themes by name, each theme under its selector', () => {
    const studio = {
      core: { color: { white: { value: '#ffffff', type: 'color' }, black: { value: '#000000', type: 'color' }, navy: { value: '#001133', type: 'color' } } },
      light: { bg: { value: '{color.white}', type: 'color' } },
      dark: { bg: { value: '{color.black}', type: 'color' } },
      midnight: { bg: { value: '{color.navy}', type: 'color' } },
      $metadata: { tokenSetOrder: ['core', 'light', 'dark', 'midnight'] },
      $themes: [
        { id: 'l', name: 'Light', selectedTokenSets: { core: 'source', light: 'enabled' } },
        { id: 'd', name: 'Dark', selectedTokenSets: { core: 'source', dark: 'enabled' } },
        { id: 'm', name: 'Midnight', selectedTokenSets: { core: 'source', midnight: 'enabled' } },
      ],
    };
    const result = convert(studio, {
      modes: [
        { name: 'Dark', selector: '.theme-dark' },
        { name: 'Midnight', selector: '.theme-midnight' },
      ],
    });
    const blocks = rules(result.css);
    expect(blocks.get(':root')).toMatchObject({ '--bg': 'var(--color-white)' });
    expect(blocks.get('.theme-dark')).toEqual({ '--bg': 'var(--color-black)' });
    expect(blocks.get('.theme-midnight')).toEqual({ '--bg': 'var(--color-navy)' });
  });

  it('reads a Tekton darkMode as the mode "dark", and repeats it in @media with darkMedia', () => {
    const tekton = {
      id: 't',
      tokens: { atomic: { color: { paper: { l: 1, c: 0, h: 0 } } }, semantic: { background: { canvas: 'atomic.color.paper' } } },
      darkMode: { tokens: { atomic: { color: { paper: { l: 0.1, c: 0, h: 0 } } } } },
    };
    const single = convert(tekton);
    const multi = convert(tekton, { modes: [{ name: 'dark' }], darkMedia: true });
    expect(Object.fromEntries(multi.darkVariables)).toEqual(Object.fromEntries(single.darkVariables));
    expect(multi.css.startsWith(single.css)).toBe(true);
    expect(multi.css.slice(single.css.length)).toBe('\n@media (prefers-color-scheme: dark) {\n  :root {\n    --atomic-color-paper: oklch(0.1 0 0);\n  }\n}\n');
    expect(multi.darkVariables.get('--atomic-color-paper')).toBe('oklch(0.1 0 0)');
  });

  it('warns about a mode that changes nothing, and refuses an unsafe selector or a name given twice', () => {
    const result = convert(PRIMER_LIKE, { modes: [{ name: 'sepia' }] });
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'empty-mode', path: 'modes.0' }));
    expect(result.css).not.toContain('sepia');
    expect(() => convert(PRIMER_LIKE, { modes: [{ name: 'dark', selector: '.x } body { color: red' }] })).toThrow(InputError);
    expect(() => convert(PRIMER_LIKE, { modes: [{ name: 'dark' }, { name: 'Dark' }] })).toThrow(/twice/);
  });

  it('names the mode in an error found only in that mode, and still emits the rest', () => {
    const tree = {
      a: { $type: 'color', $value: '#ffffff', $extensions: { 'org.primer.overrides': { dark: '{missing.token}' } } },
      b: { $type: 'color', $value: '#000000', $extensions: { 'org.primer.overrides': { dark: '#333333' } } },
    };
    const result = convert(tree, { modes: [{ name: 'dark' }] });
    expect(result.errors).toEqual([expect.objectContaining({ path: 'a', code: 'broken-reference', message: expect.stringMatching(/^mode "dark": /) })]);
    expect(result.errorCount).toBe(1);
    expect(result.modes![0]!.variables.get('--b')).toBe('#333333');
  });
});
