import type { McpServer, CallToolResult } from '@modelcontextprotocol/server';
import { registerAppTool } from '../mcp-apps.js';
import * as z from 'zod';
import { PREVIEW_APP_URI } from '../../preview/app-uri.js';
import type { PreviewRenderer } from '../../preview/headless-browser.js';
import type { ServerDeps } from '../context.js';
import { runGuarded } from '../tool-guard.js';

export const name = 'preview';

const MAX_INPUT_TEXT = 4 * 1024 * 1024;

/** Shared with `preview_document` (the MCP App's own tool): what to preview. */
export const subjectShape = {
  name: z.string().min(1).max(64).optional().describe('A component: a catalog name or alias (Button, Dialog…), or a component generate_component made earlier (served from the cache).'),
  screen: z
    .union([z.record(z.string(), z.unknown()), z.string().max(MAX_INPUT_TEXT)])
    .optional()
    .describe('A screen definition or blueprint, as export_screen takes it (object or JSON text). Give either name or screen.'),
  props: z.record(z.string(), z.unknown()).optional().describe('Props for the component (shown as the "Props" view before its stories).'),
  theme: z
    .union([z.record(z.string(), z.unknown()), z.string().max(MAX_INPUT_TEXT)])
    .optional()
    .describe('A theme as for generate_theme_css; without one the documented defaults are used.'),
  description: z.string().max(4000).optional().describe('For a generated component: the description it was generated from (part of its cache key).'),
  viewport: z
    .union([z.literal(375), z.literal(768), z.literal(1280)])
    .default(1280)
    .describe('Viewport width: 375 (mobile), 768 (tablet) or 1280 (desktop, default).'),
  story: z.string().max(100).optional().describe('A story of the component\'s CSF 3 file (e.g. "Secondary"); default: the props view, else the first story.'),
};

export const inputSchema = z.object({
  ...subjectShape,
  modes: z
    .array(z.enum(['light', 'dark']))
    .min(1)
    .max(2)
    .default(['light', 'dark'])
    .describe('Colour modes to screenshot, one PNG each (default both).'),
});

const ContrastSchema = z.object({ mode: z.enum(['light', 'dark']), target: z.string(), text: z.string(), foreground: z.string(), background: z.string(), ratio: z.number(), required: z.number() });

export const outputSchema = z.object({
  kind: z.enum(['component', 'screen']),
  name: z.string(),
  documentHash: z.string().describe('SHA-256 of the preview document (the MCP App shows the same document).'),
  documentBytes: z.number().int(),
  viewport: z.number().int(),
  story: z.string().optional(),
  stories: z.array(z.string()),
  images: z.array(z.object({ mode: z.enum(['light', 'dark']), width: z.number().int(), height: z.number().int(), bytes: z.number().int() })),
  violations: z
    .array(
      z.object({ id: z.string(), impact: z.enum(['minor', 'moderate', 'serious', 'critical']), help: z.string(), helpUrl: z.string(), mode: z.enum(['light', 'dark']), targets: z.array(z.string()) }),
    )
    .describe('axe-core violations of impact serious or critical.'),
  minorViolations: z.number().int().describe('How many minor or moderate axe violations were found besides.'),
  contrast: z.array(ContrastSchema).describe('Text whose measured contrast against its painted background fails WCAG AA (4.5:1, 3:1 for large text).'),
  errors: z.array(z.object({ message: z.string(), source: z.enum(['render', 'window', 'promise']), stack: z.string().optional() })).describe('Errors the component threw; the preview shows them too.'),
  consoleErrors: z.array(z.string()),
  blockedRequests: z.array(z.string()).describe('Network requests the page tried; all were blocked (a preview is self-contained).'),
  warnings: z.array(z.string()),
});
export type PreviewOutput = z.infer<typeof outputSchema>;

export const config = {
  title: 'Preview a component or screen',
  description:
    'Renders a catalog or generated component (with props, theme and story) or a screen in a headless browser and returns PNG screenshots (light and dark by default) you can look at, with the axe-core accessibility violations (serious and critical) and every text that fails WCAG AA contrast. Hosts with MCP Apps also show a live preview. Needs Chrome or Chromium on the server.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  _meta: { ui: { resourceUri: PREVIEW_APP_URI } },
};

function summary(output: PreviewOutput): string {
  const lines = [
    `${output.kind} ${output.name}${output.story ? ` (story ${output.story})` : ''} at ${output.viewport}px: ${output.images.map((image) => `${image.mode} ${image.width}×${image.height}`).join(', ')}; document sha256 ${output.documentHash.slice(0, 12)}`,
  ];
  if (output.errors.length) lines.push(`The component threw: ${output.errors.map((error) => error.message).join(' | ')}`);
  lines.push(
    output.violations.length
      ? `axe: ${output.violations.length} serious/critical: ${output.violations.map((violation) => `${violation.id} (${violation.impact}, ${violation.mode}, ${violation.targets.length} nodes)`).join('; ')}`
      : `axe: no serious or critical violations${output.minorViolations ? ` (${output.minorViolations} minor/moderate)` : ''}`,
  );
  lines.push(
    output.contrast.length
      ? `contrast below WCAG AA: ${output.contrast
          .slice(0, 10)
          .map((finding) => `"${finding.text}" ${finding.foreground} on ${finding.background} = ${finding.ratio}:1 (needs ${finding.required}, ${finding.mode})`)
          .join('; ')}${output.contrast.length > 10 ? ` and ${output.contrast.length - 10} more` : ''}`
      : 'contrast: every text passes WCAG AA',
  );
  if (output.blockedRequests.length) lines.push(`blocked requests: ${output.blockedRequests.join(', ')}`);
  if (output.stories.length > 1) lines.push(`stories: ${output.stories.join(', ')}`);
  return lines.join('\n');
}

export function registerPreviewTool(server: McpServer, deps: ServerDeps, browser: () => Promise<PreviewRenderer>): void {
  registerAppTool(server, name, config, (args, ctx) =>
    runGuarded(deps, name, ctx.mcpReq, { expensive: true }, async (signal): Promise<CallToolResult> => {
      const { screenshotPreview } = await import('../../preview/preview-service.js');
      const result = await screenshotPreview(args, { runtime: deps.runtime, logger: deps.logger, signal }, await browser());
      const { render, document } = result;
      const output: PreviewOutput = {
        kind: document.kind,
        name: document.name,
        documentHash: document.hash,
        documentBytes: document.bytes,
        viewport: args.viewport,
        ...(render.story ? { story: render.story } : {}),
        stories: render.stories,
        images: render.shots.map((shot) => ({ mode: shot.mode, width: shot.width, height: shot.height, bytes: shot.png.length })),
        violations: render.violations,
        minorViolations: render.minorViolations,
        contrast: render.contrast,
        errors: render.errors,
        consoleErrors: render.consoleErrors,
        blockedRequests: render.blockedRequests,
        warnings: result.warnings,
      };
      return {
        content: [{ type: 'text', text: summary(output) }, ...render.shots.map((shot) => ({ type: 'image' as const, data: shot.png.toString('base64'), mimeType: 'image/png' }))],
        structuredContent: output,
      };
    }),
  );
}
