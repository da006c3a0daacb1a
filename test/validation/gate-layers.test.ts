import { describe, expect, it } from 'vitest';
import { VALIDATOR_VERSION } from '../../src/validation/validate-bundle.js';
import { testGate } from '../helpers/test-gate.js';
import { formatFindingsForHumans, formatFindingsForRepair } from '../../src/validation/format-findings.js';
import { FindingSchema, type Finding } from '../../src/shapes/finding.js';
import { bundleOf, card, CSS, THEME } from './support.js';

describe('the gate', () => {
  it('stops at the first layer with errors but reports everything within it', async () => {
    const result = await testGate().validate(bundleOf({ 'Card.tsx': 'export function Card() {\n  1 = 2;\n  let y = 1; let y = 2;\n  return <p>{y}</p>;\n}\n', 'Card.module.css': '.a { color: red' }), {
      themeVariables: THEME,
    });
    expect(result.layersRun).toEqual(['schema', 'syntax']);
    expect(result.errors.map((f) => `${f.file}:${f.line} ${f.code}`)).toEqual(expect.arrayContaining(['Card.module.css:1 css-syntax-error']));
    expect(result.errors.filter((f) => f.file === 'Card.tsx').length).toBeGreaterThanOrEqual(2);
    for (const f of result.errors) FindingSchema.parse(f);
  });

  it('rejects malformed bundles in the schema layer without throwing', async () => {
    for (const input of [null, 'x', { name: 'Card' }, { name: 'Card', files: [{ path: 'a\\b.tsx', contents: '' }] }]) {
      const result = await testGate().validate(input);
      expect(result.valid).toBe(false);
      expect(result.layersRun).toEqual(['schema']);
    }
  });

  it('exposes a version for cache keys', () => {
    expect(VALIDATOR_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs every layer on a clean component', async () => {
    const result = await testGate().validate(bundleOf({ 'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'), 'Card.module.css': CSS }), { themeVariables: THEME });
    expect(result).toMatchObject({ valid: true, errors: [], warnings: [], layersRun: ['schema', 'syntax', 'types', 'design-system', 'a11y', 'tests'] });
  });
});

describe('formatting findings', () => {
  const make = (i: number, layer: Finding['layer'] = 'design-system'): Finding => ({
    layer,
    severity: 'error',
    code: 'colour-literal',
    message: `hard-coded hex colour #${String(i).padStart(3, '0')} in style property "color"`,
    file: 'Card.tsx',
    line: i + 1,
    column: 3,
    suggestion: 'Use a theme variable.',
  });

  it('prints compiler-style lines for people', () => {
    expect(formatFindingsForHumans([make(1)])).toBe(
      'Card.tsx:2:3  error  colour-literal  hard-coded hex colour #001 in style property "color"\n    hint: Use a theme variable.\n1 error, 0 warnings\n',
    );
  });

  it('groups by layer for an LLM and caps the size with "… N more"', () => {
    const findings = [...Array.from({ length: 200 }, (_, i) => make(i)), make(0, 'types')];
    const text = formatFindingsForRepair(findings, { maxChars: 1500 });
    expect(text.length).toBeLessThanOrEqual(1500);
    expect(text.indexOf('[types]')).toBeLessThan(text.indexOf('[design-system]'));
    expect(text).toMatch(/… \d+ more$/);
    expect(formatFindingsForRepair(findings.slice(0, 2))).not.toContain('more');
  });
});
