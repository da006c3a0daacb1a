/**
 * The Messages API's request rules, as the vendor enforces them (docs checked 2026-11-30,
 * SDK-NOTES "Vendor request rules", and `@anthropic-ai/sdk` 1.12's `MessageCreateParams` and
 * `lib/transform-json-schema`, which strips exactly what strict mode refuses). Each rule
 * answers with the vendor's status, error type and message shape (`<path>: <reason>`).
 */

export interface AnthropicModelSpec {
  maxOutputTokens: number;
  strictTools: boolean;
}

/** Models the fake serves (API ids and aliases); anything else is a 404 as on the real API. */
export const ANTHROPIC_MODELS: Readonly<Record<string, AnthropicModelSpec>> = {
  'claude-opus-4-5': { maxOutputTokens: 64_000, strictTools: true },
  'claude-opus-4-5-20251101': { maxOutputTokens: 64_000, strictTools: true },
  'claude-opus-4-6': { maxOutputTokens: 128_000, strictTools: true },
  'claude-opus-4-7': { maxOutputTokens: 128_000, strictTools: true },
  'claude-opus-4-8': { maxOutputTokens: 128_000, strictTools: true },
  'claude-sonnet-4-0': { maxOutputTokens: 64_000, strictTools: false },
  'claude-sonnet-4-20250514': { maxOutputTokens: 64_000, strictTools: false },
  'claude-sonnet-4-5': { maxOutputTokens: 64_000, strictTools: true },
  'claude-sonnet-4-5-20250929': { maxOutputTokens: 64_000, strictTools: true },
  'claude-sonnet-4-6': { maxOutputTokens: 128_000, strictTools: true },
  'claude-haiku-4-5': { maxOutputTokens: 64_000, strictTools: true },
  'claude-haiku-4-5-20251001': { maxOutputTokens: 64_000, strictTools: true },
};

/** Top-level fields of `MessageCreateParamsBase` in the installed SDK; the API refuses others ("Extra inputs are not permitted"). */
const REQUEST_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'metadata',
  'output_config',
  'service_tier',
  'speed',
  'stop_sequences',
  'stream',
  'system',
  'thinking',
  'tool_choice',
  'tools',
  'user_profile_id',
  'workspace_id',
]);
const COUNT_TOKENS_FIELDS = new Set(['model', 'messages', 'cache_control', 'output_config', 'system', 'thinking', 'tool_choice', 'tools']);

export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const MAX_CACHE_BREAKPOINTS = 4;

export interface ContractError {
  status: number;
  type: 'invalid_request_error' | 'authentication_error' | 'not_found_error';
  message: string;
}

const invalid = (message: string): ContractError => ({ status: 400, type: 'invalid_request_error', message });

export function checkAnthropicHeaders(headers: Record<string, string | string[] | undefined>): ContractError | undefined {
  const bearer = typeof headers.authorization === 'string' && /^Bearer \S+/.test(headers.authorization);
  if (!bearer && !headers['x-api-key']) return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
  if (!headers['anthropic-version']) return invalid('anthropic-version: header is required');
  return undefined;
}

