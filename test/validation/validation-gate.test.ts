import { describe, expect, it } from 'vitest';
import type { BundleTypeChecker } from '../../src/validation/type-checker.js';
import { testGate } from '../helpers/test-gate.js';
import { bundleOf, card, CSS } from './support.js';

/** A type layer that finds nothing and counts what it is asked. */
function countingChecker(): BundleTypeChecker & { checked: number; closed: number } {
  const checker = {
    checked: 0,
    closed: 0,
    async check() {
      checker.checked++;
      return [];
    },
    close() {
      checker.closed++;
    },
  };
  return checker;
}

describe('a validation gate', () => {
  it('runs the type layer on the checker it owns, and a sibling gate shares its linters but not its checker', async () => {
    const own = countingChecker();
    // Over the run's warm linters, so this file loads no ESLint or Stylelint of its own.
    const gate = testGate().withTypeChecker(own);
    const other = countingChecker();
    const sibling = gate.withTypeChecker(other);
    expect(sibling.tools.accessibility).toBe(gate.tools.accessibility);
    expect(sibling.tools.stylesheets).toBe(gate.tools.stylesheets);

    // A syntax error stops before the type layer; a parsable bundle reaches it.
    await gate.validate(bundleOf({ 'Card.tsx': 'export function Card( {', 'Card.module.css': CSS }));
    expect(own.checked).toBe(0);
    const parsable = bundleOf({ 'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'), 'Card.module.css': CSS });
    expect((await gate.validate(parsable)).layersRun).toContain('types');
    expect(own.checked).toBe(1);
    await sibling.validate(parsable);
    expect(other.checked).toBe(1);
    expect(own.checked).toBe(1);
  });

  it('when closed, closes its checker once and refuses later bundles', async () => {
    const own = countingChecker();
    const gate = testGate().withTypeChecker(own);
    gate.close();
    gate.close();
    expect(own.closed).toBe(1);
    expect(gate.closed).toBe(true);
    await expect(gate.validate(bundleOf({ 'Card.tsx': card('<p />') }))).rejects.toThrow(/validation gate is closed/);
    // The gate it was made from keeps its own checker and stays open.
    expect(testGate().closed).toBe(false);
  });
});
