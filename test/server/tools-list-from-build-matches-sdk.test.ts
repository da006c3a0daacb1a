import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { serverDepsOf } from '../../src/server/context.js';
import { createServer, TOOL_NAMES } from '../../src/server/create-server.js';
import { listToolsFromBuiltSchemas, toolJsonSchemasOf, type ToolJsonSchemas } from '../../src/server/tool-json-schemas.js';
import { testRuntime } from '../helpers/test-runtime.js';

// The bundle answers tools/list from JSON Schemas made at build time by toolJsonSchemasOf()
// (scripts/build.mjs). These tests prove that answer byte-for-byte equal to the SDK's own
// conversion of the live Zod schemas, and that the built answer is really the one served.

let runtime: Runtime;
const closers: Array<() => Promise<void>> = [];

beforeAll(() => {
  runtime = testRuntime();
});

afterAll(async () => {
  for (const close of closers) await close();
  await runtime.close();
});

/** The raw `tools/list` result as it crosses the transport, from a server given `built` (or the SDK's own answer). */
async function rawToolsList(built?: ToolJsonSchemas): Promise<unknown> {
  const { server, cleanup } = createServer(serverDepsOf(runtime, 'test'));
  if (built) listToolsFromBuiltSchemas(server, built);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'tools-list-test', version: '1.0.0' });
  await client.connect(clientTransport);
  closers.push(async () => {
    await client.close();
    await cleanup();
  });
  let raw: unknown;
  const deliver = clientTransport.onmessage;
  clientTransport.onmessage = (message: JSONRPCMessage) => {
    if ('result' in message && message.result.tools) raw = JSON.parse(JSON.stringify(message.result));
    deliver?.(message);
  };
  await client.listTools();
  return raw;
}

describe('tools/list from the build-time JSON Schemas', () => {
  it('answers exactly as the SDK does from the live Zod schemas', async () => {
    const fromSdk = await rawToolsList();
    const fromBuild = await rawToolsList(await toolJsonSchemasOf());
    expect((fromSdk as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(JSON.stringify(fromBuild)).toBe(JSON.stringify(fromSdk));
  });

  it('serves the built JSON itself, so the comparison above is of the built answer', async () => {
    const built = await toolJsonSchemasOf();
    const marked: ToolJsonSchemas = { ...built, cache_stats: { ...built.cache_stats!, inputSchema: { ...built.cache_stats!.inputSchema, description: 'from the build' } } };
    const listed = (await rawToolsList(marked)) as { tools: Array<{ name: string; inputSchema: { description?: string } }> };
    expect(listed.tools.find((tool) => tool.name === 'cache_stats')?.inputSchema.description).toBe('from the build');
  });

  it('leaves tools/list to the SDK when the built JSON lacks a registered tool', async () => {
    const { cache_stats: _left, ...built } = await toolJsonSchemasOf();
    const marked: ToolJsonSchemas = { ...built, cost_report: { ...built.cost_report!, inputSchema: { ...built.cost_report!.inputSchema, description: 'from the build' } } };
    const listed = (await rawToolsList(marked)) as { tools: Array<{ name: string; inputSchema: { description?: string } }> };
    expect(listed.tools.find((tool) => tool.name === 'cost_report')?.inputSchema.description).toBeUndefined();
    expect(listed.tools).toHaveLength(TOOL_NAMES.length);
  });
});
