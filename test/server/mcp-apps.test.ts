import * as library from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
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
const TOOL_CONFIGS: Array<Parameters<typeof library.registerAppTool>[2]> = [
  { description: 'nested only', _meta: { ui: { resourceUri: 'ui://dspec/a' } } },
  { description: 'flat only', _meta: { 'ui/resourceUri': 'ui://dspec/b', other: 1 } },
  { description: 'both, different', _meta: { ui: { resourceUri: 'ui://dspec/c', visibility: ['app'] }, 'ui/resourceUri': 'ui://dspec/d' } },
  { title: 'T', description: 'nested with more ui fields', _meta: { ui: { resourceUri: 'ui://dspec/e', visibility: ['model', 'app'] }, extra: { x: true } } },
];

describe("the MCP Apps helpers dspec registers with (the library's, without loading its module at start)", () => {
  it('name the same MIME type and metadata key as @modelcontextprotocol/ext-apps', () => {
    expect(ours.RESOURCE_MIME_TYPE).toBe(library.RESOURCE_MIME_TYPE);
    expect(ours.RESOURCE_URI_META_KEY).toBe(library.RESOURCE_URI_META_KEY);
  });

  it("register every tool config exactly as the library's registerAppTool does", () => {
    for (const config of TOOL_CONFIGS) {
      const mine = recordingServer();
      const theirs = recordingServer();
      expect(ours.registerAppTool(mine.server, 'tool', config, callback)).toEqual(library.registerAppTool(theirs.server, 'tool', config, callback));
      expect(mine.calls).toEqual(theirs.calls);
      expect(mine.calls[0]![3]).toBe(callback);
    }
  });

  it("register resources exactly as the library's registerAppResource does, MIME type defaulted or kept", () => {
    const read = async () => ({ contents: [] });
    for (const config of [{ description: 'app' }, { description: 'other type', mimeType: 'text/html' }, { _meta: { ui: { csp: { connectDomains: [] } } } }]) {
      const mine = recordingServer();
      const theirs = recordingServer();
      ours.registerAppResource(mine.server, 'app', 'ui://dspec/app', config, read);
      library.registerAppResource(theirs.server, 'app', 'ui://dspec/app', config, read);
      expect(mine.calls).toEqual(theirs.calls);
    }
  });
});
