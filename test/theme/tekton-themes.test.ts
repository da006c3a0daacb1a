import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { JsonParseError, ThemeError } from '../../src/errors.js';
import { parseThemeText } from '../../src/theme/parse-theme-text.js';
import { describeWithShared, hasShared, sharedPath } from '../helpers/shared-fixtures.js';
import { cssParseErrors, generate, generateError } from './theme-test-support.js';

const THEMES_DIR = sharedPath('fixtures', 'tekton-themes');
const MALFORMED = 'linear-minimal-v1.json';
/** As published, classic-magazine refers to `atomic.color.white`, which it never defines (it has `atomic.color.neutral.white`). */
const BROKEN_REFERENCE = 'classic-magazine-v1.json';
const validThemes = hasShared ? readdirSync(THEMES_DIR).filter((file) => file.endsWith('.json') && file !== MALFORMED && file !== BROKEN_REFERENCE) : [];

function loadTheme(file: string): unknown {
  return parseThemeText(readFileSync(`${THEMES_DIR}/${file}`, 'utf8'), file);
}

describeWithShared('Tekton fixture themes', () => {
  it('finds the six valid fixtures', () => {
    expect(validThemes).toHaveLength(6);
  });

  it.each(validThemes)('%s becomes CSS that parses back, with every section present', (file) => {
    const theme = loadTheme(file) as Record<string, unknown>;
    const result = generate(theme);
    expect(result.format).toBe('tekton');
    expect(result.themeId).toBe(theme.id);
    expect(cssParseErrors(result.css)).toEqual([]);
    for (const section of ['atomic', 'semantic', 'state-layer', 'elevation', 'typography', 'motion', 'border', 'density']) {
      expect(
        [...result.variables.keys()].some((name) => name.startsWith(`--${section}-`)),
        section,
      ).toBe(true);
    }
    expect(result.css).not.toContain('[object Object]');
    expect(result.css).not.toMatch(/--(id|name|schema-version|brand-tone|design-dna)\b/);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('emits saas-minimal values exactly', () => {
    const { variables, resolved } = generate(loadTheme('saas-minimal-v1.json'));
    expect(variables.get('--atomic-color-brand-500')).toBe('oklch(0.55 0.12 265)');
    expect(variables.get('--atomic-color-white')).toBe('oklch(1 0 0)');
    expect(variables.get('--semantic-background-canvas')).toBe('var(--atomic-color-neutral-50)');
    expect(variables.get('--semantic-background-surface-default')).toBe('var(--atomic-color-white)');
    expect(variables.get('--elevation-level-1')).toBe('0 1px 4px rgba(0,0,0,0.04)');
    expect(variables.get('--elevation-context-card-default')).toBe('var(--elevation-level-1)');
    expect(variables.get('--typography-font-family-sans')).toBe('Inter, sans-serif');
    expect(variables.get('--typography-font-weight-semi-bold')).toBe('600');
    expect(variables.get('--state-layer-disabled-content-opacity')).toBe('0.38');
    expect(variables.get('--motion-easing-decelerate')).toBe('cubic-bezier(0,0,0.2,1)');
    expect(variables.get('--density-mode')).toBe('comfortable');
    expect(variables.get('--border-radius-circle')).toBe('50%');
    expect(resolved.light.get('--semantic-background-canvas')).toBe('oklch(0.99 0.005 265)');
    expect(resolved.light.get('--elevation-context-modal')).toBe('0 4px 16px rgba(0,0,0,0.1)');
  });

  it('emits resolved values in resolve mode', () => {
    const { variables } = generate(loadTheme('saas-minimal-v1.json'), { references: 'resolve' });
    expect(variables.get('--semantic-background-brand-default')).toBe('oklch(0.55 0.12 265)');
    expect([...variables.values()].some((value) => value.includes('var('))).toBe(false);
  });

  it('reports the broken reference in classic-magazine with the token path and the likely target', () => {
    const error = generateError(loadTheme(BROKEN_REFERENCE));
    expect(error).toBeInstanceOf(ThemeError);
    expect(error.issues).toEqual([
      {
        path: 'semantic.background.surface.default',
        code: 'broken-reference',
        message: 'refers to atomic.color.white, which does not exist',
        suggestion: 'did you mean atomic.color.neutral.white?',
      },
    ]);
  });

  it('reports the malformed linear-minimal theme with the line and column of the fault', () => {
    const text = readFileSync(`${THEMES_DIR}/${MALFORMED}`, 'utf8');
    let error: unknown;
    try {
      parseThemeText(text, MALFORMED);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JsonParseError);
    const { line, column, message } = error as JsonParseError;
    expect({ line, column }).toEqual({ line: 16, column: 16 });
    expect(message).toContain(`${MALFORMED}:16:16`);
    // The reported position is the stray character after `"atomic": {`.
    expect(text.split('\n')[line - 1]![column - 1]).toBe('적');
  });
});
