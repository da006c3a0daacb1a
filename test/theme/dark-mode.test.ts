import { describe, expect, it } from 'vitest';
import { cssParseErrors, generate } from './theme-test-support.js';

const theme = {
  id: 'dark-test',
  tokens: {
    atomic: {
      color: {
        white: { l: 1, c: 0, h: 0 },
        ink: { l: 0.2, c: 0.02, h: 260 },
        night: { l: 0.15, c: 0.02, h: 260 },
      },
    },
    semantic: {
      background: { canvas: 'atomic.color.white' },
      foreground: { primary: 'atomic.color.ink' },
    },
    component: { card: { background: 'semantic.background.canvas' } },
  },
  darkMode: {
    tokens: {
      atomic: { color: { white: { l: 0.15, c: 0.02, h: 260 } } },
      semantic: { foreground: { primary: 'atomic.color.white' } },
    },
  },
};

describe('dark mode', () => {
  it('var mode: only overridden tokens go in the dark block; references carry the change', () => {
    const result = generate(theme);
    expect(Object.fromEntries(result.darkVariables)).toEqual({
      '--atomic-color-white': 'oklch(0.15 0.02 260)',
      '--semantic-foreground-primary': 'var(--atomic-color-white)',
    });
    expect(result.variables.get('--component-card-background')).toBe('var(--semantic-background-canvas)');
    expect(result.css).toContain('.dark {\n  --atomic-color-white: oklch(0.15 0.02 260);');
    expect(result.css).not.toContain('@media');
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('resolve mode: every token whose final value changes is in the dark block', () => {
    const result = generate(theme, { references: 'resolve' });
    expect(Object.fromEntries(result.darkVariables)).toEqual({
      '--atomic-color-white': 'oklch(0.15 0.02 260)',
      '--semantic-background-canvas': 'oklch(0.15 0.02 260)',
      '--semantic-foreground-primary': 'oklch(0.15 0.02 260)',
      '--component-card-background': 'oklch(0.15 0.02 260)',
    });
    expect(result.resolved.dark.get('--component-card-background')).toBe('oklch(0.15 0.02 260)');
    expect(result.resolved.dark.get('--atomic-color-ink')).toBe('oklch(0.2 0.02 260)');
  });

  it('repeats the overrides in @media (prefers-color-scheme: dark) when asked, under a custom selector', () => {
    const result = generate(theme, { darkMedia: true, darkSelector: '[data-theme="dark"]' });
    expect(result.css).toContain('[data-theme="dark"] {');
    expect(result.css).toContain('@media (prefers-color-scheme: dark) {\n  :root {\n    --atomic-color-white: oklch(0.15 0.02 260);');
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('minified output keeps the same rules and still parses', () => {
    const result = generate(theme, { darkMedia: true, minify: true, comments: true });
    expect(result.css).not.toMatch(/\n|: /);
    expect(result.css).toMatch(/^:root\{--atomic-color-white:oklch\(1 0 0\);/);
    expect(result.css).toContain('@media (prefers-color-scheme:dark){:root{');
    expect(cssParseErrors(result.css)).toEqual([]);
  });

  it('warns about a dark override for a token the light theme lacks', () => {
    const result = generate({ ...theme, darkMode: { tokens: { atomic: { color: { ghost: '#000' } } } } });
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'dark-only-token', path: 'darkMode.atomic.color.ghost' }));
    expect(result.darkVariables.size).toBe(0);
    expect(result.css).not.toContain('.dark');
  });

  it('gives the same hash for the same input and options, and a different one for other options', () => {
    expect(generate(theme).hash).toBe(generate(structuredClone(theme)).hash);
    expect(generate(theme).hash).not.toBe(generate(theme, { minify: true }).hash);
  });
});

describe('Tekton value shapes beyond the fixtures', () => {
  it('emits typography objects (font shorthand plus sub-variables), shadows and literal dotted strings', () => {
    const { variables, css } = generate({
      id: 't',
      tokens: {
        atomic: { size: { body: '16px' }, font: { sans: 'Inter, sans-serif' } },
        semantic: {},
        component: {
          text: { body: { fontFamily: 'atomic.font.sans', fontSize: 'atomic.size.body', fontWeight: 500, lineHeight: '1.5' } },
          card: { shadow: { x: '0', y: '2px', blur: '4px', spread: '0', color: { l: 0.2, c: 0, h: 0, alpha: 0.2 } } },
          version: { label: 'v1.2.3' },
        },
      },
    });
    expect(variables.get('--component-text-body')).toBe('500 var(--atomic-size-body)/1.5 var(--atomic-font-sans)');
    expect(variables.get('--component-text-body-font-size')).toBe('var(--atomic-size-body)');
    expect(variables.get('--component-card-shadow')).toBe('0 2px 4px 0 oklch(0.2 0 0 / 0.2)');
    expect(variables.get('--component-version-label')).toBe('v1.2.3');
    expect(cssParseErrors(css)).toEqual([]);
  });
});
