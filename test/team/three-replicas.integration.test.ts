import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttpTransport } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyHttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { randomScheduleForFile } from '../helpers/seeded-random.js';
import { BIN, baseEnv, ensureBuilt, reportFigures, resultOf, sleep, textOf } from '../reliability/support/built-server.js';
import { startReplicaSet, type ReplicaSet } from './replicas.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';
import { detectEra, postRpc, type ProtocolEra } from './stateless-requests.js';
import { homeOf, ledgerTotals, realEnginesBackend, sharedHomeBackend, verifyCache, type TeamBackend } from './team-backends.js';

/**
 * The team acceptance of issue 22: three built replicas behind a round-robin proxy with no
 * affinity, one shared cache and one shared ledger and budget. 200 concurrent Tier 2
 * generations of 20 distinct specs against the contract fake Anthropic API under a $0.50 daily
 * budget set with the CLI, while one replica is SIGKILLed and restarted part-way (at a seeded
 * point of the run, never at a time). Then a 2026-07-28 client and a 2025-11-25 client each
 * list and call every tool and read every resource through the proxy.
 */

const REPLICAS = 3;
const CALLS = 200;
const DISTINCT_SPECS = 20;
const DAILY_BUDGET_USD = 0.5;
const MODEL = 'claude-sonnet-4-6';
// Live calls renew their holds every third of this; only the killed replica's lapse, this long after its death.
const HOLD_TTL_MS = 30_000;
const MAX_CONCURRENT_CALLS = 6;
const specDescription = (spec: number) => `Team spec ${spec}: a card showing one key figure with its label and change.`;

let cwd: string;
let backend: TeamBackend;
let fake: FakeAnthropicServer;
let replicas: ReplicaSet;
let proxy: RoundRobinProxy;
let era: ProtocolEra;
let env: Record<string, string>;
const schedule = randomScheduleForFile('three-replicas');

beforeAll(async () => {
  ensureBuilt();
  cwd = mkdtempSync(path.join(tmpdir(), 'dspec-three-replicas-'));
  // DSPEC_TEAM_BACKEND=shared-home runs the same checks on one shared .dspec/ (today's file backends).
  backend = process.env.DSPEC_TEAM_BACKEND === 'shared-home' ? sharedHomeBackend(homeOf(cwd)) : await realEnginesBackend({ cwd, baseEnv: baseEnv(cwd) });
  fake = await startFakeAnthropicServer();
  for (let i = 0; i < 2 * CALLS; i++) fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
  env = baseEnv(cwd, {
    ...backend.env,
    ANTHROPIC_API_KEY: 'sk-ant-three-replicas',
    ANTHROPIC_BASE_URL: fake.baseURL,
    DSPEC_PROVIDER: 'anthropic',
    DSPEC_MODEL: MODEL,
    // Below each replica's share of the burst, so "busy" answers happen and are retried.
    DSPEC_MAX_CONCURRENT_CALLS: String(MAX_CONCURRENT_CALLS),
    // A database hold outlives a killed replica until it lapses (live calls renew theirs), so the
    // killed replica's holds free the budget within the run.
    DSPEC_RESERVATION_TTL_MS: String(HOLD_TTL_MS),
  });
  // The budget is set the way an operator sets it: with the CLI, against the shared backend.
  execFileSync(process.execPath, [BIN, 'cost', 'budget', '--daily', String(DAILY_BUDGET_USD)], { cwd, env, stdio: 'ignore' });
  // A key per replica and start, so the fake can tell which process made each vendor request.
  const envOfStart = (index: number, start: number) => ({ ANTHROPIC_API_KEY: `sk-ant-replica-${index}-start-${start}` });
  replicas = await startReplicaSet({ count: REPLICAS, cwd, env, envOfStart, serveArgs: await serveArgsOfBuiltServer() });
  proxy = await startRoundRobinProxy({ upstreams: replicas.origins });
  era = await detectEra(`${proxy.url}/mcp`);
});

