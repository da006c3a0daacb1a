import { describe, expect, it } from 'vitest';
import { formatReport } from '../../scripts/conformance/conformance-report.mjs';
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

  it('describes a warning that carries no message by what its check checks', () => {
    const verdict = judgeScenario([{ id: 'session', name: 'Session', description: 'Server provides session ID', status: 'WARNING' }]);
    expect(verdict.warnings).toEqual([{ id: 'session', message: 'Server provides session ID' }]);
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

describe('report', () => {
  const result = (scenario: string, verdict: ReturnType<typeof judgeScenario>) => ({ scenario, suiteExitCode: verdict.verdict === 'pass' ? 0 : 1, ...verdict });

  it('shows each scenario per revision, with n/a for the excused and the failing check with its message', () => {
    const report = formatReport({
      title: 'MCP conformance test',
      revisions: ['2025-11-25', '2026-07-28'],
      only: ['ping', 'caching', 'tools-call-image'],
      results: {
        '2025-11-25': [result('ping', judgeScenario([{ id: 'ping', status: 'SUCCESS' }]))],
        '2026-07-28': [result('caching', judgeScenario([{ id: 'sep-2549-ttl-non-negative', status: 'FAILURE', errorMessage: 'no endpoints returned ttlMs' }]))],
      },
    });
    expect(report).toMatch(/^ping +pass +-$/m);
    expect(report).toMatch(/^caching +- +FAIL \(1 failed\)$/m);
    expect(report).toMatch(/^tools-call-image +n\/a +n\/a$/m);
    expect(report).toContain('Failures:\n  2026-07-28 caching [sep-2549-ttl-non-negative]: no endpoints returned ttlMs');
    expect(report).toContain(`tools-call-image (2025-11-25, 2026-07-28): ${SCENARIOS['2025-11-25'].notApplicable['tools-call-image']}`);
    expect(report).not.toContain('tools-list');
  });

  it('says when a pass carries warnings or skips', () => {
    const report = formatReport({
      title: 't',
      revisions: ['2025-11-25'],
      only: ['ping', 'server-session-lifecycle', 'tools-list'],
      results: {
        '2025-11-25': [
          result(
            'ping',
            judgeScenario([
              { id: 'ping', status: 'SUCCESS' },
              { id: 'a', status: 'WARNING' },
              { id: 'b', status: 'WARNING' },
            ]),
          ),
          result('server-session-lifecycle', judgeScenario([{ id: 'delete', status: 'SKIPPED' }])),
          result(
            'tools-list',
            judgeScenario([
              { id: 'tools-list', status: 'SUCCESS' },
              { id: 'delete', status: 'SKIPPED' },
            ]),
          ),
        ],
      },
    });
    expect(report).toMatch(/^ping +pass \(2 warnings\)$/m);
    expect(report).toMatch(/^server-session-lifecycle +pass \(all skipped\)$/m);
    expect(report).toMatch(/^tools-list +pass \(1 skipped\)$/m);
  });
});
