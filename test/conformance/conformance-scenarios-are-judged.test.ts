import { describe, expect, it } from 'vitest';
import { REVISIONS, SCENARIOS, compareWithSuite } from '../../scripts/conformance/scenarios.mjs';
import { judgeScenario } from '../../scripts/conformance/scenario-verdict.mjs';
import { listServerScenarios, parseServerScenarios } from '../../scripts/conformance/suite-cli.mjs';

/**
 * What `npm run test:conformance` counts: every server scenario the pinned suite holds for a
 * revision is either run against dspec or listed as not applicable with a reason, and a
 * scenario's checks turn into a verdict that only dspec's own failures can turn red.
 */

describe('scenario table', () => {
  it.each(REVISIONS)('places every server scenario the installed suite lists for %s, and nothing it does not list', async (revision) => {
    const listed = await listServerScenarios(revision);
    expect(listed.length).toBeGreaterThan(10);
    expect(compareWithSuite(revision, listed)).toEqual({ unplaced: [], stale: [] });
  });

  it.each(REVISIONS)('never both runs and excuses a scenario in %s, and gives every excuse a reason', (revision) => {
    const { applicable, notApplicable } = SCENARIOS[revision];
    expect(applicable.filter((name) => name in notApplicable)).toEqual([]);
    for (const reason of Object.values(notApplicable)) expect(reason.length).toBeGreaterThan(20);
  });

  it('reports a scenario the suite added, and one it dropped', () => {
    const listed = [...SCENARIOS['2025-11-25'].applicable.filter((name) => name !== 'ping'), 'brand-new-scenario', ...Object.keys(SCENARIOS['2025-11-25'].notApplicable)];
    expect(compareWithSuite('2025-11-25', listed)).toEqual({ unplaced: ['brand-new-scenario'], stale: ['ping'] });
  });

  it("reads scored and unscored server scenarios from the suite's listing, and no client ones", () => {
    const listing = [
      'Required for 2025-11-25 (3 scenarios, frozen; run at the 2025-11-25 wire):',
      '',
      'Server scenarios (test against a server):',
      '  - server-initialize',
      '  - ping',
      '',
      'Client scenarios (test against a client):',
      '  - initialize',
      '',
      'Run and reported, but never scored:',
      '  added-after-release (2):',
      '    - server-session-lifecycle [server]',
      '    - json-schema-2020-12-preservation [client]',
    ].join('\n');
    expect(parseServerScenarios(listing)).toEqual(['server-initialize', 'ping', 'server-session-lifecycle']);
  });
});

describe('scenario verdict', () => {
  const check = (id: string, status: string, errorMessage?: string) => ({ id, status, errorMessage });

  it('passes on successes, warnings and skips, and keeps the warnings', () => {
    const verdict = judgeScenario([check('tools-list', 'SUCCESS'), check('hint', 'WARNING', 'SHOULD send x'), check('sessions', 'SKIPPED'), check('log', 'INFO')]);
    expect(verdict).toEqual({ verdict: 'pass', passed: 1, skipped: 1, failures: [], warnings: [{ id: 'hint', message: 'SHOULD send x' }], fixtureGaps: [] });
  });

  it('fails on any failed check and names it with its message', () => {
    const verdict = judgeScenario([check('tools-list', 'SUCCESS'), check('caching', 'FAILURE', 'no endpoints returned ttlMs')]);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.failures).toEqual([{ id: 'caching', message: 'no endpoints returned ttlMs' }]);
  });

  it("sets aside checks that could not run for want of the suite's own test_* diagnostic tool", () => {
    const gap = "Not testable: server does not list the diagnostic tool 'test_logging_tool' in tools/list, so the no-log-without-logLevel requirement could not be exercised";
    const verdict = judgeScenario([check('discover', 'SUCCESS'), check('no-log', 'FAILURE', gap)]);
    expect(verdict.verdict).toBe('pass');
    expect(verdict.fixtureGaps).toEqual([{ id: 'no-log', message: gap }]);
  });

  it('still fails a check that was not testable for any other reason', () => {
    const verdict = judgeScenario([check('headers', 'FAILURE', 'Not testable: tools/list discovery failed, so the Mcp-Name header-validation cases could not be exercised')]);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.fixtureGaps).toEqual([]);
  });

  it('fails a scenario that reported no checks at all', () => {
    expect(judgeScenario([])).toMatchObject({ verdict: 'fail', failures: [{ id: '(none)', message: 'the suite reported no checks for this scenario' }] });
  });
});
