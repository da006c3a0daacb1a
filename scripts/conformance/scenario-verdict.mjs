// One scenario's checks (the suite's checks.json) → pass or fail, and why.

/**
 * @typedef {{ id: string, name?: string, description?: string, status: string, errorMessage?: string }} Check
 * @typedef {{ id: string, message: string }} CheckNote
 * @typedef {{ verdict: 'pass' | 'fail', passed: number, skipped: number, failures: CheckNote[], warnings: CheckNote[], fixtureGaps: CheckNote[] }} ScenarioVerdict
 */

// The suite fails a check it could not exercise, with this prefix (its "untestable" policy). When
// what was missing is one of the suite's own diagnostic fixtures (a `test_*` tool or hook), the
// check says nothing about dspec: it is reported as a fixture gap, not a failure. Any other
// "Not testable" (the server refused the probe, advertised what it does not serve) still fails.
const SUITE_FIXTURE_GAP = /^Not testable: .*\bdiagnostic (?:tool|hook) '(test_\w+)'/;

/**
 * @param {Check[]} checks
 * @returns {ScenarioVerdict}
 */
export function judgeScenario(checks) {
  /** @type {ScenarioVerdict} */
  const result = { verdict: 'pass', passed: 0, skipped: 0, failures: [], warnings: [], fixtureGaps: [] };
  if (checks.length === 0) {
    result.failures.push({ id: '(none)', message: 'the suite reported no checks for this scenario' });
  }
  for (const check of checks) {
    // A check without a message (some warnings) is described by what it checks.
    const note = { id: check.id, message: check.errorMessage ?? check.description ?? check.name ?? '' };
    if (check.status === 'SUCCESS') result.passed += 1;
    else if (check.status === 'SKIPPED') result.skipped += 1;
    else if (check.status === 'WARNING') result.warnings.push(note);
    else if (check.status === 'FAILURE' && SUITE_FIXTURE_GAP.test(note.message)) result.fixtureGaps.push(note);
    else if (check.status === 'FAILURE') result.failures.push(note);
  }
  result.verdict = result.failures.length === 0 ? 'pass' : 'fail';
  return result;
}