/** The first rule the body breaks, or undefined when the API would accept it. */
export function checkAnthropicRequest(body: unknown, endpoint: 'messages' | 'count_tokens' = 'messages', models = ANTHROPIC_MODELS): ContractError | undefined {
  if (!isObject(body)) return invalid('Request body must be a JSON object');
  const allowed = endpoint === 'messages' ? REQUEST_FIELDS : COUNT_TOKENS_FIELDS;
  for (const key of Object.keys(body)) if (!allowed.has(key)) return invalid(`${key}: Extra inputs are not permitted`);
  if (typeof body.model !== 'string') return invalid('model: Field required');
  const model = models[body.model];
  if (!model) return { status: 404, type: 'not_found_error', message: `model: ${body.model}` };
  if (endpoint === 'messages') {
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) return invalid('max_tokens: Field required');
    if (body.max_tokens < 1) return invalid('max_tokens: Input should be greater than or equal to 1');
    if (body.max_tokens > model.maxOutputTokens) {
      return invalid(`max_tokens: ${body.max_tokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${body.model}`);
    }
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return invalid('messages: at least one message is required');
  const first: unknown = messages[0];
  if (!isObject(first) || first.role !== 'user') return invalid('messages: first message must use the "user" role');
  const toolNames = new Set<string>();
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return invalid('tools: Input should be a valid list');
    for (const [index, tool] of body.tools.entries()) {
      const at = `tools.${index}.custom`;
      if (!isObject(tool)) return invalid(`tools.${index}: Input should be a valid dictionary`);
      if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) return invalid(`${at}.name: String should match pattern '${TOOL_NAME.source}'`);
      if (toolNames.has(tool.name)) return invalid('tools: Tool names must be unique.');
      toolNames.add(tool.name);
      if (!isObject(tool.input_schema) || tool.input_schema.type !== 'object') return invalid(`${at}.input_schema.type: Input should be 'object'`);
      if (tool.strict === true) {
        if (!model.strictTools) return invalid(`${at}.strict: Strict tool use is not supported for model ${body.model}`);
        const problem = strictSchemaProblem(tool.input_schema, tool.input_schema, new Set());
        if (problem) return invalid(`${at}.input_schema: ${problem}`);
      }
    }
  }
  const choice = body.tool_choice;
  if (choice !== undefined) {
    if (!isObject(choice) || !['auto', 'any', 'tool', 'none'].includes(String(choice.type))) return invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
    if ((choice.type === 'tool' || choice.type === 'any') && toolNames.size === 0) return invalid('tool_choice: tool_choice may only be specified while providing tools.');
    if (choice.type === 'tool' && (typeof choice.name !== 'string' || !toolNames.has(choice.name))) {
      return invalid(`tool_choice.name: Tool '${String(choice.name)}' not found in the provided tools`);
    }
  }
  let breakpoints = countCacheControl(body.system) + countCacheControl(body.tools) + (body.cache_control ? 1 : 0);
  for (const [index, message] of messages.entries()) {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) return invalid(`messages.${index}.role: Input should be 'user' or 'assistant'`);
    breakpoints += countCacheControl(message.content);
    const problem = toolResultProblem(messages, index);
    if (problem) return invalid(problem);
  }
  if (breakpoints > MAX_CACHE_BREAKPOINTS) return invalid(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`);
  return undefined;
}

/** A `tool_result` must answer a `tool_use` of the assistant turn right before it. */
function toolResultProblem(messages: unknown[], index: number): string | undefined {
  const message = messages[index];
  if (!isObject(message) || !Array.isArray(message.content)) return undefined;
  const previous = messages[index - 1];
  const offered = new Set<string>();
  if (isObject(previous) && previous.role === 'assistant' && Array.isArray(previous.content)) {
    for (const block of previous.content) if (isObject(block) && block.type === 'tool_use' && typeof block.id === 'string') offered.add(block.id);
  }
  for (const [blockIndex, block] of message.content.entries()) {
    if (isObject(block) && block.type === 'tool_result' && !offered.has(String(block.tool_use_id))) {
      return `messages.${index}.content.${blockIndex}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
  }
  return undefined;
}

const NUMBER_BOUNDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const STRING_BOUNDS = ['minLength', 'maxLength'];
const ARRAY_BOUNDS = ['maxItems', 'uniqueItems'];
const OBJECT_BOUNDS = ['minProperties', 'maxProperties'];

/** What strict tool use refuses in a schema (it compiles the schema into a decoding grammar). */
function strictSchemaProblem(schema: unknown, root: Record<string, unknown>, seen: Set<string>): string | undefined {
  if (!isObject(schema)) return undefined;
  if (typeof schema.$ref === 'string') {
    if (!schema.$ref.startsWith('#/')) return `External $ref '${schema.$ref}' is not supported`;
    if (seen.has(schema.$ref)) return 'Recursive schemas are not supported';
    const target = schema.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), root);
    return strictSchemaProblem(target, root, new Set([...seen, schema.$ref]));
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const refuse = (type: string, keys: string[]) => {
    for (const key of keys) if (key in schema) return `For '${type}' type, property '${key}' is not supported`;
    return undefined;
  };
  for (const type of types) {
    const problem =
      type === 'number' || type === 'integer'
        ? refuse(String(type), NUMBER_BOUNDS)
        : type === 'string'
          ? refuse('string', STRING_BOUNDS)
          : type === 'array'
            ? (refuse('array', ARRAY_BOUNDS) ?? (typeof schema.minItems === 'number' && schema.minItems > 1 ? "For 'array' type, 'minItems' values other than 0 or 1 are not supported" : undefined))
            : type === 'object'
              ? (refuse('object', OBJECT_BOUNDS) ?? (schema.additionalProperties !== false ? "For 'object' type, 'additionalProperties' must be explicitly set to false" : undefined))
              : undefined;
    if (problem) return problem;
  }
  const children: unknown[] = [];
  if (isObject(schema.properties)) children.push(...Object.values(schema.properties));
  if (schema.items !== undefined) children.push(schema.items);
  for (const key of ['anyOf', 'allOf', 'oneOf']) if (Array.isArray(schema[key])) children.push(...(schema[key] as unknown[]));
  if (isObject(schema.$defs)) children.push(...Object.values(schema.$defs));
  for (const child of children) {
    const problem = strictSchemaProblem(child, root, seen);
    if (problem) return problem;
  }
  return undefined;
}

function countCacheControl(value: unknown): number {
  if (!Array.isArray(value)) return 0;
  return value.filter((block) => isObject(block) && block.cache_control !== undefined && block.cache_control !== null).length;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
