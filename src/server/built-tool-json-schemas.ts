import type { ToolJsonSchemas } from './tool-json-schemas.js';

/**
 * The tools' JSON Schemas made at build time: scripts/build.mjs replaces this module in the
 * bundle with the output of `toolJsonSchemasOf()`. Undefined when running from the sources, where
 * the SDK converts the Zod schemas itself.
 */
export const BUILT_TOOL_JSON_SCHEMAS: ToolJsonSchemas | undefined = undefined;
