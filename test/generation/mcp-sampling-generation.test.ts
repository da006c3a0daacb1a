import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateMessageRequestSchema, type CreateMessageRequest, type CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTier2Component } from '../../src/generation/pipeline/generate-component.js';
import { McpSamplingProvider, type SamplingRequest } from '../../src/generation/providers/mcp-sampling-provider.js';
import { createProviderRegistry } from '../../src/generation/providers/select-providers.js';
import { INVALID_STAT_CARD_OUTPUT, VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { generationConfig, harness, STAT_CARD_REQUEST, type TestHarness } from './support.js';

/**
 * A real MCP client that declares sampling and answers `sampling/createMessage` from a script,
 * against a real McpServer whose tool runs Tier 2 generation with the sampling provider.
 */
async function connect(answers: Array<(request: CreateMessageRequest) => CreateMessageResult>, h: (provider: McpSamplingProvider[]) => TestHarness) {
  const seen: CreateMessageRequest[] = [];
  let harnessRef: TestHarness | undefined;
  const server = new McpServer({ name: 'dspec-test', version: '0.0.0' });
  server.registerTool('generate_component', { inputSchema: { name: z.string(), description: z.string() } }, async ({ name, description }, extra) => {
    const capabilities = server.server.getClientCapabilities();
    if (!capabilities?.sampling) return { isError: true, content: [{ type: 'text', text: 'no sampling' }] };
    const sample = (params: SamplingRequest, signal?: AbortSignal) => server.server.createMessage(params, { relatedRequestId: extra.requestId, ...(signal ? { signal } : {}) });
    const providers = createProviderRegistry(generationConfig({ providers: ['mcp-sampling'] }), {}).forRequest({ sample });
    harnessRef = h(providers as McpSamplingProvider[]);
    try {
      const result = await generateTier2Component({ ...STAT_CARD_REQUEST, name, description, signal: extra.signal }, harnessRef.deps);
      return { content: [{ type: 'text', text: JSON.stringify({ files: result.bundle.files.map((f) => f.path), attempts: result.attempts, provider: result.provenance.provider }) }] };
    } catch (error) {
      return { isError: true, content: [{ type: 'text', text: (error as Error).message }] };
    }
  });
  const client = new Client({ name: 'sampling-client', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    seen.push(request);
    const answer = answers.shift();
    if (!answer) throw new Error('no scripted sampling answer');
    return answer(request);
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return { client, server, seen, harness: () => harnessRef! };
}

const text = (value: string): CreateMessageResult => ({ role: 'assistant', model: 'client-model', stopReason: 'endTurn', content: { type: 'text', text: value } });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('Tier 2 through MCP sampling', () => {
  it("asks the client's own model, repairs through it, and answers the tool with a validated bundle", async () => {
    const session = await connect(
      [() => text(`\`\`\`json\n${JSON.stringify(INVALID_STAT_CARD_OUTPUT)}\n\`\`\``), () => text(`\`\`\`json\n${JSON.stringify(VALID_STAT_CARD_OUTPUT)}\n\`\`\``)],
      (providers) => harness(providers, { validate: 'real' }),
    );
    close = () => session.client.close();
    const result = await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: STAT_CARD_REQUEST.description } });

    expect(result.isError).toBeFalsy();
    const payload = JSON.parse((result.content as Array<{ text: string }>)[0]!.text);
    expect(payload).toMatchObject({ attempts: 2, provider: 'mcp-sampling' });
    expect(payload.files).toContain('StatCard.tsx');
    expect(session.seen).toHaveLength(2);
    const first = session.seen[0]!.params;
    expect(first.systemPrompt).toContain('submit_component');
    expect(first.includeContext).toBe('none');
    expect(first.maxTokens).toBe(8192);
    expect(session.seen[1]!.params.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(session.seen[1]!.params.messages[2])).toContain('colour-literal');
    // One ledger line per sampling request, no tokens known.
    expect(session.harness().costs.attemptLines.map((r) => r.outcome)).toEqual(['invalid', 'success']);
  });

  it('reports a client that declines the sampling request as a provider failure, without retrying', async () => {
    const session = await connect(
      [
        () => {
          throw new Error('user rejected the sampling request');
        },
      ],
      (providers) => harness(providers),
    );
    close = () => session.client.close();
    const result = await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: STAT_CARD_REQUEST.description } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/mcp-sampling .*declined/);
    expect(session.seen).toHaveLength(1);
  });
});
