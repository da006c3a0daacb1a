import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory, type InMemorySession } from '../helpers/in-memory-session.js';

// MCP Apps reserves ui:// for HTML apps; the catalog lives under dspec:// only.
const APP_MIME_TYPE = 'text/html;profile=mcp-app';

describe('the ui:// scheme holds MCP Apps only', () => {
  let session: InMemorySession;

  beforeEach(async () => {
    session = await connectInMemory({ clientName: 'apps-host' });
  });

  afterEach(async () => {
    await session?.close();
  });

  it('lists every ui:// resource as an HTML MCP App, and the preview app among them', async () => {
    const { resources } = await session.client.listResources();
    const appResources = resources.filter((resource) => resource.uri.startsWith('ui://'));
    expect(appResources.map((resource) => resource.uri)).toEqual(['ui://dspec/preview']);
    for (const resource of appResources) expect(resource.mimeType).toBe(APP_MIME_TYPE);
    expect(resources.map((resource) => resource.uri)).toContain('dspec://catalog');
  });

  it('lists no ui:// resource template, and the catalog component template under dspec://', async () => {
    const { resourceTemplates } = await session.client.listResourceTemplates();
    const uiTemplates = resourceTemplates.filter((template) => template.uriTemplate.startsWith('ui://'));
    expect(uiTemplates.filter((template) => template.mimeType !== APP_MIME_TYPE)).toEqual([]);
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain('dspec://components/{name}');
  });

  it('serves the preview app itself as HTML', async () => {
    const read = await session.client.readResource({ uri: 'ui://dspec/preview' });
    const [content] = read.contents as Array<{ mimeType?: string; text?: string }>;
    expect(content?.mimeType).toBe(APP_MIME_TYPE);
    expect(content?.text).toMatch(/^<!doctype html>/i);
  });

  it.each(['ui://catalog', 'ui://components/Button'])('answers %s, removed in 0.2, with a not-found error naming the URI', async (uri) => {
    const failure = await session.client.readResource({ uri }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(McpError);
    expect((failure as McpError).code).toBe(ErrorCode.InvalidParams);
    // SDK v2 words it as the 2026-07-28 spec asks (-32602, "Resource not found"), for both generations.
    expect((failure as McpError).message).toContain(`Resource not found: ${uri}`);
  });
});
