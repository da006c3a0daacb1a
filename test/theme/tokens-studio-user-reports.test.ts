import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { runCli } from '../../src/cli/run-cli.js';
import { inputSchema as themeToolInput } from '../../src/server/tools/generate-theme-css.js';
import { detectThemeFormat } from '../../src/theme/detect-format.js';
import { convertTheme } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCssOptionsInput } from '../../src/theme/schemas.js';
import { cssParseErrors } from './theme-test-support.js';

/** `dspec theme css F.json --no-component-defaults`, as the users ran it. */
const convert = (theme: unknown, options: ThemeCssOptionsInput = {}) => convertTheme(theme, ThemeCssOptionsSchema.parse({ componentDefaults: false, ...options }));

const SHADOW = { x: '0', y: '4px', blur: '4px', spread: '0', color: '#00000033', type: 'dropShadow' };

describe('Tokens Studio types in a $value file without $metadata', () => {
  it('reads a boxShadow as Tokens Studio does, as the value/type and $metadata forms already were', () => {
    const dollar = convert({ shadow: { low: { $type: 'boxShadow', $value: SHADOW } } });
    const legacy = convert({ shadow: { low: { type: 'boxShadow', value: SHADOW } } });
    expect(dollar.errors).toEqual([]);
    expect(dollar.format).toBe('tokens-studio');
    expect(dollar.variables.get('--shadow-low')).toBe('0 4px 4px 0 #00000033');
    expect(legacy.variables.get('--shadow-low')).toBe('0 4px 4px 0 #00000033');
  });

  it('maps every size, font and free-form type, group-level $type included', () => {
    const result = convert({
      space: { $type: 'spacing', md: { $value: '8' } },
      radius: { $type: 'borderRadius', pill: { $value: 9999 } },
      font: {
        family: { $type: 'fontFamilies', $value: 'Open Sans, sans-serif' },
        weight: { $type: 'fontWeights', $value: 'Semi Bold' },
        size: { $type: 'fontSizes', $value: '14' },
        leading: { $type: 'lineHeights', $value: '1.5' },
        tracking: { $type: 'letterSpacing', $value: '0.5' },
        gap: { $type: 'paragraphSpacing', $value: '12' },
        case: { $type: 'textCase', $value: 'uppercase' },
        decoration: { $type: 'textDecoration', $value: 'underline' },
      },
      opacity: { muted: { $type: 'opacity', $value: 0.5 } },
      outline: { offset: { $type: 'other', $value: '{space.md}' } },
    });
    expect(result.errors).toEqual([]);
    expect(Object.fromEntries(result.variables)).toMatchObject({
      '--space-md': '8px',
      '--radius-pill': '9999px',
      '--font-family': '"Open Sans", sans-serif',
      '--font-weight': '600',
      '--font-size': '14px',
      '--font-leading': '1.5',
      '--font-tracking': '0.5px',
      '--font-gap': '12px',
      '--font-case': 'uppercase',
      '--font-decoration': 'underline',
      '--opacity-muted': '0.5',
      '--outline-offset': 'var(--space-md)',
    });
    expect(result.warnings.filter((warning) => warning.code === 'unknown-type')).toEqual([]);
  });

  it('expands a composition token into one variable per property, as sd-transforms does', () => {
    const composition = { fill: '{color.brand}', paddingTop: '8', itemSpacing: '{space.md}', borderRadius: '4', opacity: '0.8', boxShadow: SHADOW };
    const tokens = (shape: 'legacy' | 'dollar') => {
      const token = (type: string, value: unknown) => (shape === 'legacy' ? { type, value } : { $type: type, $value: value });
      return { color: { brand: token('color', '#0055ff') }, space: { md: token('spacing', '12') }, button: { primary: token('composition', composition) } };
    };
    for (const shape of ['legacy', 'dollar'] as const) {
      const result = convert(tokens(shape));
      expect(result.errors).toEqual([]);
      expect(Object.fromEntries([...result.variables].filter(([name]) => name.startsWith('--button')))).toEqual({
        '--button-primary-fill': 'var(--color-brand)',
        '--button-primary-padding-top': '8px',
        '--button-primary-item-spacing': 'var(--space-md)',
        '--button-primary-border-radius': '4px',
        '--button-primary-opacity': '0.8',
        '--button-primary-box-shadow': '0 4px 4px 0 #00000033',
      });
    }
  });

  it('leaves an ordinary DTCG file alone: format dtcg, a unitless dimension still refused', () => {
    const tree = { space: { md: { $type: 'dimension', $value: 8 } }, shadow: { $type: 'shadow', $value: { offsetX: '0px', offsetY: '4px', blur: '4px', spread: '0px', color: '#000000' } } };
    expect(detectThemeFormat(tree)).toBe('dtcg');
    expect(convert(tree).errors.map((error) => error.path)).toEqual(['space.md']);
  });
});