afterAll(async () => {
  await proxy?.close();
  await replicas?.stop();
  await fake?.close();
  await backend?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

/** `serve --http` is stateless where sessions are opt-in (`--sessions`, SDK v2); before that, `--stateless` asks for it. */
async function serveArgsOfBuiltServer(): Promise<string[]> {
  const help = execFileSync(process.execPath, [BIN, 'serve', '--help'], { encoding: 'utf8' });
  return /--sessions\b/.test(help) || !/--stateless\b/.test(help) ? ['serve', '--http'] : ['serve', '--http', '--stateless'];
}

type Outcome = 'generated' | 'cache_hit' | 'budget' | 'other_error';

/** A budget refusal says what was spent, what calls in flight hold and this call's worst case (src/cost/budget-checks.ts). */
function refusedOnlyForHolds(message: string): boolean {
  const figures = /\$([\d.]+) spent, \$([\d.]+) held by calls in flight, and this call's worst case is \$([\d.]+)/.exec(message);
  if (!figures) throw new Error(`a budget refusal without its figures: ${message}`);
  const [spent, held, worstCase] = figures.slice(1).map(Number) as [number, number, number];
  return held > 0 && spent + worstCase <= DAILY_BUDGET_USD;
}

describe('three replicas behind a round-robin proxy', () => {
  it(`serve ${CALLS} concurrent Tier 2 generations of ${DISTINCT_SPECS} specs with one replica killed: budget held, every attempt on the ledger, each spec paid once`, async () => {
    schedule.reportSeedOnFailure();
    const mcpUrl = `${proxy.url}/mcp`;
    // Kill after a seeded number of finished calls, while most are still in flight.
    const killAfter = 20 + schedule.below(60);
    const victim = schedule.below(REPLICAS);
    let finished = 0;
    let crash: Promise<void> | undefined;
    let killedPid: number | undefined;
    const retried = { busy: 0, badGateway: 0, transport: 0, budgetHeldByCallsInFlight: 0 };
    const otherErrors: string[] = [];

    const callOnce = async (index: number): Promise<Outcome> => {
      const description = specDescription(index % DISTINCT_SPECS);
      for (;;) {
        let answer: Awaited<ReturnType<typeof postRpc>>;
        try {
          answer = await postRpc(mcpUrl, era, 'tools/call', { name: 'generate_component', arguments: { name: 'StatCard', description, theme: STAT_CARD_THEME } });
        } catch (error) {
          // The killed replica's open streams end mid-answer: the client retries, as MCP clients
          // do, and the retry is served from the cache or the shared ledger's in-flight work.
          retried.transport++;
          expect(String((error as { cause?: { code?: string } }).cause?.code)).toMatch(/ECONNRESET|UND_ERR_SOCKET|EPIPE|UND_ERR_CLOSED/);
          continue;
        }
        if (answer.status === 502) {
          // The proxy's answer for a request the killed replica had received: never replayed by it.
          retried.badGateway++;
          continue;
        }
        expect(answer.status, answer.raw.slice(0, 300)).toBe(200);
        const result = resultOf(answer.body);
        if (!result.isError) return (result.structuredContent as { cacheHit: boolean }).cacheHit ? 'cache_hit' : 'generated';
        const text = textOf(result);
        if (/^BUSY\b/.test(text)) {
          retried.busy++;
          await sleep(50 + schedule.below(200));
          continue;
        }
        if (/budget/i.test(text) && /would be exceeded/.test(text)) {
          if (!refusedOnlyForHolds(text)) return 'budget';
          // Spent plus this call's worst case fits: only the holds of calls in flight are in the
          // way, and they settle (or lapse) soon. A client that reads the message waits and retries.
          retried.budgetHeldByCallsInFlight++;
          await sleep(50 + schedule.below(200));
          continue;
        }
        otherErrors.push(text.slice(0, 300));
        return 'other_error';
      }
    };
    const track = async (index: number): Promise<Outcome> => {
      const outcome = await callOnce(index);
      finished++;
      if (finished === killAfter) {
        crash = (async () => {
          killedPid = replicas.replicas[victim]!.child.pid;
          await replicas.kill(victim);
          await replicas.restart(victim);
        })();
      }
      return outcome;
    };

    const outcomes = await Promise.all(Array.from({ length: CALLS }, (_, index) => track(index)));
    await crash;
    const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;

    // The vendor's view: which spec each paid request was for.
    const vendorAttempts = fake.requests.filter((request) => request.url.split('?')[0] === '/v1/messages');
    const vendorAttemptsByProcess: Record<string, number> = {};
    for (const request of vendorAttempts) {
      // The Anthropic SDK sends the key as a bearer token (older versions as x-api-key).
      const key = String(request.headers.authorization ?? request.headers['x-api-key']).replace(/^(Bearer )?sk-ant-/, '');
      vendorAttemptsByProcess[key] = (vendorAttemptsByProcess[key] ?? 0) + 1;
    }
    const paidPerSpec = Array.from({ length: DISTINCT_SPECS }, (_, spec) => vendorAttempts.filter((request) => JSON.stringify(request.body).includes(specDescription(spec))).length);

    // The killed replica's holds of calls in flight lapse after their TTL; the sweep any replica
    // runs then charges each as an abandoned line at its worst case (the call may have been billed).
    const sweep = await backend.sweepReservations(HOLD_TTL_MS + 1000);
    const heldReservations = sweep.held;
    const cli = { cwd, env };
    const ledger = (await ledgerTotals(cli)).value;
    const verify = await verifyCache(cli);
    const unsuccessful = await backend.unsuccessfulAttempts();
    const abandoned = unsuccessful.filter((line) => line.errorCategory === 'abandoned').length;
    const killedProcessKey = `replica-${victim}-start-1`;
    const paidByKilledPerSpec = Array.from(
      { length: DISTINCT_SPECS },
      (_, spec) =>
        vendorAttempts.filter(
          (request) => JSON.stringify(request.body).includes(specDescription(spec)) && String(request.headers.authorization ?? request.headers['x-api-key']).includes(killedProcessKey),
        ).length,
    );

    reportFigures('three-replicas', {
      backend: backend.name,
      protocolEra: era,
      calls: CALLS,
      distinctSpecs: DISTINCT_SPECS,
      dailyBudgetUsd: DAILY_BUDGET_USD,
      killed: { replica: victim, afterFinishedCalls: killAfter, starts: replicas.starts },
      outcomes: { generated: count('generated'), cacheHits: count('cache_hit'), refusedByBudget: count('budget'), otherErrors: count('other_error') },
      retried,
      proxy: { answeredBy: Object.fromEntries(proxy.answeredBy()), refusedConnects: proxy.refusedConnects, badGateways: proxy.badGateways },
      vendorAttempts: vendorAttempts.length,
      vendorAttemptsByProcess,
      paidPerSpec,
      ledger,
      cache: { checked: verify.value.checked, passed: verify.value.passed, failed: verify.value.failed.length },
      unsuccessfulAttempts: unsuccessful,
      sweep: { chargedAsAbandoned: sweep.charged, heldAfter: heldReservations.length, killedPid },
    });

    expect(otherErrors, otherErrors.join('\n---\n')).toEqual([]);
    // Nothing lost: every call ended with an answer a client can act on.
    expect(count('generated') + count('cache_hit') + count('budget')).toBe(CALLS);
    // The replica really died and came back, and requests went to it both times.
    expect(replicas.starts[victim]).toBe(2);
    expect(replicas.replicas[victim]!.child.exitCode).toBeNull();
    // Budget: the whole team's spend stays within the day's budget.
    expect(ledger.totals.cost).toBeLessThanOrEqual(DAILY_BUDGET_USD + 1e-9);
    expect(ledger.ledger.corruptLines).toBe(0);
    // Every vendor attempt is on the ledger. The only lines the vendor may not have seen are the
    // abandoned ones: holds of the killed replica's calls in flight, charged at their worst case
    // whether or not the request left the process before it died.
    const explain = `vendor attempts by process ${JSON.stringify(vendorAttemptsByProcess)}, killed ${killedProcessKey}; unsuccessful attempt lines: ${JSON.stringify(unsuccessful)}`;
    // Lapsed holds are charged by whichever sweep sees them first: a live replica's during the run,
    // or the final one. They can only be the killed replica's, at most one per call it had in flight.
    expect(sweep.charged, explain).toBeLessThanOrEqual(abandoned);
    expect(abandoned, explain).toBeLessThanOrEqual(MAX_CONCURRENT_CALLS);
    expect(vendorAttempts.length, explain).toBeLessThanOrEqual(ledger.totals.llmCalls);
    expect(vendorAttempts.length, explain).toBeGreaterThanOrEqual(ledger.totals.llmCalls - abandoned);
    // Each distinct spec paid once: the other replicas served it from the shared cache (none if
    // the budget ran out before any of its calls could be made). The one exception SIGKILL makes:
    // a spec whose answer died with the killed replica (paid, not yet cached) is paid once more by
    // the replica that takes its claim over.
    const servedSpecs = new Set(outcomes.flatMap((outcome, index) => (outcome === 'budget' ? [] : [index % DISTINCT_SPECS])));
    expect(
      paidPerSpec.map((paid, spec) => `spec ${spec}: paid ${paid}`),
      explain,
    ).toEqual(paidPerSpec.map((paid, spec) => `spec ${spec}: paid ${Math.min(paid, (servedSpecs.has(spec) ? 1 : 0) + paidByKilledPerSpec[spec]!)}`));
    for (const [spec, paid] of paidPerSpec.entries()) if (servedSpecs.has(spec)) expect(paid, `spec ${spec}`).toBeGreaterThanOrEqual(1);
    // No reservation left held once the sweep has run: every live call settled its hold, and the
    // killed replica's lapsed holds became abandoned lines.
    expect(heldReservations).toEqual([]);
    // Every cache entry verifies.
    expect(verify.exitCode).toBe(0);
    expect(verify.value.failed).toEqual([]);
    expect(verify.value.checked).toBeGreaterThan(0);
    expect(verify.value.checked).toBeLessThanOrEqual(DISTINCT_SPECS);
  }, 900_000);

  /** Arguments that make each tool do its real work without spending money. */
  const toolArguments = (): Record<string, Record<string, unknown>> => {
    const statusPill = path.resolve('examples/validate-component');
    return {
      generate_theme_css: { theme: JSON.parse(readFileSync('test/fixtures/themes/tiny-tekton.json', 'utf8')) as unknown },
      generate_component: { name: 'Button', props: { variant: 'primary' } },
      validate_component: { name: 'StatusPill', files: readdirSync(statusPill).map((file) => ({ path: file, contents: readFileSync(path.join(statusPill, file), 'utf8') })) },
      export_screen: { screen: JSON.parse(readFileSync('examples/preview-screen.json', 'utf8')) as unknown },
      preview_document: { name: 'Dialog', mode: 'dark' },
      preview: { name: 'Button' },
      cost_report: { view: 'summary', period: 'all' },
      cache_stats: {},
      // A handle no replica minted: answered "unknown" (not an error) by whichever replica gets it.
      job_status: { handle: `job_${'0'.repeat(32)}` },
    };
  };

  /** The calls any MCP client makes, whichever SDK generation it is built on. */
  interface ClientCalls {
    listTools(): Promise<{ tools: Array<{ name: string }> }>;
    callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
    listResources(): Promise<{ resources: Array<{ uri: string }> }>;
    readResource(params: { uri: string }): Promise<{ contents: unknown[] }>;
  }

  const driveEveryToolAndResource = async (client: ClientCalls) => {
    const before = proxy.servedSequence.length;
    const { tools } = await client.listTools();
    const args = toolArguments();
    expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(args).sort());
    const failures: string[] = [];
    for (const tool of tools) {
      const result = (await client.callTool({ name: tool.name, arguments: args[tool.name]! })) as { isError?: boolean; content?: Array<{ text?: string }> };
      if (result.isError) failures.push(`${tool.name}: ${result.content?.map((part) => part.text).join(' ')}`);
    }
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect((await client.readResource({ uri: resource.uri })).contents.length, resource.uri).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    // No affinity: consecutive requests of one client were answered by different replicas.
    const served = proxy.servedSequence.slice(before);
    expect(new Set(served).size).toBe(REPLICAS);
    const switches = served.filter((origin, index) => index > 0 && origin !== served[index - 1]).length;
    expect(switches).toBeGreaterThan(served.length / 2);
    return served.length;
  };

  it('a 2025-11-25 client (SDK v1) lists and calls every tool and reads every resource through the proxy, answered by every replica', async () => {
    const client = new LegacyClient({ name: 'team-2025-client', version: '1.0.0' });
    await client.connect(new LegacyHttpTransport(new URL(`${proxy.url}/mcp`)));
    try {
      expect(client.getServerVersion()?.name).toBe('dspec');
      await driveEveryToolAndResource(client);
    } finally {
      await client.close();
    }
  }, 600_000);

  it('a 2026-07-28 client (SDK v2) lists and calls every tool and reads every resource through the proxy, answered by every replica', async () => {
    const client = new ModernClient({ name: 'team-2026-client', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new ModernHttpTransport(new URL(`${proxy.url}/mcp`)));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      await driveEveryToolAndResource(client);
    } finally {
      await client.close();
    }
  }, 600_000);
});
