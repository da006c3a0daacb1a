import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type ListToolsResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { BUILT_TOOL_JSON_SCHEMAS } from './built-tool-json-schemas.js';
import { TOOL_SCHEMA_SOURCES, type ToolSchemaSource } from './tool-schema-sources.js';

/** Each tool's JSON Schemas as `tools/list` shows them. */
export type ToolJsonSchemas = Record<string, { inputSchema: Tool['inputSchema']; outputSchema?: Tool['outputSchema'] }>;

/**
 * The JSON Schemas of our tools, converted exactly as the SDK's own `tools/list` does (its
 * conversion module, its options). The build runs this and bundles the result
 * (built-tool-json-schemas.ts), so a started server lists its tools without converting 8 Zod
 * schemas at the first `tools/list` (~8 ms of a cold start).
 */
export async function toolJsonSchemasOf(sources: readonly ToolSchemaSource[] = TOOL_SCHEMA_SOURCES): Promise<ToolJsonSchemas> {
  const [{ toJsonSchemaCompat }, { normalizeObjectSchema }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/zod-json-schema-compat.js'),
    import('@modelcontextprotocol/sdk/server/zod-compat.js'),
  ]);
  const convert = (schema: ToolSchemaSource['inputSchema'], pipeStrategy: 'input' | 'output') => {
    const object = normalizeObjectSchema(schema);
    if (!object) throw new Error(`tool schema is not a Zod object (${pipeStrategy})`);
    return toJsonSchemaCompat(object, { strictUnions: true, pipeStrategy }) as Tool['inputSchema'];
  };
  return Object.fromEntries(
    sources.map((source) => [source.name, { inputSchema: convert(source.inputSchema, 'input'), ...(source.outputSchema ? { outputSchema: convert(source.outputSchema, 'output') } : {}) }]),
  );
}

/** The fields of the SDK's registered tool that `tools/list` reads (SDK 1.x keeps them in `_registeredTools`). */
interface RegisteredToolFields {
  enabled: boolean;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: Tool['annotations'];
  execution?: Tool['execution'];
  _meta?: Tool['_meta'];
}

function registeredToolsOf(server: McpServer): Record<string, RegisteredToolFields> {
  const tools = (server as unknown as { _registeredTools?: Record<string, RegisteredToolFields> })._registeredTools;
  if (!tools || typeof tools !== 'object') throw new Error('The MCP SDK no longer keeps its tools in McpServer._registeredTools: listToolsFromBuiltSchemas needs updating');
  return tools;
}

/**
 * Answers `tools/list` as the SDK would, taking each tool's JSON Schemas from the build when the
 * registered Zod schema is the very object they were made from (otherwise, as in tests run from
 * the sources or a tool registered by an embedder, the SDK's handler answers). Call after every
 * tool is registered.
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
  server.server.setRequestHandler(ListToolsRequestSchema, (): ListToolsResult => ({
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
          execution: tool.execution,
          _meta: tool._meta,
        };
        if (schemas.outputSchema) definition.outputSchema = schemas.outputSchema;
        return definition;
      }),
  }));
}
