/**
 * The chat-completions request rules of OpenAI's own API (docs checked 2026-11-30, SDK-NOTES
 * "Vendor request rules", `openai` 6.x `ChatCompletionCreateParamsBase`), and the looser ones
 * of local OpenAI-compatible servers (Ollama, vLLM, LM Studio, llama.cpp: any model name, any
 * key or none, `max_tokens`). Errors are `{ error: { message, type, param, code } }`.
 */

export interface OpenAiModelSpec {
  maxOutputTokens: number;
  /** GPT-5 family and o-series: `max_tokens` refused, `max_completion_tokens` required instead. */
  reasoning: boolean;
}

export const OPENAI_MODELS: Readonly<Record<string, OpenAiModelSpec>> = {
  'gpt-5.4': { maxOutputTokens: 128_000, reasoning: true },
  'gpt-5.4-mini': { maxOutputTokens: 128_000, reasoning: true },
  'o4-mini': { maxOutputTokens: 100_000, reasoning: true },
  'gpt-4.1': { maxOutputTokens: 32_768, reasoning: false },
};

/** Top-level fields of `ChatCompletionCreateParamsBase` in the installed SDK. */
const REQUEST_FIELDS = new Set(
  (
    'messages model audio frequency_penalty function_call functions logit_bias logprobs max_completion_tokens max_tokens metadata modalities ' +
    'moderation n parallel_tool_calls prediction presence_penalty prompt_cache_key prompt_cache_options prompt_cache_retention reasoning_effort ' +
    'response_format safety_identifier seed service_tier stop store stream stream_options temperature tool_choice tools top_logprobs top_p user ' +
    'verbosity web_search_options'
  ).split(' '),
);

/** OpenAI's function-name rule (64 characters; Anthropic allows 128). */
export const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface OpenAiContractError {
  status: number;
  type: 'invalid_request_error';
  code: string | null;
  param: string | null;
  message: string;
}

const invalid = (message: string, param: string | null, code: string | null = 'invalid_value'): OpenAiContractError => ({ status: 400, type: 'invalid_request_error', code, param, message });

export type OpenAiFlavour = 'openai' | 'local';

export function checkOpenAiHeaders(headers: Record<string, string | string[] | undefined>, flavour: OpenAiFlavour): OpenAiContractError | undefined {
  if (flavour === 'local') return undefined;
  const auth = headers.authorization;
  if (typeof auth !== 'string' || !/^Bearer \S+/.test(auth)) {
    return {
      status: 401,
      type: 'invalid_request_error',
      code: null,
      param: null,
      message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    };
  }
  return undefined;
}

export function checkOpenAiRequest(body: unknown, flavour: OpenAiFlavour, models: Readonly<Record<string, OpenAiModelSpec>> = OPENAI_MODELS): OpenAiContractError | undefined {
  if (!isObject(body)) return invalid('We could not parse the JSON body of your request.', null, null);
  if (flavour === 'openai') {
    for (const key of Object.keys(body)) if (!REQUEST_FIELDS.has(key)) return invalid(`Unrecognized request argument supplied: ${key}`, null, null);
  }
  if (typeof body.model !== 'string' || !body.model) return invalid("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const model = models[body.model];
  if (flavour === 'openai' && !model) {
    return { status: 404, type: 'invalid_request_error', code: 'model_not_found', param: null, message: `The model \`${body.model}\` does not exist or you do not have access to it.` };
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
  if (model?.reasoning && body.max_tokens !== undefined) {
    return invalid("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter');
  }
  if (body.max_tokens !== undefined && body.max_completion_tokens !== undefined) {
    return invalid("Invalid request: 'max_tokens' and 'max_completion_tokens' cannot both be set.", 'max_tokens');
  }
  const limitParam = body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const limit = body[limitParam];
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1))
    return invalid(`Invalid '${limitParam}': integer below minimum value.`, limitParam, 'integer_below_min_value');
  if (model && typeof limit === 'number' && limit > model.maxOutputTokens) {
    return invalid(`max_tokens is too large: ${limit}. This model supports at most ${model.maxOutputTokens} completion tokens, whereas you provided ${limit}.`, limitParam);
  }
  if (body.stream_options !== undefined && body.stream !== true) return invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', null);
  const names = new Set<string>();
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return invalid("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
    for (const [index, tool] of body.tools.entries()) {
      const fn = isObject(tool) ? tool.function : undefined;
      if (!isObject(tool) || tool.type !== 'function' || !isObject(fn))
        return invalid(`Missing required parameter: 'tools[${index}].function'.`, `tools[${index}].function`, 'missing_required_parameter');
      if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
        return invalid(
          `Invalid 'tools[${index}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' of at most 64 characters.`,
          `tools[${index}].function.name`,
        );
      }
      names.add(fn.name);
      if (fn.strict === true && flavour === 'openai') {
        const problem = strictProblem(fn.parameters);
        if (problem) return invalid(`Invalid schema for function '${fn.name}': ${problem}`, `tools[${index}].function.parameters`, 'invalid_function_parameters');
      }
    }
  }
  const choice = body.tool_choice;
  if (isObject(choice)) {
    if (names.size === 0) return invalid("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", 'tool_choice', null);
    const name = isObject(choice.function) ? choice.function.name : undefined;
    if (choice.type !== 'function' || typeof name !== 'string' || !names.has(name)) {
      return invalid(`Invalid value for 'tool_choice': function '${String(name)}' is not among the provided tools.`, 'tool_choice');
    }
  }
  for (const [index, message] of body.messages.entries()) {
    if (!isObject(message) || !['system', 'developer', 'user', 'assistant', 'tool'].includes(String(message.role))) {
      return invalid(`Invalid value for 'messages[${index}].role'.`, `messages[${index}].role`);
    }
    if (message.role === 'tool') {
      const previous = body.messages[index - 1];
      const ids = isObject(previous) && Array.isArray(previous.tool_calls) ? previous.tool_calls.map((call: { id?: string }) => call.id) : [];
      if (typeof message.tool_call_id !== 'string' || !ids.includes(message.tool_call_id)) {
        return invalid("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${index}].role`, null);
      }
    }
  }
  return undefined;
}

/** Strict function calling: every object closed (`additionalProperties: false`) with every property required. */
function strictProblem(schema: unknown, path = '()'): string | undefined {
  if (!isObject(schema)) return undefined;
  if (schema.type === 'object') {
    if (schema.additionalProperties !== false) return `In context=${path}, 'additionalProperties' is required to be supplied and to be false.`;
    const keys = Object.keys(isObject(schema.properties) ? schema.properties : {});
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = keys.find((key) => !required.includes(key));
    if (missing) return `In context=${path}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    for (const key of keys) {
      const problem = strictProblem((schema.properties as Record<string, unknown>)[key], `('properties', '${key}')`);
      if (problem) return problem;
    }
  }
  if (schema.items !== undefined) return strictProblem(schema.items, `${path}, 'items'`);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
