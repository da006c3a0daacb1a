import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CreateMessageRequestSchema, type CreateMessageRequest, type CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { createServer } from '../../src/server/create-server.js';
import { outputSchema } from '../../src/server/tools/generate-component.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { testServerDeps } from '../helpers/test-runtime.js';

const SECRET = 'sk-ant-test-SECRET-5f2b9c';
const DESCRIPTION = 'A card showing one key figure with its label and its change against the previous period.';

async function connect(env: NodeJS.ProcessEnv, options: { sampling?: (request: CreateMessageRequest) => CreateMessageResult } = {}) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-tier2-'));
  const config = loadConfig({ cwd, env });
  const { server, cleanup } = createServer(testServerDeps({ config, cwd, env }));
  const client = new Client({ name: 'tier2-test', version: '1.0.0' }, { capabilities: options.sampling ? { sampling: {} } : {} });
  if (options.sampling) client.setRequestHandler(CreateMessageRequestSchema, async (request) => options.sampling!(request));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return { client, cwd, close: async () => (await client.close(), await cleanup()) };
}

// Any result shape: callTool's type also admits the old `toolResult` form, which has no `content`.
const textOf = (result: { content?: unknown; [field: string]: unknown }) => (result.content as Array<{ text: string }>)[0]!.text;

describe('generate_component routes names outside the catalog to Tier 2', () => {
  let fake: FakeAnthropicServer;
  beforeAll(async () => {
    fake = await startFakeAnthropicServer();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('asks for a description when the name is not in the catalog', async () => {
    const session = await connect({});
    const result = await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/pass a description/);
    await session.close();
  });

  it('says how to configure a provider when none is configured', async () => {
    const session = await connect({});
    const result = await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/ANTHROPIC_API_KEY/);
    await session.close();
  });

  it('generates through the Anthropic SDK, validates, caches, records costs, and serves the repeat from the cache', async () => {
    fake.reset();
    fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const session = await connect({ ANTHROPIC_API_KEY: SECRET, ANTHROPIC_BASE_URL: fake.baseURL, DSPEC_PROVIDER: 'anthropic', DSPEC_MODEL: 'claude-sonnet-4-5' });
    const first = await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } });
    expect(first.isError, textOf(first)).toBeFalsy();
    const output = outputSchema.parse(first.structuredContent);
    expect(output.tier).toBe('tier2');
    expect(output.cacheHit).toBe(false);
    expect(output.files.map((file) => file.path)).toContain('StatCard.tsx');
    expect(output.provenance).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(fake.messageCount).toBe(1);

    const second = outputSchema.parse(
      (await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } })).structuredContent,
    );
    expect(second.cacheHit).toBe(true);
    expect(second.hash).toBe(output.hash);
    expect(fake.messageCount).toBe(1);

    const ledger = readFileSync(path.join(session.cwd, '.dspec/costs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(ledger.map((record) => record.outcome)).toEqual(['success', 'cache_hit']);
    expect(ledger[0].totalCost).toBeGreaterThan(0);
    expect(existsSync(path.join(session.cwd, '.dspec/cache'))).toBe(true);
    const everything = JSON.stringify(first) + JSON.stringify(second) + readFileSync(path.join(session.cwd, '.dspec/costs.jsonl'), 'utf8');
    expect(everything).not.toContain(SECRET);
    await session.close();
  });

  it("uses the client's own model through MCP sampling when no key is configured", async () => {
    let asked = 0;
    const session = await connect(
      { DSPEC_PROVIDER: 'mcp-sampling' },
      {
        sampling: () => {
          asked++;
          return { role: 'assistant', model: 'client-model', stopReason: 'endTurn', content: { type: 'text', text: JSON.stringify(VALID_STAT_CARD_OUTPUT) } };
        },
      },
    );
    const result = await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(outputSchema.parse(result.structuredContent).provenance).toMatchObject({ provider: 'mcp-sampling' });
    expect(asked).toBe(1);
    await session.close();
  });
});

describe('the generation status resource', () => {
  it('shows providers without their keys, circuit breakers and retry telemetry', async () => {
    const session = await connect({ ANTHROPIC_API_KEY: SECRET, DSPEC_PROVIDER: 'anthropic' });
    const read = await session.client.readResource({ uri: 'dspec://status' });
    const text = (read.contents[0] as { text: string }).text;
    const status = JSON.parse(text);
    expect(status.providers[0]).toMatchObject({ provider: 'anthropic', configured: true });
    expect(Array.isArray(status.circuitBreakers)).toBe(true);
    expect(status.telemetry).toHaveProperty('firstAttemptSuccesses');
    expect(text).not.toContain(SECRET);
    await session.close();
  });
});
