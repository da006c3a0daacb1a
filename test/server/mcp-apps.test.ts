import * as library from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import * as ours from '../../src/server/mcp-apps.js';

/** Records what a helper hands to the SDK server. */
function recordingServer() {
  const calls: unknown[][] = [];
  const server = {
    registerTool: (...args: unknown[]) => (calls.push(['tool', ...args]), { kind: 'tool' }),
    registerResource: (...args: unknown[]) => (calls.push(['resource', ...args]), { kind: 'resource' }),
  } as unknown as Pick<McpServer, 'registerTool' | 'registerResource'>;
  return { server, calls };
}

const callback = async () => ({ content: [] });

describe('the MCP Apps helpers dspec registers with', () => {
  it("are ext-apps 2.x's own (its server module builds no schemas on load, so no copy is needed)", () => {
    expect(ours.registerAppTool).toBe(library.registerAppTool);
    expect(ours.registerAppResource).toBe(library.registerAppResource);
    expect(ours.RESOURCE_MIME_TYPE).toBe('text/html;profile=mcp-app');
    expect(ours.RESOURCE_URI_META_KEY).toBe('ui/resourceUri');
  });

  it('name the UI resource of a tool under both _meta.ui.resourceUri and the flat key hosts may still read', () => {
    const cases = [
      { _meta: { ui: { resourceUri: 'ui://dspec/a' } }, uri: 'ui://dspec/a' },
      { _meta: { 'ui/resourceUri': 'ui://dspec/b', other: 1 }, uri: 'ui://dspec/b' },
    ];
    for (const { _meta, uri } of cases) {
      const { server, calls } = recordingServer();
      ours.registerAppTool(server, 'tool', { description: 'd', _meta }, callback);
      const registered = calls[0]![2] as { _meta: Record<string, unknown> & { ui?: { resourceUri?: string } } };
      expect(registered._meta.ui?.resourceUri).toBe(uri);
      expect(registered._meta['ui/resourceUri']).toBe(uri);
      expect(calls[0]![3]).toBe(callback);
    }
  });

  it('register an app resource with the MCP App MIME type unless the config names another', () => {
    const read = async () => ({ contents: [] });
    for (const [config, mimeType] of [
      [{ description: 'app' }, 'text/html;profile=mcp-app'],
      [{ description: 'other type', mimeType: 'text/html' }, 'text/html'],
    ] as const) {
      const { server, calls } = recordingServer();
      ours.registerAppResource(server, 'app', 'ui://dspec/app', config, read);
      expect(calls[0]!.slice(1, 3)).toEqual(['app', 'ui://dspec/app']);
      expect((calls[0]![3] as { mimeType: string }).mimeType).toBe(mimeType);
    }
  });
});