describe('a colour token holding a gradient', () => {
  const GRADIENT = 'linear-gradient(180deg, rgba(0,0,0,0), rgba(0,0,0,0.4))';

  it('is emitted as written, in the value/type and $value forms and in a multi-set export', () => {
    for (const theme of [
      { overlay: { scrim: { value: GRADIENT, type: 'color' } } },
      { overlay: { scrim: { $value: GRADIENT, $type: 'color' } }, space: { sm: { $type: 'sizing', $value: '4' } } },
      { global: { overlay: { scrim: { value: GRADIENT, type: 'color' } } }, $metadata: { tokenSetOrder: ['global'] } },
    ]) {
      const result = convert(theme);
      expect(result.errors).toEqual([]);
      expect(result.variables.get('--overlay-scrim')).toBe(GRADIENT);
      expect(cssParseErrors(result.css)).toEqual([]);
    }
  });

  it('accepts repeating, radial and conic gradients; refuses garbage and a gradient as a border colour', () => {
    const result = convert({
      g: {
        $type: 'color',
        stripes: { $value: 'repeating-linear-gradient(45deg, #000 0 10px, #fff 10px 20px)' },
        glow: { $value: 'radial-gradient(circle at center, #ff0000, transparent)' },
        wheel: { $value: 'conic-gradient(from 90deg, red, blue)' },
        bad: { $value: 'linear-gradient(banana)' },
        word: { $value: 'banana' },
      },
      edge: { $type: 'border', $value: { width: '1px', style: 'solid', color: 'linear-gradient(red, blue)' } },
      sizes: { $type: 'sizing', sm: { $value: '4' } },
    });
    expect(result.variables.get('--g-stripes')).toBe('repeating-linear-gradient(45deg, #000 0 10px, #fff 10px 20px)');
    expect(result.variables.get('--g-glow')).toBe('radial-gradient(circle at center, #ff0000, transparent)');
    expect(result.variables.get('--g-wheel')).toBe('conic-gradient(from 90deg, red, blue)');
    expect(result.errors.map((error) => error.path).sort()).toEqual(['edge', 'g.bad', 'g.word']);
    expect(result.errors.find((error) => error.path === 'g.word')?.message).toMatch(/not a CSS colour/);
    expect(result.errors.find((error) => error.path === 'edge')?.message).toMatch(/gradient, not a colour/);
  });

  it('resolves references inside the gradient, as var() and as final values', () => {
    const theme = {
      color: { a: { value: '#000000', type: 'color' }, b: { value: '#ffffff', type: 'color' } },
      overlay: { value: 'linear-gradient(180deg, {color.a}, {color.b})', type: 'color' },
    };
    expect(convert(theme).variables.get('--overlay')).toBe('linear-gradient(180deg, var(--color-a), var(--color-b))');
    expect(convert(theme, { references: 'resolve' }).variables.get('--overlay')).toBe('linear-gradient(180deg, #000000, #ffffff)');
  });

  it('is skipped by the contrast check instead of failing it', () => {
    const result = convert({
      text: { default: { value: '#777777', type: 'color' } },
      bg: { default: { value: GRADIENT, type: 'color' } },
    });
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--bg-default')).toBe(GRADIENT);
    expect(result.warnings.filter((warning) => warning.code === 'low-contrast')).toEqual([]);
  });
});

