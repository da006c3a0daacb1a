import { describe, expect, it } from 'vitest';
import { judgeFixture, loadCorpus, loadThemeVariables, type CorpusFixture } from '../fixtures/validation/corpus.mjs';
import { testGate } from '../helpers/test-gate.js';
import { formatFindingsForHumans } from '../../src/validation/format-findings.js';

const corpus: CorpusFixture[] = loadCorpus();
const themeVariables = loadThemeVariables();

describe('the validation corpus', () => {
  it('holds at least 60 defects and 20 clean components', () => {
    expect(corpus.filter((f) => f.kind === 'defects').length).toBeGreaterThanOrEqual(60);
    expect(corpus.filter((f) => f.kind === 'clean').length).toBeGreaterThanOrEqual(20);
  });

  it.each(corpus.filter((f) => f.kind === 'defects').map((f) => [f.id, f] as const))('catches defect %s with the right rule and layer', async (_id, fixture) => {
    const result = await testGate().validate(fixture.bundle, { themeVariables });
    const verdict = judgeFixture(fixture, result);
    expect(verdict.ok, `expected ${JSON.stringify(fixture.expect)}; layers ${result.layersRun.join('>')}\n${formatFindingsForHumans(verdict.findings)}`).toBe(true);
  });

  it.each(corpus.filter((f) => f.kind === 'clean').map((f) => [f.id, f] as const))('passes clean component %s without errors or warnings', async (_id, fixture) => {
    const result = await testGate().validate(fixture.bundle, { themeVariables });
    expect(formatFindingsForHumans([...result.errors, ...result.warnings])).toBe('no problems found\n');
    expect(result.layersRun).toEqual(['schema', 'syntax', 'types', 'design-system', 'a11y', 'tests']);
  });
});
