import type * as ExtAppsServer from '@modelcontextprotocol/ext-apps/server';

/**
 * The MCP Apps registration helpers of `@modelcontextprotocol/ext-apps/server`, without loading
 * that module at start: it is one prebuilt file that also builds the whole App-bridge protocol
 * (461 zod schemas, a fifth of all the server creates before `tools/list`; ~17 ms of its start) for
 * helpers that only add metadata. `test/server/mcp-apps.test.ts` runs these and the library's
 * own side by side and requires identical registrations, so a change in the library shows.
 */

/** The MIME type of an MCP App's HTML resource. */
export const RESOURCE_MIME_TYPE: typeof ExtAppsServer.RESOURCE_MIME_TYPE = 'text/html;profile=mcp-app';
/** The older flat `_meta` key for a tool's UI resource, which hosts may still read. */
export const RESOURCE_URI_META_KEY: typeof ExtAppsServer.RESOURCE_URI_META_KEY = 'ui/resourceUri';

type AppToolConfig = Parameters<typeof ExtAppsServer.registerAppTool>[2];

/** `server.registerTool` with the UI resource named under both `_meta.ui.resourceUri` and the flat key. */
export const registerAppTool: typeof ExtAppsServer.registerAppTool = (server, name, config, callback) => {
  const meta = config._meta as Record<string, unknown> & { ui?: { resourceUri?: string } };
  const nested = meta.ui?.resourceUri;
  const flat = meta[RESOURCE_URI_META_KEY] as string | undefined;
  let _meta: AppToolConfig['_meta'] = config._meta;
  if (nested && !flat) _meta = { ...meta, [RESOURCE_URI_META_KEY]: nested };
  else if (flat && !nested) _meta = { ...meta, ui: { ...meta.ui, resourceUri: flat } };
  return server.registerTool(name, { ...config, _meta }, callback);
};

/** `server.registerResource` with the MCP App MIME type unless the config names another. */
export const registerAppResource: typeof ExtAppsServer.registerAppResource = (server, name, uri, config, readCallback) =>
  server.registerResource(name, uri, { mimeType: RESOURCE_MIME_TYPE, ...config }, readCallback);