describe('sets that no $themes entry selects', () => {
  const EXPORT = {
    core: { color: { white: { value: '#ffffff', type: 'color' } } },
    light: { bg: { value: '{color.white}', type: 'color' } },
    'extra/brand': { brand: { value: '#0055ff', type: 'color' } },
    'extra/promo': { promo: { value: '#ff5500', type: 'color' } },
    $themes: [{ id: 'l', name: 'Light', selectedTokenSets: { core: 'source', light: 'enabled' } }],
    $metadata: { tokenSetOrder: ['core', 'light', 'extra/brand', 'extra/promo'] },
  };

  it('are left out with one warning that names them and the option', () => {
    const result = convert(EXPORT);
    expect(result.variables.has('--brand')).toBe(false);
    const warnings = result.warnings.filter((warning) => warning.code === 'unselected-sets');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('"extra/brand", "extra/promo"');
    expect(warnings[0]!.message).toContain('includeSets');
  });

  it('are read when includeSets names them, or with "*"', () => {
    const some = convert(EXPORT, { includeSets: ['extra/brand'] });
    expect(some.variables.get('--brand')).toBe('#0055ff');
    expect(some.variables.has('--promo')).toBe(false);
    expect(some.warnings.find((warning) => warning.code === 'unselected-sets')?.message).toContain('1 set is selected by no $themes entry and left out: "extra/promo"');
    const all = convert(EXPORT, { includeSets: ['*'] });
    expect(all.variables.get('--promo')).toBe('#ff5500');
    expect(all.warnings.filter((warning) => warning.code === 'unselected-sets')).toEqual([]);
  });

  it('are named on stderr by `dspec theme css`, and read with --include-sets a,b or "*"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dspec-sets-'));
    writeFileSync(path.join(dir, 'F.json'), JSON.stringify(EXPORT));
    const cli = async (...extra: string[]) => {
      let stderr = '';
      const code = await runCli(['theme', 'css', 'F.json', '-o', 'out.css', '--no-component-defaults', ...extra], {
        stdout: () => undefined,
        stderr: (text) => void (stderr += text),
        cwd: dir,
        env: {},
      });
      return { code, stderr, css: readFileSync(path.join(dir, 'out.css'), 'utf8') };
    };
    const plain = await cli();
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/warning unselected-sets .*"extra\/brand", "extra\/promo"/);
    expect(plain.css).not.toContain('--brand');
    const both = await cli('--include-sets', 'extra/brand,extra/promo');
    expect(both.css).toContain('--brand: #0055ff;');
    expect(both.css).toContain('--promo: #ff5500;');
    expect(both.stderr).not.toContain('unselected-sets');
    expect((await cli('--include-sets', '*')).css).toContain('--promo: #ff5500;');
    let help = '';
    await runCli(['theme', 'css', '--help'], { stdout: (text) => void (help += text), stderr: (text) => void (help += text), cwd: dir, env: {} });
    expect(help).toContain('--include-sets');
  });

  it('is an input of the generate_theme_css tool, described for the model', () => {
    expect(themeToolInput.parse({ theme: EXPORT, includeSets: ['extra/promo'] }).includeSets).toEqual(['extra/promo']);
    expect(JSON.stringify(z.toJSONSchema(themeToolInput))).toMatch(/"includeSets":\{[^}]*no \$themes entry selects/);
    expect(themeToolInput.safeParse({ theme: EXPORT, includeSets: 'extra/promo' }).success).toBe(false);
  });

  it('warns about a name in includeSets that is no set', () => {
    const result = convert(EXPORT, { includeSets: ['extra/brnd'] });
    expect(result.warnings.find((warning) => warning.code === 'unknown-set')?.message).toContain('"extra/brnd"');
  });
});

