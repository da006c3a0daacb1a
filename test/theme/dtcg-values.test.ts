import { describe, expect, it } from 'vitest';
import { cssParseErrors, generate } from './theme-test-support.js';

const color = (colorSpace: string, components: Array<number | 'none'>, extra: Record<string, unknown> = {}) => ({
  $type: 'color',
  $value: { colorSpace, components, ...extra },
});

describe('DTCG colour values', () => {
  const { variables, css } = generate({
    c: {
      srgbHex: color('srgb', [1, 0, 0.2]),
      srgbAlpha: color('srgb', [0, 0, 0], { alpha: 0.5 }),
      srgbFraction: color('srgb', [0.1, 0.2, 0.3]),
      srgbOutOfGamut: color('srgb', [1.2, 0, 0]),
      p3: color('display-p3', [1, 0.2, 0.1]),
      oklch: color('oklch', [0.55, 0.12, 265]),
      oklab: color('oklab', [0.5, -0.1, 0.1]),
      lab: color('lab', [50, 20, -30]),
      lch: color('lch', [50, 40, 120], { alpha: 0.8 }),
      hsl: color('hsl', [213.3, 12.7, 13.9], { hex: '#1f2328' }),
      hwb: color('hwb', [120, 10, 20]),
      linear: color('srgb-linear', [0.5, 0.5, 0.5]),
      a98: color('a98-rgb', [0.2, 0.4, 0.6]),
      prophoto: color('prophoto-rgb', [0.2, 0.4, 0.6]),
      rec2020: color('rec2020', [0.2, 0.4, 0.6]),
      xyz65: color('xyz-d65', [0.2, 0.3, 0.4]),
      xyz50: color('xyz-d50', [0.2, 0.3, 0.4]),
      none: color('oklch', [0.7, 0, 'none']),
    },
  });

  it.each([
    ['--c-srgb-hex', '#ff0033'],
    ['--c-srgb-alpha', 'rgb(0 0 0 / 0.5)'],
    ['--c-srgb-fraction', 'rgb(25.5 51 76.5)'],
    ['--c-srgb-out-of-gamut', 'color(srgb 1.2 0 0)'],
    ['--c-p3', 'color(display-p3 1 0.2 0.1)'],
    ['--c-oklch', 'oklch(0.55 0.12 265)'],
    ['--c-oklab', 'oklab(0.5 -0.1 0.1)'],
    ['--c-lab', 'lab(50 20 -30)'],
    ['--c-lch', 'lch(50 40 120 / 0.8)'],
    ['--c-hsl', 'hsl(213.3 12.7% 13.9%)'],
    ['--c-hwb', 'hwb(120 10% 20%)'],
    ['--c-linear', 'color(srgb-linear 0.5 0.5 0.5)'],
    ['--c-a98', 'color(a98-rgb 0.2 0.4 0.6)'],
    ['--c-prophoto', 'color(prophoto-rgb 0.2 0.4 0.6)'],
    ['--c-rec2020', 'color(rec2020 0.2 0.4 0.6)'],
    ['--c-xyz65', 'color(xyz-d65 0.2 0.3 0.4)'],
    ['--c-xyz50', 'color(xyz-d50 0.2 0.3 0.4)'],
    ['--c-none', 'oklch(0.7 0 none)'],
  ])('%s is %s', (name, value) => {
    expect(variables.get(name)).toBe(value);
  });

  it('keeps wide-gamut colours wide rather than clamping them to sRGB hex', () => {
    expect(variables.get('--c-p3')).toMatch(/^color\(display-p3 /);
    expect(cssParseErrors(css)).toEqual([]);
  });
});

describe('DTCG simple and composite values', () => {
  const dimension = (value: number, unit = 'px') => ({ value, unit });
  const duration = (value: number, unit = 'ms') => ({ value, unit });
  const theme = {
    size: { $type: 'dimension', sm: { $value: dimension(4) }, md: { $value: dimension(1.5, 'rem') } },
    time: { $type: 'duration', fast: { $value: duration(100) }, slow: { $value: duration(0.5, 's') } },
    weight: {
      $type: 'fontWeight',
      bold: { $value: 'bold' },
      hairline: { $value: 'hairline' },
      extraLight: { $value: 'extra-light' },
      ultraBold: { $value: 'ultra-bold' },
      heavy: { $value: 'heavy' },
      numeric: { $value: 350 },
    },
    ease: { $type: 'cubicBezier', standard: { $value: [0.4, 0, 0.2, 1] } },
    font: {
      $type: 'fontFamily',
      body: { $value: ['Inter Display', 'Helvetica Neue', 'Arial', 'sans-serif'] },
      code: { $value: 'JetBrains Mono' },
    },
    ratio: { $type: 'number', $value: 1.25 },
    stroke: { $type: 'strokeStyle', plain: { $value: 'dotted' }, dashes: { $value: { dashArray: [dimension(2)], lineCap: 'round' } } },
    color: { $type: 'color', ink: { $value: { colorSpace: 'srgb', components: [0, 0, 0] } } },
    border: { $type: 'border', $value: { color: '{color.ink}', width: dimension(1), style: 'solid' } },
    motion: {
      $type: 'transition',
      enter: { $value: { duration: '{time.fast}', delay: duration(0), timingFunction: '{ease.standard}' } },
      literal: { $value: { duration: duration(200), delay: duration(50), timingFunction: [0, 0, 1, 1] } },
    },
    shadow: {
      $type: 'shadow',
      card: { $value: { color: '{color.ink}', offsetX: dimension(0), offsetY: dimension(2), blur: dimension(4), spread: dimension(0) } },
      layered: {
        $value: [
          { color: { colorSpace: 'srgb', components: [0, 0, 0], alpha: 0.2 }, offsetX: dimension(0), offsetY: dimension(1), blur: dimension(2), spread: dimension(0) },
          { color: '{color.ink}', offsetX: dimension(0), offsetY: dimension(0), blur: dimension(1), spread: dimension(1), inset: true },
        ],
      },
    },
    gradient: {
      $type: 'gradient',
      sunset: {
        $value: [
          { color: '{color.ink}', position: 0 },
          { color: { colorSpace: 'srgb', components: [1, 1, 1] }, position: 1 },
        ],
      },
    },
    type: {
      $type: 'typography',
      body: { $value: { fontFamily: '{font.body}', fontSize: '{size.md}', fontWeight: 400, letterSpacing: dimension(0), lineHeight: 1.5 } },
    },
  };

  it('emits each type in its CSS form, with var() for embedded references', () => {
    const { variables, css } = generate(theme);
    expect(Object.fromEntries(variables)).toMatchObject({
      '--size-sm': '4px',
      '--size-md': '1.5rem',
      '--time-fast': '100ms',
      '--time-slow': '0.5s',
      '--weight-bold': '700',
      '--weight-hairline': '100',
      '--weight-extra-light': '200',
      '--weight-ultra-bold': '800',
      '--weight-heavy': '900',
      '--weight-numeric': '350',
      '--ease-standard': 'cubic-bezier(0.4, 0, 0.2, 1)',
      '--font-body': '"Inter Display", "Helvetica Neue", Arial, sans-serif',
      '--font-code': '"JetBrains Mono"',
      '--ratio': '1.25',
      '--stroke-plain': 'dotted',
      '--stroke-dashes': 'dashed',
      '--border': '1px solid var(--color-ink)',
      '--motion-enter': 'var(--time-fast) 0ms var(--ease-standard)',
      '--motion-literal': '200ms 50ms cubic-bezier(0, 0, 1, 1)',
      '--shadow-card': '0px 2px 4px 0px var(--color-ink)',
      '--shadow-layered': '0px 1px 2px 0px rgb(0 0 0 / 0.2), inset 0px 0px 1px 1px var(--color-ink)',
      '--gradient-sunset': 'linear-gradient(90deg, var(--color-ink) 0%, #ffffff 100%)',
      '--type-body': '400 var(--size-md)/1.5 var(--font-body)',
      '--type-body-font-family': 'var(--font-body)',
      '--type-body-font-size': 'var(--size-md)',
      '--type-body-font-weight': '400',
      '--type-body-line-height': '1.5',
      '--type-body-letter-spacing': '0px',
    });
    expect(css).not.toContain('[object Object]');
    expect(cssParseErrors(css)).toEqual([]);
  });

  it('resolves composites completely in resolve mode, never printing [object Object]', () => {
    const { variables, css } = generate(theme, { references: 'resolve' });
    expect(variables.get('--motion-enter')).toBe('100ms 0ms cubic-bezier(0.4, 0, 0.2, 1)');
    expect(variables.get('--border')).toBe('1px solid #000000');
    expect(variables.get('--type-body')).toBe('400 1.5rem/1.5 "Inter Display", "Helvetica Neue", Arial, sans-serif');
    expect(variables.get('--type-body-font-size')).toBe('1.5rem');
    expect(css).not.toContain('[object Object]');
    expect(css).not.toContain('var(');
  });
});

describe('DTCG structure: inheritance, aliases, $root, $ref, $extends', () => {
  it('infers the type of an alias from its target and follows alias chains', () => {
    const { variables, resolved } = generate({
      base: { $type: 'color', blue: { $value: { colorSpace: 'srgb', components: [0, 0, 1] } } },
      brand: { $value: '{base.blue}' },
      action: { $value: '{brand}' },
    });
    expect(variables.get('--action')).toBe('var(--brand)');
    expect(resolved.light.get('--action')).toBe('#0000ff');
  });

  it('names a group $root token after the group', () => {
    const { variables } = generate({
      accent: { $type: 'color', $root: { $value: { colorSpace: 'srgb', components: [1, 0, 0] } }, light: { $value: '{accent.$root}' } },
    });
    expect(variables.get('--accent')).toBe('#ff0000');
    expect(variables.get('--accent-light')).toBe('var(--accent)');
  });

  it('follows JSON-pointer $ref, for a whole token and for one component', () => {
    const { variables, resolved } = generate({
      colors: { $type: 'color', blue: { $value: { colorSpace: 'oklch', components: [0.5, 0.1, 250] } } },
      link: { $type: 'color', $ref: '#/colors/blue/$value' },
      hue: { $type: 'number', $value: { $ref: '#/colors/blue/$value/components/2' } },
      tinted: { $type: 'color', $value: { colorSpace: 'oklch', components: [0.9, 0.02, { $ref: '#/colors/blue/$value/components/2' }] } },
    });
    expect(variables.get('--link')).toBe('var(--colors-blue)');
    expect(resolved.light.get('--link')).toBe('oklch(0.5 0.1 250)');
    expect(variables.get('--hue')).toBe('250');
    expect(variables.get('--tinted')).toBe('oklch(0.9 0.02 250)');
  });

  it('deep-merges $extends groups, with the extending group winning', () => {
    const { variables } = generate({
      button: {
        $type: 'dimension',
        padding: { x: { $value: { value: 8, unit: 'px' } }, y: { $value: { value: 4, unit: 'px' } } },
        radius: { $value: { value: 2, unit: 'px' } },
      },
      bigButton: { $extends: '{button}', padding: { x: { $value: { value: 16, unit: 'px' } } } },
    });
    expect(variables.get('--big-button-padding-x')).toBe('16px');
    expect(variables.get('--big-button-padding-y')).toBe('4px');
    expect(variables.get('--big-button-radius')).toBe('2px');
  });

  it('writes descriptions and deprecations as comments, and warns about deprecated tokens', () => {
    const result = generate(
      {
        space: {
          $type: 'dimension',
          sm: { $value: { value: 4, unit: 'px' }, $description: 'Small gap */ body { color: red } </style>' },
          old: { $value: { value: 3, unit: 'px' }, $deprecated: 'use space.sm' },
        },
      },
      { comments: true },
    );
    expect(result.css).toContain('/* Small gap * / body { color: red } ‹/style> */');
    expect(result.css).not.toContain('</style');
    expect(result.css).toContain('/* deprecated: use space.sm */');
    expect(result.warnings).toContainEqual({ code: 'deprecated', path: 'space.old', message: 'token is deprecated: use space.sm' });
    expect(cssParseErrors(result.css)).toEqual([]);
    expect(generate({ a: { $type: 'number', $value: 1, $description: 'x' } }).css).not.toContain('/*');
  });

  it('emits a CSS unit the format does not list (em) with a warning rather than refusing it', () => {
    const result = generate({ tracking: { $type: 'dimension', $value: { value: 0.1, unit: 'em' } } });
    expect(result.variables.get('--tracking')).toBe('0.1em');
    expect(result.warnings).toContainEqual(expect.objectContaining({ path: 'tracking', code: 'schema-violation' }));
  });

  it('ignores vendor $extensions without complaint', () => {
    const result = generate({ a: { $type: 'number', $value: 1, $extensions: { 'org.primer.figma': { collection: 'x' } } } });
    expect(result.variables.get('--a')).toBe('1');
    expect(result.warnings).toEqual([]);
  });
});
