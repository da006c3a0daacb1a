import { McpServer, type ProtocolEra } from '@modelcontextprotocol/server';
import { SERVER_CACHE_HINTS } from './cache-hints.js';
import { attachClientLog, secretValuesOf } from './client-log.js';
import { samplingStateCodec } from './client-sampling.js';
import type { ServerDeps } from './context.js';
import { registerGenerationPrompts } from './prompts/generation-prompts.js';
import { registerCatalogResources } from './resources/catalog.js';
import { registerEvalResource } from './resources/eval.js';
import { registerPreviewAppResource } from './resources/preview-app.js';
import { registerStatusResource } from './resources/status.js';
import { listToolsFromBuiltSchemas } from './tool-json-schemas.js';
import { registerCacheStatsTool } from './tools/cache-stats.js';
import { registerCostReportTool } from './tools/cost-report.js';
import { registerExportScreenTool } from './tools/export-screen.js';
import { registerGenerateComponentTool } from './tools/generate-component.js';
import { registerGenerateThemeCssTool } from './tools/generate-theme-css.js';
import { registerJobStatusTool } from './tools/job-status.js';
import { registerPreviewDocumentTool } from './tools/preview-document.js';
import { registerPreviewTool } from './tools/preview.js';
import { registerValidateComponentTool } from './tools/validate-component.js';

/** Names of the tools this build registers, for the start-up banner and docs. */
export const TOOL_NAMES = ['generate_theme_css', 'generate_component', 'export_screen', 'validate_component', 'cache_stats', 'cost_report', 'preview', 'preview_document', 'job_status'] as const;

/**
 * Builds a fully wired MCP server from explicit dependencies. Transports (stdio, HTTP) and
 * tests call this the same way; nothing here knows which transport it will be connected to.
 */
export interface CreateServerOptions {
  /**
   * Tee tool log lines to the client (`notifications/message`). Off for 2025 clients of stateless
   * HTTP: such a client cannot choose a level (each POST meets a new server), so it gets only the
   * answer. A 2026 request names its level itself, so its lines follow that.
   */
  clientLog?: boolean;
  /**
   * The protocol generation this server will serve, as the SDK's serving entries (`serveStdio`,
   * `createMcpHandler`) tell their factory: 'legacy' for 2025 clients (default), 'modern' for 2026-07-28.
   */
  era?: ProtocolEra;
  /**
   * HTTP: a dropped response stream is not a cancellation, so long calls (Tier 2 generation,
   * export) go on to the end and keep their outcome for `job_status` (long-call.ts). Off for stdio,
   * whose client cancels for real.
   */
  detachLongCalls?: boolean;
}

export function createServer(serverDeps: ServerDeps, options: CreateServerOptions = {}): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'dspec', title: 'dspec: design specs to React code', version: serverDeps.version },
    {
      capabilities: { tools: {}, resources: {}, prompts: {}, completions: {}, logging: {} },
      cacheHints: SERVER_CACHE_HINTS,
      // Sampling rounds of 2026-07-28 clients carry signed state; a forged or stale one is refused before any handler runs.
      requestState: { verify: (state, ctx) => samplingStateCodec(serverDeps.runtime.requestStateKey).verify(state, ctx) },
      instructions:
        'dspec turns design specs into production React code. Use export_screen to turn a screen definition into a routed, validated React screen, generate_component for React components (catalog components come vetted; read dspec://catalog for the list), generate_theme_css to turn a theme or W3C design tokens into CSS custom properties, validate_component to check React component code against the design-system gate (syntax, types, colour and token rules, accessibility) before showing it, preview to look at a component or screen (PNG screenshots, light and dark, with accessibility and contrast findings), and cost_report / cache_stats to see what LLM generation cost and what the cache holds.',
    },
  );
  // Tools log through a tee: stderr as before, and the client as notifications/message.
  const clientLog = attachClientLog(server, serverDeps.logger, secretValuesOf(serverDeps.runtime.env, [serverDeps.config.http.token, serverDeps.config.http.requestStateKey]), options.era);
  const deps: ServerDeps = options.clientLog === false ? serverDeps : { ...serverDeps, logger: clientLog.logger };
  registerGenerateThemeCssTool(server, deps);
  registerGenerateComponentTool(server, deps, { era: options.era ?? 'legacy', detachLongCalls: options.detachLongCalls ?? false });
  registerExportScreenTool(server, deps, {
    era: options.era ?? 'legacy',
    detachLongCalls: options.detachLongCalls ?? false,
    store: deps.runtime.exports,
    // Generation loads only when a screen has a type the catalog lacks.
    generateUnknown: async (type, description, signal, options) => {
      const { createScreenComponentGenerator } = await import('../generation/pipeline/screen-component-generator.js');
      return createScreenComponentGenerator(() => ({ runtime: deps.runtime, logger: deps.logger }))(type, description, signal, options);
    },
  });
  registerValidateComponentTool(server, deps);
  registerCacheStatsTool(server, deps);
  registerCostReportTool(server, deps);
  // The runtime's headless browser, only started (its driver code only loaded) by a preview.
  registerPreviewTool(server, deps, () => deps.runtime.previewBrowser());
  registerPreviewDocumentTool(server, deps);
  registerJobStatusTool(server, deps);
  registerPreviewAppResource(server);
  registerCatalogResources(server, deps);
  registerStatusResource(server, deps);
  registerEvalResource(server, deps);
  registerGenerationPrompts(server, deps);
  // The bundle carries the tools' JSON Schemas, made at build time, so tools/list converts none.
  listToolsFromBuiltSchemas(server);
  return {
    server,
    cleanup: async () => {
      await server.close();
    },
  };
}
