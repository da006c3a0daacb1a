import type { McpServer } from '@modelcontextprotocol/server';
import { registerAppTool } from '../mcp-apps.js';
import * as z from 'zod';
import { PREVIEW_APP_URI } from '../../preview/app-uri.js';
import type { ServerDeps } from '../context.js';
import { runGuarded } from '../tool-guard.js';
import { toolSuccess } from '../tool-result.js';
import { subjectShape } from './preview.js';

export const name = 'preview_document';

export const inputSchema = z.object({
  ...subjectShape,
  mode: z.enum(['light', 'dark']).default('light').describe('Colour mode shown first (the toolbar switches it).'),
});

export const outputSchema = z.object({
  kind: z.enum(['component', 'screen']),
  name: z.string(),
  hash: z.string(),
  bytes: z.number().int(),
  stories: z.array(z.string()),
  html: z.string().describe('The self-contained preview document: no network access, toolbar for mode, width and story.'),
  warnings: z.array(z.string()),
});

export const config = {
  title: 'Preview document (for the dspec preview app)',
  description:
    'Used by the dspec preview MCP App: returns the self-contained HTML preview document of a component or screen. Needs no browser on the server. To look at a component yourself, call preview (it returns screenshots).',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // Called by the app, not offered to the model, in hosts that honour visibility.
  _meta: { ui: { resourceUri: PREVIEW_APP_URI, visibility: ['app' as const] } },
};

export function registerPreviewDocumentTool(server: McpServer, deps: ServerDeps): void {
  registerAppTool(server, name, config, (args, ctx) =>
    runGuarded(deps, name, ctx.mcpReq, { expensive: true }, async (signal) => {
      const { buildPreview } = await import('../../preview/preview-service.js');
      const { document, warnings } = await buildPreview({ ...args, modes: [args.mode] }, { runtime: deps.runtime, logger: deps.logger, signal });
      return toolSuccess(
        { kind: document.kind, name: document.name, hash: document.hash, bytes: document.bytes, stories: document.stories, html: document.html, warnings },
        `Preview document of ${document.kind} ${document.name}: ${document.bytes} bytes, sha256 ${document.hash.slice(0, 12)}${document.stories.length ? `, stories ${document.stories.join(', ')}` : ''}.`,
      );
    }),
  );
}
