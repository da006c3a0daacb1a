/**
 * The MCP Apps registration helpers dspec uses. ext-apps 2.x ships them as a small module of
 * their own (no schemas are built when it loads), so they are the library's, re-exported here
 * so the tools name one place.
 */
export { registerAppResource, registerAppTool, RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from '@modelcontextprotocol/ext-apps/server';
export type { McpUiAppResourceConfig } from '@modelcontextprotocol/ext-apps/server';
