import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { generateThemeCss } from '../../theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, ThemeFormatSchema, ThemeWarningSchema } from '../../theme/schemas.js';
import type { ServerDeps } from '../context.js';
import { toolError, toolSuccess } from '../tool-result.js';

export const name = 'generate_theme_css';

export const inputSchema = z.object({
  theme: z
    .record(z.string(), z.unknown())
    .describe('A Tekton theme ({ id, tokens: { atomic, semantic, component }, darkMode? }), a W3C DTCG token tree, or a DTCG resolver document.'),
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
    'Turns a design theme (Tekton atomic/semantic/component tokens, or W3C DTCG tokens / resolver) into one CSS file of custom properties with dark-mode overrides. Reports broken or circular references with the token path, and contrast warnings.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

export function registerGenerateThemeCssTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(name, config, async (args) => {
    try {
      const { theme, ...options } = args;
      const result = generateThemeCss(theme, ThemeCssOptionsSchema.parse(options), { maxTokens: deps.config.limits.maxTokens });
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
    } catch (error) {
      return toolError(error, deps.logger, name);
    }
  });
}
