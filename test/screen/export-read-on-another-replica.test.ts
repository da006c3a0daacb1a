import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as ModernClient, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { serverDepsOf } from '../../src/server/context.js';
import { createServer } from '../../src/server/create-server.js';
import { outputSchema, registerExportScreenTool } from '../../src/server/tools/export-screen.js';
import { MODERN_PROTOCOL_VERSION } from '../helpers/in-memory-session.js';
import { teamPageBlueprint } from '../helpers/team-page-blueprint.js';
import { openTestS3, type TestS3 } from '../helpers/s3-server.js';
import { testRuntime } from '../helpers/test-runtime.js';

let s3: TestS3;
beforeAll(async () => {
  s3 = await openTestS3();
});
afterAll(async () => {
  await s3?.close();
});

/** A replica as `dspec serve` builds one: its own runtime (and state directory) from the shared environment. */
function replicaRuntime(env: NodeJS.ProcessEnv): Runtime {
  const home = mkdtempSync(path.join(tmpdir(), 'dspec-replica-'));
  const cwd = process.cwd(); // the catalog's ui-reference/
  return testRuntime({ cwd, env, config: loadConfig({ cwd, env, flags: { home } }) });
}

/**
 * Replica A's export tool, registered as createServer registers it (the runtime's export store)
 * but with a 1 kB inline limit, and a 2025 client (the v1 SDK) linked in memory. A screen cannot
 * pass the real 1 MB limit: the bundle caps each file at 512 kB and the screen's text at 1 MB.
 */
async function legacyExportClientOf(runtime: Runtime): Promise<{ client: Client; close(): Promise<void> }> {
  const server = new McpServer({ name: 'dspec', version: 'test' }, { capabilities: { tools: {}, resources: {} } });
  registerExportScreenTool(server, serverDepsOf(runtime, 'test'), { store: runtime.exports, inlineLimitBytes: 1000 });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'replica-a-client', version: '1.0.0' });
  await client.connect(clientTransport);
  return { client, close: async () => (await client.close(), await server.close()) };
}

/** Replica B behind the SDK's stateless HTTP handler and a 2026-07-28 client (the v2 SDK), through its fetch. */
async function modernClientOf(runtime: Runtime): Promise<{ client: ModernClient; close(): Promise<void> }> {
  const deps = serverDepsOf(runtime, 'test');
  const handler = createMcpHandler(({ era }) => createServer(deps, { era }).server);
  const transport = new StreamableHTTPClientTransport(new URL('http://replica-b.test/mcp'), { fetch: (url, init) => handler.fetch(new Request(url, init)) });
  const client = new ModernClient({ name: 'replica-b-client', version: '1.0.0' }, { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } });
  await client.connect(transport);
  return { client, close: async () => (await client.close(), await handler.close()) };
}

describe('an export:// resource read on another replica', { timeout: 240_000 }, () => {
  it('export_screen on replica A (2025 client), every file listed and read on replica B (real server, 2026 client) from the shared bucket', async () => {
    const bucket = await s3.createBucket();
    const env = s3.envFor(bucket);
    const [runtimeA, runtimeB] = [replicaRuntime(env), replicaRuntime(env)];
    const replicaA = await legacyExportClientOf(runtimeA);
    const replicaB = await modernClientOf(runtimeB);
    try {
      const result = await replicaA.client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint } });
      expect(result.isError).toBeFalsy();
      const output = outputSchema.parse(result.structuredContent);
      expect(output.delivery).toBe('resources');

      // Replica B never saw the export: it lists and reads it from the bucket.
      const listed = await replicaB.client.listResources();
      const exportUris = listed.resources.map((resource) => resource.uri).filter((uri) => uri.startsWith('export://'));
      expect(exportUris.sort()).toEqual(output.files.map((file) => file.uri!).sort());
      for (const file of output.files) {
        const read = await replicaB.client.readResource({ uri: file.uri! });
        expect(Buffer.byteLength((read.contents[0] as { text: string }).text)).toBe(file.bytes);
      }
      const screenFile = output.files.find((file) => file.path === 'TeamPage.tsx')!;
      expect(((await replicaB.client.readResource({ uri: screenFile.uri! })).contents[0] as { text: string }).text).toContain('export function TeamPage()');
      await expect(replicaB.client.readResource({ uri: `export://${output.exportId}/missing.tsx` })).rejects.toThrow(/no file "missing.tsx"/);
    } finally {
      await replicaA.close();
      await replicaB.close();
      await runtimeA.close();
      await runtimeB.close();
    }
  });
});
