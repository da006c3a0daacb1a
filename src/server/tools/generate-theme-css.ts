import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
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

export const outputSchema = z.object({
  css: z.string(),
  variableCount: z.number().int(),
  warnings: z.array(ThemeWarningSchema),
  themeId: z.string(),
  format: ThemeFormatSchema,
  hash: z.string(),
});

export const config = {
  title: 'Generate theme CSS',
  description:
    'Turns a design theme (Tekton atomic/semantic/component tokens, W3C DTCG tokens or resolver documents, or Style Dictionary 3 / Tokens Studio tokens) into one CSS file of custom properties with dark-mode overrides. Reports broken or circular references with the token path, and contrast warnings.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

export function registerGenerateThemeCssTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(name, config, (args, extra) =>
    runGuarded(deps, name, extra.signal, {}, async () => {
      // The theme engine and the contract load on the first call, not at server start.
      const [{ generateThemeCss }, { CONTRACT_VARIABLES }] = await Promise.all([import('../../theme/generate-theme-css.js'), import('../../catalog/contract.js')]);
      const { theme, ...options } = args;
      const input = typeof theme === 'string' ? parseThemeText(theme, deps.config.limits.maxThemeBytes) : theme;
      const result = generateThemeCss(input, ThemeCssOptionsSchema.parse(options), { maxTokens: deps.config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES });
      const structured = {
        css: result.css,
        variableCount: result.variables.size + result.darkVariables.size,
        warnings: result.warnings,
        themeId: result.themeId,
        format: result.format,
        hash: result.hash,
      };
      const warningText = result.warnings.length
        ? `\n/* ${result.warnings.length} warning(s):\n${result.warnings.map((w) => ` * ${w.path}: ${w.message}`.replaceAll('*/', '* /')).join('\n')}\n */`
        : '';
      return toolSuccess(structured, result.css + warningText);
    }),
  );
}
