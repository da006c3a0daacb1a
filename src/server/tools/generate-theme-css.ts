import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { InputError } from '../../errors.js';
import { parseJsonText } from '../../infra/json.js';
import { ThemeCssOptionsSchema, ThemeFormatSchema, ThemeWarningSchema } from '../../theme/schemas.js';
import type { ServerDeps } from '../context.js';
import { runGuarded } from '../tool-guard.js';
import { toolSuccess } from '../tool-result.js';

export const name = 'generate_theme_css';

function parseThemeText(text: string, maxBytes: number): unknown {
  if (Buffer.byteLength(text) > maxBytes) throw new InputError(`theme text is larger than the ${maxBytes}-byte limit`);
  return parseJsonText(text, 'theme');
}

export const inputSchema = z.object({
  theme: z
    .union([z.record(z.string(), z.unknown()), z.string()])
    .describe(
      'A Tekton theme ({ id, tokens: { atomic, semantic, component }, darkMode? }), a W3C DTCG token tree, a DTCG resolver document, or a Style Dictionary 3 / Tokens Studio token tree; as an object, or as the JSON text of the file (then syntax errors come back with line and column).',
    ),
  ...ThemeCssOptionsSchema.partial().shape,
});

const IssueSchema = z.object({ path: z.string(), code: z.string(), message: z.string(), suggestion: z.string().optional() });

export const outputSchema = z.object({
  css: z.string(),
  variableCount: z.number().int().describe('Distinct custom properties defined (a variable set in :root and overridden for dark counts once).'),
  declarations: z
    .object({ light: z.number().int(), dark: z.number().int(), modes: z.record(z.string(), z.number().int()).optional() })
    .describe("Declarations per mode: :root, the dark overrides, and with option `modes` each listed mode's block."),
  errors: z.array(IssueSchema).describe('Tokens left out of the CSS, each naming its path; empty when every token converted.'),
  errorCount: z.number().int(),
  warnings: z.array(ThemeWarningSchema),
  warningSummary: z.array(z.object({ code: z.string(), count: z.number().int(), paths: z.array(z.string()) })),
  themeId: z.string(),
  format: ThemeFormatSchema,
  hash: z.string(),
});

export const config = {
  title: 'Generate theme CSS',
  description:
    'Turns a design theme (Tekton atomic/semantic/component tokens, W3C DTCG tokens or resolver documents, or Style Dictionary 3 / Tokens Studio tokens) into one CSS file of custom properties with dark-mode overrides. Tokens that cannot be used (broken or circular references, unusable values) are left out and listed in `errors` with their path; the CSS of every other token is returned (set strict for all or nothing). Warnings come summarised per code.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

const comment = (text: string) => text.replaceAll('*/', '* /');

/** The refused tokens first, so a reader of the text copy cannot miss that the CSS is partial. */
function errorComment(errors: ReadonlyArray<z.infer<typeof IssueSchema>>, count: number): string {
  if (count === 0) return '';
  const lines = errors.map((e) => comment(` * ${e.path}: ${e.message}${e.suggestion ? ` (${e.suggestion})` : ''}`));
  const more = count > errors.length ? `\n * … and ${count - errors.length} more` : '';
  return `/* ${count} token(s) left out of this CSS:\n${lines.join('\n')}${more}\n */\n`;
}

/** One line per warning code (count and first paths); the structured result has every warning. */
function warningComment(summary: ReadonlyArray<{ code: string; count: number; paths: string[] }>, total: number): string {
  if (total === 0) return '';
  const lines = summary.map((s) => comment(` * ${s.code} ×${s.count}: ${s.paths.join(', ')}${s.count > s.paths.length ? ', …' : ''}`));
  return `\n/* ${total} warning(s):\n${lines.join('\n')}\n */`;
}

export function registerGenerateThemeCssTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(name, config, (args, ctx) =>
    runGuarded(deps, name, ctx.mcpReq, {}, async () => {
      // The theme engine and the contract load on the first call, not at server start.
      const [{ convertTheme }, { CONTRACT_VARIABLES }] = await Promise.all([import('../../theme/generate-theme-css.js'), import('../../catalog/contract.js')]);
      const { theme, ...options } = args;
      const input = typeof theme === 'string' ? parseThemeText(theme, deps.config.limits.maxThemeBytes) : theme;
      const result = convertTheme(input, ThemeCssOptionsSchema.parse(options), { maxTokens: deps.config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES });
      const structured = {
        css: result.css,
        variableCount: new Set([...result.variables.keys(), ...result.darkVariables.keys(), ...(result.modes ?? []).flatMap((block) => [...block.variables.keys()])]).size,
        declarations: {
          light: result.variables.size,
          dark: result.darkVariables.size,
          ...(result.modes ? { modes: Object.fromEntries(result.modes.map((block) => [block.name, block.variables.size])) } : {}),
        },
        errors: result.errors,
        errorCount: result.errorCount,
        warnings: result.warnings,
        warningSummary: result.warningSummary,
        themeId: result.themeId,
        format: result.format,
        hash: result.hash,
      };
      return toolSuccess(structured, `${errorComment(result.errors, result.errorCount)}${result.css}${warningComment(result.warningSummary, result.warnings.length)}`);
    }),
  );
}
