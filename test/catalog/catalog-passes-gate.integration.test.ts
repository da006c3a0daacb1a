import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CONTRACT_VARIABLES } from '../../src/catalog/contract.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { buildTier1Bundle } from '../../src/catalog/tier1-bundle.js';
import { generateThemeCss } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../src/theme/schemas.js';
import { themeVariablesOf } from '../../src/validation/theme-variables.js';
import { testGate } from '../helpers/test-gate.js';
import { describeWithShared, sharedPath } from '../helpers/shared-fixtures.js';

function fixtureThemes(): Array<{ file: string; theme: unknown }> {
  const directory = sharedPath('fixtures/tekton-themes');
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      try {
        return [{ file, theme: JSON.parse(readFileSync(`${directory}/${file}`, 'utf8')) }];
      } catch {
        return []; // linear-minimal-v1.json is malformed on purpose; its own test covers it
      }
    });
}

const plainDtcg = {
  color: { $type: 'color', brand: { $value: '#3355ff' }, text: { $value: '#111111' }, background: { $value: '#ffffff' } },
  space: { $type: 'dimension', md: { $value: { value: 16, unit: 'px' } } },
};

describeWithShared('every catalog component passes the gate against every theme', () => {
  const themes = [...fixtureThemes(), { file: 'plain DTCG token file', theme: plainDtcg }];
  const usable = themes.flatMap(({ file, theme }) => {
    try {
      return [{ file, css: generateThemeCss(theme, ThemeCssOptionsSchema.parse({}), { defaultBindings: CONTRACT_VARIABLES }) }];
    } catch {
      return []; // a theme that cannot become CSS (classic-magazine's broken reference) binds nothing
    }
  });

  it('has at least six usable fixture themes and the plain DTCG file', () => {
    expect(usable.length).toBeGreaterThanOrEqual(7);
  });

  it('defines, in each theme, every variable each component reads', async () => {
    const catalog = await loadCatalog();
    for (const { file, css } of usable) {
      for (const entry of catalog.components.values()) {
        const missing = entry.meta.cssVariables.filter((name) => !css.variables.has(name));
        expect(missing, `${entry.meta.name} with ${file}`).toEqual([]);
      }
    }
  });

  it('finds nothing in any component, with any theme', { timeout: 300_000 }, async () => {
    const catalog = await loadCatalog();
    for (const { file, css } of usable) {
      const themeVariables = themeVariablesOf(css);
      for (const entry of catalog.components.values()) {
        const bundle = await buildTier1Bundle(catalog, entry);
        const result = await testGate().validate(bundle, { themeVariables });
        expect([...result.errors, ...result.warnings], `${entry.meta.name} with ${file}`).toEqual([]);
      }
    }
  });
});