describe('a multi-set export without $metadata and $themes', () => {
  const SETS = {
    'brand/color': { color: { blue: { $type: 'color', $value: '#0055ff' }, white: { $type: 'color', $value: '#ffffff' } } },
    'common/focus': { focus: { color: { $type: 'color', $value: '{color.blue}' } } },
    'components/button': { button: { background: { $type: 'color', $value: '{color.blue}' }, label: { $type: 'color', $value: '{color.white}' } } },
    'overrides/blue': { color: { blue: { $type: 'color', $value: '#0000aa' } } },
  };

  it('is read as Tokens Studio reads it: sets merged in file order, later ones winning, names without the set', () => {
    const result = convert(SETS);
    expect(result.format).toBe('tokens-studio');
    expect(result.errors).toEqual([]);
    expect(result.variables.get('--color-blue')).toBe('#0000aa');
    expect(result.variables.get('--button-background')).toBe('var(--color-blue)');
    expect([...result.variables.keys()].some((name) => name.includes('brand'))).toBe(false);
    const notes = result.warnings.filter((warning) => warning.code === 'token-sets');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toContain('4 sets');
  });

  it('is not taken for one when the slashed top-level groups are part of the names its references use', () => {
    const tree = {
      'brand/color': { blue: { $type: 'color', $value: '#0055ff' } },
      'brand/space': { md: { $type: 'dimension', $value: { value: 8, unit: 'px' } } },
      button: { background: { $type: 'color', $value: '{brand/color.blue}' } },
    };
    expect(detectThemeFormat(tree)).toBe('dtcg');
    const result = convert(tree);
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((warning) => warning.code === 'token-sets')).toEqual([]);
  });

  it('is not taken for one when no reference needs the merge, or when most top-level keys have no "/"', () => {
    const noCrossReferences = { 'a/b': { x: { $type: 'color', $value: '#000000' } }, 'c/d': { y: { $type: 'color', $value: '#ffffff' } } };
    expect(detectThemeFormat(noCrossReferences)).toBe('dtcg');
    const fewSlashes = { color: { blue: { $type: 'color', $value: '#0055ff' } }, space: { x: { $type: 'color', $value: '{blue}' } }, 'a/b': { blue: { $type: 'color', $value: '#000000' } } };
    expect(detectThemeFormat(fewSlashes)).toBe('dtcg');
  });
});

describe("Rijkshuisstijl's generated kern-lintblauw tokens.json (78 sets, no $metadata)", () => {
  const PACKAGE = 'node_modules/@rijkshuisstijl-community/design-tokens';
  const input = JSON.parse(readFileSync(path.join(PACKAGE, 'src/generated/kern-lintblauw/tokens.json'), 'utf8')) as Record<string, unknown>;

  it('converts 1,410 of 1,412 tokens (was 315), refusing only the two unusable ones the figma export also refuses', () => {
    expect(Object.keys(input).filter((key) => !key.startsWith('$'))).toHaveLength(78);
    const result = convert(input);
    expect(result.format).toBe('tokens-studio');
    expect(result.tokenCount).toBe(1412);
    expect(result.errors.map((error) => error.path).sort()).toEqual(['rhc.sidenav.link.focus.background-color', 'utrecht.listbox.font-weight']);
    expect(result.variables.get('--rhc-color-foreground-default')).toBe('var(--rhc-color-cool-grey-900)');
    expect([...result.variables.keys()].some((name) => name.startsWith('--brand') || name.startsWith('--common'))).toBe(false);
    expect(result.warnings.filter((warning) => warning.code === 'token-sets')).toHaveLength(1);
    expect(cssParseErrors(result.css)).toEqual([]);
  });
});
