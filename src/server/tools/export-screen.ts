import { fileURLToPath } from 'node:url';
import { inputRequired, inputResponse, ResourceTemplate } from '@modelcontextprotocol/server';
import type { InputRequiredResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import { CALLER_RESULTS } from '../cache-hints.js';
import { registerAppTool } from '../mcp-apps.js';
import * as z from 'zod';
import { DspecError, ErrorCode, InputError } from '../../errors.js';
import { parseJsonText } from '../../infra/json.js';
import type { ExportProgress, ScreenExport } from '../../screen/export-screen.js';
import { exportResourceUri, EXPORT_URI_PREFIX, MemoryExportStore, type ExportStore } from '../../screen/export-store.js';
import type { GenerateUnknown } from '../../screen/route-components.js';
import { PREVIEW_APP_URI } from '../../preview/app-uri.js';
import type { ServerDeps } from '../context.js';
import { runLongCall } from '../long-call.js';
import { progressNotifier } from '../progress-notifier.js';
import { runGuarded } from '../tool-guard.js';
import { toolError, toolSuccess } from '../tool-result.js';

export const name = 'export_screen';

/** Largest export answered inline; larger ones are offered as `export://` resources. */
export const INLINE_EXPORT_LIMIT_BYTES = 1024 * 1024;
/** Largest screen or theme accepted as JSON text. */
const MAX_INPUT_TEXT = 4 * 1024 * 1024;

export const EXPORT_URI_TEMPLATE = 'export://{exportId}/{+path}';

export const inputSchema = z.object({
  screen: z
    .union([z.record(z.string(), z.unknown()), z.string().max(MAX_INPUT_TEXT)])
    .describe('A Tekton screen definition ({ id, name, shell, page, sections[] }) or a blueprint ({ id, name, layout, components[] }), as an object or JSON text.'),
  theme: z
    .union([z.record(z.string(), z.unknown()), z.string().max(MAX_INPUT_TEXT)])
    .optional()
    .describe('A theme as for generate_theme_css (object or JSON text); without one the documented default values are used.'),
  format: z.enum(['tsx', 'jsx']).default('tsx').describe('tsx (default) or jsx (types stripped after validation).'),
  outDir: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      'Write the files into this folder: inside one of the client\'s roots when the client declares roots (relative to the first, or absolute inside any), else relative to the server\'s working directory (no "..", no symlinks). Without it the files come back in the result.',
    ),
  overwrite: z.boolean().default(false).describe('Replace existing files with other contents; otherwise the export refuses and lists them.'),
  dryRun: z.boolean().default(false).describe('With outDir: report what would be created, overwritten or left unchanged, and write nothing.'),
  includeTests: z.boolean().default(true).describe("Include each component's tests and stories (default true)."),
});
export type ExportScreenInput = z.input<typeof inputSchema>;

const FileSchema = z.object({ path: z.string(), bytes: z.number().int(), contents: z.string().optional(), uri: z.string().optional() });

