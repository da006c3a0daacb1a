import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory, type InMemorySession } from '../helpers/in-memory-session.js';
import { createServer, TOOL_NAMES } from '../../src/server/create-server.js';
import { outputSchema as themeOutputSchema } from '../../src/server/tools/generate-theme-css.js';
import { testServerDeps } from '../helpers/test-runtime.js';

const tinyTheme = JSON.parse(readFileSync('test/fixtures/themes/tiny-tekton.json', 'utf8'));
const brokenTheme = JSON.parse(readFileSync('test/fixtures/themes/broken-reference.json', 'utf8'));

describe('MCP server over an in-memory transport', () => {
  let client: Client;
  let session: InMemorySession;

  beforeEach(async () => {
    session = await connectInMemory({ clientName: 'test-client' });
    client = session.client;
  });

  afterEach(async () => {
    await session?.close();
  });

  it('lists every registered tool with input and output schemas and annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      // All four hints, each stated rather than left to the client's default.
      expect(tool.annotations).toMatchObject({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean), openWorldHint: expect.any(Boolean) });
      expect(tool.description?.length).toBeGreaterThan(40);
    }
  });

  it('answers generate_theme_css with structured content that matches the output schema and a CSS text copy', async () => {
    const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: tinyTheme } });
    expect(result.isError).toBeFalsy();
    const structured = themeOutputSchema.parse(result.structuredContent);
    expect(structured.themeId).toBe('tiny');
    expect(structured.format).toBe('tekton');
    expect(structured.css).toContain('--semantic-background-canvas: var(--atomic-color-neutral-50)');
    expect(structured.css).toMatch(/\.dark\s*\{[^}]*--semantic-background-canvas: var\(--atomic-color-neutral-900\)/);
    expect(structured.hash).toMatch(/^[0-9a-f]{64}$/);
    const text = (result.content as Array<{ type: string; text: string }>)[0]!;
    expect(text.type).toBe('text');
    expect(text.text).toContain(structured.css);
  });

  it('passes the options through: resolve mode and a custom dark selector', async () => {
    const result = await client.callTool({
      name: 'generate_theme_css',
      arguments: { theme: tinyTheme, references: 'resolve', darkSelector: '[data-theme="dark"]' },
    });
    const { css } = themeOutputSchema.parse(result.structuredContent);
    expect(css).toContain('--semantic-background-canvas: oklch(0.99 0.005 265)');
    expect(css).toContain('[data-theme="dark"]');
    expect(css).not.toContain('var(--');
  });

  it('answers a broken reference with the CSS of the other tokens and errors naming the token path and the closest name', async () => {
    const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: brokenTheme } });
    expect(result.isError).toBeFalsy();
    const structured = themeOutputSchema.parse(result.structuredContent);
    expect(structured.errors).toEqual([expect.objectContaining({ path: 'semantic.background.brand', code: 'broken-reference', suggestion: 'did you mean atomic.color.brand.500?' })]);
    expect(structured.css).toContain('--atomic-color-brand-500: #3355ff;');
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text).toMatch(/^\/\* 1 token\(s\) left out of this CSS:\n \* semantic\.background\.brand: .*did you mean atomic\.color\.brand\.500\?/);
  });

  it('answers strict: true with a broken reference as an isError result', async () => {
    const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: brokenTheme, strict: true } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toContain('semantic.background.brand');
  });

  it('counts distinct variables, with declarations per mode beside them', async () => {
    const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: tinyTheme, componentDefaults: false } });
    const structured = themeOutputSchema.parse(result.structuredContent);
    expect(structured.declarations.dark).toBeGreaterThan(0);
    expect(structured.variableCount).toBe(structured.declarations.light);
    expect(structured.variableCount).toBe((structured.css.split('.dark')[0]!.match(/--[\w-]+:/g) ?? []).length);
  });

  it('rejects arguments of the wrong type with isError, not a protocol error', async () => {
    const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: 5 } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/theme/);
  });

  it('rejects a dark selector that could break out of its rule', async () => {
    const result = await client.callTool({
      name: 'generate_theme_css',
      arguments: { theme: tinyTheme, darkSelector: '.dark { } body { display: none' },
    });
    expect(result.isError).toBe(true);
  });
});

describe('generate_theme_css given the theme as JSON text', () => {
  it('reports a syntax error with its line and column', async () => {
    const deps = testServerDeps();
    const { server, cleanup } = createServer(deps);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(clientTransport);
    const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: '{\n  "tokens": {\n    "atomic": { , }\n' } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toContain('theme:3:17');
    await client.close();
    await cleanup();
  });
});
