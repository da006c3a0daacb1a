import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCache } from '../../src/cache/file-cache.js';
import { updateBudgets } from '../../src/cost/budgets.js';
import { createCostTracker } from '../../src/cost/create-cost-tracker.js';
import { sampleCall } from './ledger-record-fixture.js';
import { loadConfig } from '../../src/infra/config.js';
import { outputSchema as cacheOutputSchema, registerCacheStatsTool } from '../../src/server/tools/cache-stats.js';
import { outputSchema as costOutputSchema, registerCostReportTool } from '../../src/server/tools/cost-report.js';
import { makeEntry, tempHome } from '../cache/entry-fixture.js';
import { testServerDeps } from '../helpers/test-runtime.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function connect(home: string) {
  const config = loadConfig({ cwd: home, env: { DSPEC_HOME: home } });
  const deps = testServerDeps({ config, cwd: home });
  const server = new McpServer({ name: 'dspec-test', version: '0' }, { capabilities: { tools: {} } });
  registerCostReportTool(server, deps);
  registerCacheStatsTool(server, deps);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(clientSide);
  close = async () => {
    await client.close();
    await server.close();
    await deps.runtime.close();
  };
  return client;
}

const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as Array<{ text: string }>)[0]!.text;

describe('cost_report and cache_stats over MCP', () => {
  it('are listed as read-only tools with output schemas', async () => {
    const client = await connect(tempHome('dspec-mcp-'));
    const { tools } = await client.listTools();
    for (const name of ['cost_report', 'cache_stats']) {
      const tool = tools.find((t) => t.name === name)!;
      expect(tool.annotations?.readOnlyHint).toBe(true);
      expect(tool.outputSchema?.type).toBe('object');
    }
  });

  it('cost_report answers each view with structured content and a readable table', async () => {
    const home = tempHome('dspec-mcp-');
    const tracker = createCostTracker({ home, fsync: false });
    await tracker.record(sampleCall());
    await tracker.record({
      operation: 'generate_component',
      component: 'Grid',
      provider: 'x',
      model: 'unknown-7b',
      requestId: null,
      attempt: 1,
      retry: 0,
      outcome: 'success',
      inputTokens: 1,
      outputTokens: 1,
      cacheWriteTokens: 0,
      cacheReadTokens: 0,
      cacheHit: false,
      costSaved: 0,
      promptVersion: 'v1',
    });
    await updateBudgets(home, { daily: 1 }, new Date());
    const client = await connect(home);

    const summary = await client.callTool({ name: 'cost_report', arguments: { view: 'summary', period: 'all' } });
    expect(summary.isError).toBeFalsy();
    const parsed = costOutputSchema.parse(summary.structuredContent);
    expect(parsed.view).toBe('summary');
    expect((parsed.report.totals as { cost: number }).cost).toBeCloseTo(0.045);
    expect(parsed.report.unpricedModels).toEqual(['unknown-7b']);
    expect(text(summary)).toMatch(/UNPRICED models.*unknown-7b/);
    expect(text(summary)).toMatch(/Button\s+\$0\.05/);

    for (const view of ['forecast', 'optimize', 'budget'] as const) {
      const result = await client.callTool({ name: 'cost_report', arguments: { view } });
      expect(result.isError).toBeFalsy();
      expect(costOutputSchema.parse(result.structuredContent).view).toBe(view);
    }
    const budget = await client.callTool({ name: 'cost_report', arguments: { view: 'budget' } });
    expect(text(budget)).toMatch(/daily\s+\$1\.00\s+\$0\.05/);
  });

  it('cost_report with no arguments answers the summary', async () => {
    const home = tempHome('dspec-mcp-');
    const tracker = createCostTracker({ home, fsync: false });
    await tracker.record(sampleCall());
    const client = await connect(home);
    const result = await client.callTool({ name: 'cost_report', arguments: {} });
    expect(result.isError).toBeFalsy();
    const parsed = costOutputSchema.parse(result.structuredContent);
    expect(parsed.view).toBe('summary');
    expect((parsed.report.totals as { llmCalls: number }).llmCalls).toBe(1);
    expect(text(result)).toMatch(/Button\s+\$0\.05/);
  });

  it('cost_report turns a bad date into an isError result', async () => {
    const client = await connect(tempHome('dspec-mcp-'));
    const result = await client.callTool({ name: 'cost_report', arguments: { view: 'summary', since: 'last tuesday' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/INVALID_INPUT: since/);
  });

  it('cache_stats on a project without a cache answers zero and creates nothing', async () => {
    const home = tempHome('dspec-mcp-');
    const client = await connect(home);
    const result = await client.callTool({ name: 'cache_stats', arguments: {} });
    expect(result.isError, text(result)).toBeFalsy();
    expect(cacheOutputSchema.parse(result.structuredContent).stats).toMatchObject({ entries: 0, oldest: null });
    expect(existsSync(path.join(home, 'cache'))).toBe(false);
  });

  it('cache_stats reports statistics and pages through entries', async () => {
    const home = tempHome('dspec-mcp-');
    const cache = new FileCache({ home });
    for (let i = 0; i < 3; i++) await cache.set(makeEntry({ component: i < 2 ? 'Button' : 'Card', seed: i, createdAt: `2026-11-0${i + 1}T00:00:00.000Z` }));
    const client = await connect(home);
    const stats = cacheOutputSchema.parse((await client.callTool({ name: 'cache_stats', arguments: {} })).structuredContent);
    expect(stats.stats).toMatchObject({ entries: 3, quarantined: 0 });
    const first = await client.callTool({ name: 'cache_stats', arguments: { list: true, component: 'Button', limit: 1 } });
    const page = cacheOutputSchema.parse(first.structuredContent).page!;
    expect(page.total).toBe(2);
    expect(page.nextCursor).not.toBeNull();
    const second = cacheOutputSchema.parse((await client.callTool({ name: 'cache_stats', arguments: { list: true, component: 'Button', limit: 1, cursor: page.nextCursor } })).structuredContent).page!;
    expect(second.entries[0]!.key).not.toBe(page.entries[0]!.key);
    expect(second.nextCursor).toBeNull();
    const bad = await client.callTool({ name: 'cache_stats', arguments: { list: true, cursor: '!!' } });
    expect(bad.isError).toBe(true);
  });
});
