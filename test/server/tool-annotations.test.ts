import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInMemory, type InMemorySession } from '../helpers/in-memory-session.js';

/**
 * Hosts auto-approve tools that say they are read-only and closed-world, so every tool's hints
 * are pinned here against what the tool can actually do. A new tool must add its line, with why.
 */
const EXPECTED: Record<string, Required<Pick<ToolAnnotations, 'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint'>>> = {
  // Pure function of its input: parses a theme and returns CSS; reads and writes nothing else.
  generate_theme_css: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // A name outside the catalog may call a paid external model (open world) and writes the cache,
  // the cost ledger and .dspec/failed/ (not read-only). It replaces no user file (not destructive),
  // but a repeat after a failure is billed again and adds ledger lines (not idempotent).
  generate_component: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  // Writes files under outDir and with `overwrite` replaces existing ones (destructive); an unknown
  // component type may call a paid model (open world), billed again on a repeat (not idempotent).
  export_screen: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  // Runs the local gate (TypeScript, ESLint, Stylelint) on the given code; writes nothing, no network.
  validate_component: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // Reads the cache index under .dspec/; never changes it.
  cache_stats: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // Reads the cost ledger under .dspec/; never changes it.
  cost_report: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // Renders in a local headless browser that blocks every request (closed world); generated
  // components come from the cache only, so no model is called; writes nothing.
  preview: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // The MCP App's own fetch of the same document, without the browser: same reasons.
  preview_document: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // Reads a job record by handle: starts nothing, pays for nothing.
  job_status: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

let session: InMemorySession | undefined;
let client: Client;

beforeAll(async () => {
  session = await connectInMemory({ clientName: 'annotations-test' });
  client = session.client;
});

afterAll(async () => {
  await session?.close();
});

describe('tool annotations, as a client reads them from tools/list', () => {
  it('has a pinned entry for every listed tool', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s declares what it can do', async (name, expected) => {
    const { tools } = await client.listTools();
    const tool = tools.find((candidate) => candidate.name === name);
    expect(tool, `${name} is not listed`).toBeDefined();
    expect(tool!.annotations).toMatchObject(expected);
  });

  it('never marks a tool that may call a paid model as read-only or closed-world', async () => {
    const { tools } = await client.listTools();
    for (const name of ['generate_component', 'export_screen']) {
      const annotations = tools.find((tool) => tool.name === name)!.annotations!;
      expect(annotations.readOnlyHint, name).toBe(false);
      expect(annotations.openWorldHint, name).toBe(true);
    }
  });
});
