import { describe, expect, it } from 'vitest';
import { exportScreen } from '../../src/screen/export-screen.js';
import type { GeneratedComponent, GenerateUnknown } from '../../src/screen/route-components.js';
import { testGate } from '../helpers/test-gate.js';

/**
 * When an export merges the ranges two components declare for one package, both must be able
 * to hold (`semver.intersects`): otherwise the export fails, naming both components. A spec that
 * is not a range (an `npm:` alias from a generator) fails it too.
 */

function screenOf(types: string[]) {
  return {
    id: 'ranges-screen',
    name: 'Ranges',
    shell: 'shell.web.dashboard',
    page: 'page.dashboard',
    sections: [{ id: 'main', pattern: 'section.stack', components: types.map((type) => ({ type, props: { label: type } })) }],
  };
}

function generated(name: string, dependencies: Record<string, string>): GeneratedComponent {
  return {
    name,
    files: [
      {
        path: `${name}.tsx`,
        contents: `import styles from './${name}.module.css';\n\nexport interface ${name}Props {\n  label: string;\n}\n\nexport function ${name}({ label }: ${name}Props) {\n  return <div className={styles.root}>{label}</div>;\n}\n`,
      },
      { path: `${name}.module.css`, contents: `.root {\n  color: var(--dspec-color-text);\n}\n` },
    ],
    dependencies,
  };
}

const generatorOf =
  (table: Record<string, Record<string, string>>): GenerateUnknown =>
  async (type) =>
    generated(type, table[type] ?? {});

describe('an export merges dependency ranges only when they can both hold', () => {
  it('fails naming both components when two ranges do not intersect', async () => {
    const result = await exportScreen(
      { screen: screenOf(['Sparkline', 'Gauge']), includeTests: false },
      { gate: testGate(), generateUnknown: generatorOf({ Sparkline: { 'date-fns': '^3.0.0' }, Gauge: { 'date-fns': '^4.1.0' } }) },
    );
    expect(result.success).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'dependency-conflict', file: 'package.fragment.json', message: expect.stringContaining('no version satisfies both') })]);
    // Components merge in name order: Gauge's range is listed first, Sparkline's is the one that cannot join it.
    expect(result.findings[0]!.message).toBe('Sparkline needs date-fns@^3.0.0 but Gauge needs date-fns@^4.1.0: no version satisfies both');
    expect(result.components.find((component) => component.type === 'Sparkline')).toMatchObject({ status: 'failed' });
  });

  it('a component wanting another React than the export pins fails it, naming the export', async () => {
    const result = await exportScreen({ screen: screenOf(['Sparkline']), includeTests: false }, { gate: testGate(), generateUnknown: generatorOf({ Sparkline: { react: '^18.2.0' } }) });
    expect(result.success).toBe(false);
    expect(result.findings[0]!.message).toContain('Sparkline needs react@^18.2.0 but the export needs react@^19.0.0');
  });

  it('refuses a spec that is not a range', async () => {
    const result = await exportScreen(
      { screen: screenOf(['Sparkline']), includeTests: false },
      { gate: testGate(), generateUnknown: generatorOf({ Sparkline: { 'date-fns': 'npm:left-pad@1.3.0' } }) },
    );
    expect(result.success).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'dependency-alias', message: expect.stringContaining('Sparkline: "date-fns": "npm:left-pad@1.3.0"') })]);
  });

  it('keeps the narrower of two ranges that intersect', async () => {
    const result = await exportScreen(
      { screen: screenOf(['Sparkline', 'Gauge']), includeTests: false },
      { gate: testGate(), generateUnknown: generatorOf({ Sparkline: { react: '^19.0.0' }, Gauge: { react: '^19.1.0' } }) },
    );
    expect(result.findings).toEqual([]);
    expect(result.success).toBe(true);
    expect(result.dependencies['react']).toBe('^19.1.0');
  });
});
