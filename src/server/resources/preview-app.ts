import type { CacheHint, McpServer } from '@modelcontextprotocol/server';
import { BUILD_FIXED } from '../cache-hints.js';
import { registerAppResource, RESOURCE_MIME_TYPE, type McpUiAppResourceConfig } from '../mcp-apps.js';
import { PREVIEW_APP_URI } from '../../preview/app-uri.js';

/**
 * The MCP App that shows a live preview beside generate_component, export_screen and preview
 * results in hosts that support MCP Apps. Hosts without Apps support never read it.
 */
export function registerPreviewAppResource(server: McpServer): void {
  // ext-apps passes the config on to registerResource whole, so the SDK's cacheHint reaches it (its type does not name it).
  const config: McpUiAppResourceConfig & { cacheHint: CacheHint } = {
    title: 'dspec preview',
    description: 'Live preview of a component or screen (light/dark, viewport width, stories), as an MCP App.',
    // The preview document is self-contained: the app needs no network origin at all.
    _meta: { ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true } },
    cacheHint: BUILD_FIXED,
  };
  registerAppResource(server, 'preview-app', PREVIEW_APP_URI, config, async (uri) => {
    const { previewAppHtml } = await import('../../preview/app-html.js');
    return { contents: [{ uri: uri.href, mimeType: RESOURCE_MIME_TYPE, text: await previewAppHtml() }] };
  });
}
