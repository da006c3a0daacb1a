import type { ZodObject, ZodRawShape } from 'zod';
import * as cacheStats from './tools/cache-stats.js';
import * as costReport from './tools/cost-report.js';
import * as exportScreen from './tools/export-screen.js';
import * as generateComponent from './tools/generate-component.js';
import * as generateThemeCss from './tools/generate-theme-css.js';
import * as jobStatus from './tools/job-status.js';
import * as previewDocument from './tools/preview-document.js';
import * as preview from './tools/preview.js';
import * as validateComponent from './tools/validate-component.js';

/** One tool's name and the Zod schemas it registers. */
export interface ToolSchemaSource {
  name: string;
  inputSchema: ZodObject<ZodRawShape>;
  outputSchema?: ZodObject<ZodRawShape>;
}

/** Every tool createServer registers, with the schema objects it registers them with. */
export const TOOL_SCHEMA_SOURCES: readonly ToolSchemaSource[] = [generateThemeCss, generateComponent, exportScreen, validateComponent, cacheStats, costReport, preview, previewDocument, jobStatus].map(
  ({ name, config }) => ({ name, inputSchema: config.inputSchema, outputSchema: config.outputSchema }),
);