export const outputSchema = z.object({
  success: z.boolean(),
  exportId: z.string(),
  screenName: z.string(),
  files: z.array(FileSchema),
  dependencies: z.record(z.string(), z.string()),
  devDependencies: z.record(z.string(), z.string()),
  components: z.array(
    z.object({
      type: z.string(),
      requestedAs: z.array(z.string()),
      tier: z.enum(['tier1', 'tier2']),
      status: z.enum(['ok', 'failed']),
      errors: z.array(z.string()).optional(),
    }),
  ),
  delivery: z.enum(['inline', 'resources', 'written', 'none']),
  written: z.object({ outDir: z.string(), created: z.array(z.string()), overwritten: z.array(z.string()), unchanged: z.array(z.string()) }).optional(),
  dryRun: z.boolean().optional(),
  findings: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type ExportScreenOutput = z.infer<typeof outputSchema>;

export const config = {
  title: 'Export a screen as React code',
  description:
    'Turns a screen design (a Tekton screen definition or a simple blueprint) into a React screen a developer can drop into an app: the screen component rendering the real component tree with its props and text, layout CSS (grid, responsive), the theme CSS, each component (catalog components vetted; others generated when an LLM provider is configured), a barrel index and the npm dependencies. The whole export is type-checked and validated before it is returned. Give outDir to write the files (atomically, never through symlinks, never over changed files unless overwrite is set; dryRun shows the plan).',
  inputSchema,
  outputSchema,
  // Apps-aware hosts show the live preview (MCP App) beside the result; others ignore _meta.
  _meta: { ui: { resourceUri: PREVIEW_APP_URI } },
  // Writes files under outDir and, with overwrite, replaces existing ones (destructive); an unknown
  // component type may call a paid external model (open world) that can be billed again on a repeat.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
};

export interface ExportScreenToolOptions {
  /** The protocol generation of the server: how the client's roots are asked for (2026-07-28: input_required). */
  era?: 'legacy' | 'modern';
  /** A dropped stream is not a cancellation (HTTP): the export goes on and its outcome is kept (long-call.ts). */
  detachLongCalls?: boolean;
  /** Tier 2 generation for types the catalog lacks; without it such screens fail with a per-component error. */
  generateUnknown?: GenerateUnknown;
  /** Where large exports are kept for `export://` reads; share one per process (stateless HTTP builds a server per request). */
  store?: ExportStore;
  /** Largest export answered inline (default 1 MB). */
  inlineLimitBytes?: number;
}

function parseInput(value: Record<string, unknown> | string, source: string): unknown {
  return typeof value === 'string' ? parseJsonText(value, source) : value;
}

function describe(output: ExportScreenOutput): string {
  const lines = [
    output.success
      ? `${output.screenName}: exported ${output.files.length} files (${output.delivery})${output.dryRun ? ' — dry run, nothing written' : ''}`
      : `${output.screenName}: export failed; nothing ${output.written ? 'was written' : 'is presented as complete'}`,
    `components: ${output.components.map((component) => `${component.type} (${component.tier}${component.status === 'failed' ? ', FAILED' : ''})`).join(', ')}`,
  ];
  for (const component of output.components) for (const error of component.errors ?? []) lines.push(`  ${component.type}: ${error}`);
  if (output.success)
    lines.push(
      `npm dependencies: ${Object.entries(output.dependencies)
        .map(([pkg, range]) => `${pkg}@${range}`)
        .join(', ')}`,
    );
  if (output.written) {
    lines.push(
      `${output.dryRun ? 'would write to' : 'written to'} ${output.written.outDir}: ${output.written.created.length} created, ${output.written.overwritten.length} overwritten, ${output.written.unchanged.length} unchanged`,
    );
  }
  for (const warning of output.warnings.slice(0, 20)) lines.push(`warning: ${warning}`);
  if (output.delivery === 'inline') {
    for (const file of output.files) if (file.contents !== undefined) lines.push('', `// ── ${file.path} ──`, file.contents);
  } else if (output.delivery === 'resources') {
    lines.push('', 'The export is larger than the inline limit; read each file as a resource:');
    for (const file of output.files) lines.push(`  ${file.uri} (${file.bytes} bytes)`);
  }
  return lines.join('\n');
}

export function registerExportScreenTool(server: McpServer, deps: ServerDeps, options: ExportScreenToolOptions = {}): void {
  const store = options.store ?? new MemoryExportStore();
  const inlineLimit = options.inlineLimitBytes ?? INLINE_EXPORT_LIMIT_BYTES;

  registerAppTool(server, name, config, async (args, ctx) => {
    const notifyProgress = progressNotifier(ctx, deps.logger);
    // The folders the client lets the server write in are asked for before the work starts: a
    // 2026-07-28 client answers through an input_required round, which must not run as a job.
    let roots: string[] | undefined;
    if (args.outDir) {
      try {
        const asked = await clientRoots(server, ctx, options.era ?? 'legacy');
        if (asked.kind === 'ask') return asked.result;
        roots = asked.roots;
      } catch (error) {
        return toolError(error, deps.logger, name);
      }
    }
    return runLongCall(deps, ctx, name, args, { detach: options.detachLongCalls ?? false, onProgress: notifyProgress }, (jobSignal, report) =>
      runGuarded(deps, name, { signal: jobSignal, notify: (notification) => ctx.mcpReq.notify(notification), envelope: ctx.mcpReq.envelope }, { expensive: true }, async (signal) => {
        const [{ exportScreen }, { writeExport }] = await Promise.all([import('../../screen/export-screen.js'), import('../../screen/write-export.js')]);
        if (args.dryRun && !args.outDir) throw new InputError('dryRun needs outDir: it reports what writing to that folder would change.');
        const onProgress = (event: ExportProgress) => report({ stage: 'export', message: event.message, progress: event.progress, total: event.total });
        const result: ScreenExport = await exportScreen(
          {
            screen: parseInput(args.screen, 'screen'),
            theme: args.theme === undefined ? undefined : parseInput(args.theme, 'theme'),
            format: args.format,
            includeTests: args.includeTests,
          },
          { gate: await deps.runtime.gate(), generateUnknown: options.generateUnknown, signal, onProgress, maxThemeTokens: deps.config.limits.maxTokens },
        );
        const base = {
          success: result.success,
          exportId: result.exportId,
          screenName: result.screenName,
          dependencies: result.dependencies,
          devDependencies: result.devDependencies,
          components: result.components,
          findings: result.findings.map((finding) => `${finding.line ? `${finding.file}:${finding.line}:${finding.column}` : finding.file} ${finding.code} ${finding.message}`),
          warnings: result.warnings,
        };
        const sized = result.files.map((file) => ({ path: file.path, bytes: Buffer.byteLength(file.contents), contents: file.contents }));
        let output: ExportScreenOutput;
        if (!result.success) {
          output = { ...base, files: [], delivery: 'none' };
        } else if (args.outDir) {
          signal.throwIfAborted();
          const plan = await writeExport(result.files, { root: deps.cwd, roots, outDir: args.outDir, overwrite: args.overwrite, dryRun: args.dryRun, signal });
          output = {
            ...base,
            files: sized.map(({ path, bytes }) => ({ path, bytes })),
            delivery: 'written',
            written: { outDir: plan.outDir, created: plan.created, overwritten: plan.overwritten, unchanged: plan.unchanged },
            dryRun: plan.dryRun,
          };
        } else if (sized.reduce((total, file) => total + file.bytes, 0) <= inlineLimit) {
          output = { ...base, files: sized, delivery: 'inline' };
        } else {
          await store.put(result.exportId, result.files);
          output = { ...base, files: sized.map(({ path, bytes }) => ({ path, bytes, uri: exportResourceUri(result.exportId, path) })), delivery: 'resources' };
        }
        return toolSuccess(output, describe(output));
      }),
    );
  });

  registerExportResources(server, store);
}

/**
 * The folders the client lets the server write in (`roots/list`), when it declares the roots
 * capability; undefined (the working directory) when it declares none or lists none. Only
 * `file://` roots name folders; others are ignored. A failed `roots/list` is an error, not the
 * working directory: a client that declared roots meant to limit where files go. A 2025 client
 * is asked with a request while the call waits; a 2026-07-28 client through an input_required
 * round (`ask`), whose retry carries the list.
 */
async function clientRoots(server: McpServer, ctx: ServerContext, era: 'legacy' | 'modern'): Promise<{ kind: 'roots'; roots: string[] | undefined } | { kind: 'ask'; result: InputRequiredResult }> {
  if (!server.server.getClientCapabilities()?.roots) return { kind: 'roots', roots: undefined };
  let listed: Array<{ uri: string }>;
  if (era === 'modern') {
    const answer = inputResponse(ctx.mcpReq.inputResponses, ROOTS_INPUT_KEY);
    if (answer.kind === 'missing') return { kind: 'ask', result: inputRequired({ inputRequests: { [ROOTS_INPUT_KEY]: inputRequired.listRoots() } }) };
    if (answer.kind !== 'roots') throw new DspecError(ErrorCode.InvalidInput, `the retry answers "${ROOTS_INPUT_KEY}" with ${answer.kind}, not the roots/list result it was asked for`);
    listed = answer.roots;
  } else {
    try {
      listed = (await server.server.listRoots(undefined, { signal: ctx.mcpReq.signal })).roots;
    } catch (error) {
      throw new DspecError(ErrorCode.InvalidInput, `the client declares roots but roots/list failed: ${(error as Error).message}`, {
        suggestion: 'Answer roots/list, or leave out outDir to receive the files in the result.',
        cause: error,
      });
    }
  }
  const folders = listed.filter((root) => root.uri.startsWith('file://')).map((root) => fileURLToPath(root.uri));
  return { kind: 'roots', roots: folders.length ? folders : undefined };
}

/** The key of the roots request in an export's input_required round. */
const ROOTS_INPUT_KEY = 'roots';

/** `export://<id>/<path>`: the files of an export too large to answer inline, while the store keeps it. */
export function registerExportResources(server: McpServer, store: ExportStore): void {
  server.registerResource(
    'screen-export-file',
    new ResourceTemplate(EXPORT_URI_TEMPLATE, {
      list: async () => {
        const listed = await Promise.all((await store.ids()).map(async (exportId) => ({ exportId, paths: (await store.list(exportId)) ?? [] })));
        return {
          resources: listed.flatMap(({ exportId, paths }) =>
            paths.map((filePath) => ({ uri: exportResourceUri(exportId, filePath), name: `${exportId.slice(0, 8)}/${filePath}`, mimeType: mimeTypeOf(filePath) })),
          ),
        };
      },
    }),
    { title: 'Exported screen file', description: 'One file of a screen export that was too large to return inline.', cacheHint: CALLER_RESULTS },
    // The store may be the shared bucket (another replica may have exported): any replica answers.
    async (uri) => {
      const rest = uri.href.slice(EXPORT_URI_PREFIX.length);
      const slash = rest.indexOf('/');
      const exportId = slash > 0 ? rest.slice(0, slash) : rest;
      const filePath =
        slash > 0
          ? rest
              .slice(slash + 1)
              .split('/')
              .map(decodeURIComponent)
              .join('/')
          : '';
      const contents = await store.get(exportId, filePath);
      if (contents === undefined) {
        throw new DspecError(ErrorCode.NotFound, `no file "${filePath.slice(0, 200)}" in export ${exportId.slice(0, 64)}; exports are kept for a while only`, {
          suggestion: 'Call export_screen again (or give outDir to write the files).',
        });
      }
      return { contents: [{ uri: uri.href, mimeType: mimeTypeOf(filePath), text: contents }] };
    },
  );
}

function mimeTypeOf(filePath: string): string {
  if (filePath.endsWith('.css')) return 'text/css';
  if (filePath.endsWith('.json')) return 'application/json';
  if (filePath.endsWith('.md')) return 'text/markdown';
  if (/\.(tsx|ts)$/.test(filePath)) return 'text/typescript';
  return 'text/javascript';
}
