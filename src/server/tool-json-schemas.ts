import type { ListToolsResult, McpServer, Tool } from '@modelcontextprotocol/server';
import { BUILT_TOOL_JSON_SCHEMAS } from './built-tool-json-schemas.js';
import { TOOL_SCHEMA_SOURCES, type ToolSchemaSource } from './tool-schema-sources.js';

/** Each tool's JSON Schemas as `tools/list` shows them. */
export type ToolJsonSchemas = Record<string, { inputSchema: Tool['inputSchema']; outputSchema?: Tool['outputSchema'] }>;

/** The JSON Schema draft the SDK converts tool schemas to (v2: `JSON_SCHEMA_CONVERSION_TARGET`). */
const SDK_JSON_SCHEMA_TARGET = 'draft-2020-12';

/**
 * One Zod object schema as JSON Schema, converted as the SDK v2 converts a tool's schemas: by the
 * schema's own Standard JSON Schema interface (zod ≥ 4.2), with the SDK's draft. Our tool schemas
 * are all objects, so the SDK's defaulting of a missing root `type` never applies; a schema that
 * is not an object is refused here rather than listed differently.
 */
function toJsonSchema(schema: ToolSchemaSource['inputSchema'], io: 'input' | 'output'): Tool['inputSchema'] {
  const json = schema['~standard'].jsonSchema[io]({ target: SDK_JSON_SCHEMA_TARGET });
  if (json.type !== 'object') throw new Error(`tool ${io} schema is not a JSON Schema object (type ${JSON.stringify(json.type)})`);
  // The SDK puts `type` first in an input schema (it spreads the conversion after it) and leaves an output schema as converted.
  return io === 'input' ? { type: 'object', ...json } : { ...json, type: 'object' };
}

/**
 * The JSON Schemas of our tools, converted exactly as the SDK's own `tools/list` does. The build
 * runs this and bundles the result (built-tool-json-schemas.ts), so a started server lists its
 * tools without converting 8 Zod schemas at the first `tools/list`.
 */
export function toolJsonSchemasOf(sources: readonly ToolSchemaSource[] = TOOL_SCHEMA_SOURCES): Promise<ToolJsonSchemas> {
  return Promise.resolve(
    Object.fromEntries(
      sources.map((source) => [source.name, { inputSchema: toJsonSchema(source.inputSchema, 'input'), ...(source.outputSchema ? { outputSchema: toJsonSchema(source.outputSchema, 'output') } : {}) }]),
    ),
  );
}

/** The fields of the SDK's registered tool that `tools/list` reads (SDK 2.x keeps them in `_registeredTools`). */
interface RegisteredToolFields {
  enabled: boolean;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: Tool['annotations'];
  icons?: Tool['icons'];
  execution?: Tool['execution'];
  _meta?: Tool['_meta'];
}

function registeredToolsOf(server: McpServer): Record<string, RegisteredToolFields> {
  const tools = (server as unknown as { _registeredTools?: Record<string, RegisteredToolFields> })._registeredTools;
  if (!tools || typeof tools !== 'object') throw new Error('The MCP SDK no longer keeps its tools in McpServer._registeredTools: listToolsFromBuiltSchemas needs updating');
  return tools;
}

/**
 * Answers `tools/list` as the SDK would (same fields, same order: registration order), taking each
 * tool's JSON Schemas from the build when the registered Zod schema is the very object they were
 * made from (otherwise, as in tests run from the sources or a tool registered by an embedder, the
 * SDK's handler answers). The SDK still adds what each protocol generation needs (`resultType`,
 * `ttlMs`/`cacheScope` on 2026-07-28). Call after every tool is registered.
 */
export function listToolsFromBuiltSchemas(server: McpServer, built: ToolJsonSchemas | undefined = BUILT_TOOL_JSON_SCHEMAS): void {
  if (!built) return;
  const sourceByName = new Map(TOOL_SCHEMA_SOURCES.map((source) => [source.name, source]));
  const registered = registeredToolsOf(server);
  const everyToolBuilt = Object.entries(registered).every(([name, tool]) => {
    const source = sourceByName.get(name);
    return source !== undefined && built[name] !== undefined && tool.inputSchema === source.inputSchema && tool.outputSchema === source.outputSchema;
  });
  if (!everyToolBuilt) return;
  server.server.setRequestHandler('tools/list', (): ListToolsResult => ({
    tools: Object.entries(registered)
      .filter(([, tool]) => tool.enabled)
      .map(([name, tool]) => {
        const schemas = built[name]!;
        const definition: Tool = {
          name,
          title: tool.title,
          description: tool.description,
          inputSchema: schemas.inputSchema,
          annotations: tool.annotations,
          icons: tool.icons,
          execution: tool.execution,
          _meta: tool._meta,
        };
        if (schemas.outputSchema) definition.outputSchema = schemas.outputSchema;
        return definition;
      }),
  }));
}
