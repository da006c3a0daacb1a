import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { BUNDLE_LIMITS } from '../../shapes/bundle.js';
import { FindingSchema } from '../../shapes/finding.js';
import type { ServerDeps } from '../context.js';
import { runGuarded } from '../tool-guard.js';
import { toolSuccess } from '../tool-result.js';

export const name = 'validate_component';

// Shapes only: the gate itself reports bad names, file names and sizes as schema findings.
export const inputSchema = z.object({
  name: z.string().max(100).describe('The exported component name (PascalCase); its main file is <name>.tsx.'),
  files: z
    .array(z.object({ path: z.string().max(200), contents: z.string().max(BUNDLE_LIMITS.maxFileBytes) }))
    .max(BUNDLE_LIMITS.maxFiles)
    .describe('The bundle files, flat: e.g. Button.tsx, Button.module.css, Button.test.tsx.'),
  dependencies: z.record(z.string(), z.string()).optional().describe('npm package → semver range for every package the code imports (React is implied).'),
  theme: z.record(z.string(), z.unknown()).optional().describe('The active theme (as generate_theme_css takes it); when given, every var(--x) must be defined by it or by the bundle CSS.'),
});

export const outputSchema = z.object({
  valid: z.boolean(),
  errors: z.array(FindingSchema),
  warnings: z.array(FindingSchema),
  durationMs: z.number(),
  summary: z.string(),
  layersRun: z.array(z.string()),
  validatorVersion: z.string(),
});

export const config = {
  title: 'Validate component',
  description:
    'Runs the dspec gate on a React component bundle: schema, syntax, TypeScript types, design-system rules (no hard-coded colours, only theme variables, allowed imports, named export), accessibility and hooks rules, and test quality. Returns every finding with file:line:column and a fix.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

export function registerValidateComponentTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(name, config, (args, ctx) =>
    runGuarded(deps, name, ctx.mcpReq, { expensive: true }, async () => {
      // The gate loads TypeScript, ESLint and Stylelint: only when the tool is first called.
      const [gate, { VALIDATOR_VERSION }, { formatFindingsForHumans }] = await Promise.all([
        deps.runtime.gate(),
        import('../../validation/validate-bundle.js'),
        import('../../validation/format-findings.js'),
      ]);
      let themeVariables: ReadonlySet<string> | undefined;
      if (args.theme) {
        const [{ generateThemeCss }, { ThemeCssOptionsSchema }, { themeVariablesOf }, { CONTRACT_VARIABLES }] = await Promise.all([
          import('../../theme/generate-theme-css.js'),
          import('../../theme/schemas.js'),
          import('../../validation/theme-variables.js'),
          import('../../catalog/contract.js'),
        ]);
        themeVariables = themeVariablesOf(generateThemeCss(args.theme, ThemeCssOptionsSchema.parse({}), { maxTokens: deps.config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES }));
      }
      const result = await gate.validate({ name: args.name, files: args.files, dependencies: args.dependencies ?? {} }, { themeVariables });
      const summary = result.valid
        ? `${args.name} passed every layer (${result.layersRun.join(', ')}) with ${result.warnings.length} warning(s).`
        : `${args.name} failed in the ${result.layersRun.at(-1)} layer: ${result.errors.length} error(s), ${result.warnings.length} warning(s).`;
      const structured = { ...result, summary, layersRun: [...result.layersRun], validatorVersion: VALIDATOR_VERSION };
      const findings = [...result.errors, ...result.warnings];
      return toolSuccess(structured, `${summary}\n${findings.length ? formatFindingsForHumans(findings) : ''}`);
    }),
  );
}
