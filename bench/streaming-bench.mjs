// Streaming overhead per generation: the providers' streamed path (SSE parsed event by event,
// usage tracked, idle timer reset on each event) against the same request made without
// streaming, on a local fake that sends the same answer either way. The fake's own time is
// subtracted from both. Needs a build (`npm run build`).
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, percentile, printTable, round } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const dist = (file) => pathToFileURL(path.join(distDir, file)).href;

export const TARGETS = { streamingOverheadMedianMs: 5 };
/** Characters per delta event: about what the vendors send (a few tokens per event). */
const DELTA_CHARS = 16;

const sse = (event, data) => `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
const pieces = (text) => Array.from({ length: Math.ceil(text.length / DELTA_CHARS) }, (_, i) => text.slice(i * DELTA_CHARS, (i + 1) * DELTA_CHARS));

/** Anthropic's and OpenAI's wire formats, JSON or SSE as the request asks, timing itself. */
async function startFake(toolInput) {
  const serverTimes = [];
  let count = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const started = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      count++;
      const args = JSON.stringify({ ...toolInput, component: `${toolInput.component}// request ${count}\n` });
      if (req.url.startsWith('/v1/messages')) {
        const usage = { input_tokens: 1200, output_tokens: 900, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
        const name = body.tool_choice.name;
        if (!body.stream) {
          const payload = JSON.stringify({ id: `msg_${count}`, type: 'message', role: 'assistant', model: body.model, content: [{ type: 'tool_use', id: `toolu_${count}`, name, input: JSON.parse(args) }], stop_reason: 'tool_use', stop_sequence: null, usage });
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${count}` });
          res.end(payload);
        } else {
          let out = sse('message_start', { type: 'message_start', message: { id: `msg_${count}`, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } });
          out += sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: `toolu_${count}`, name, input: {} } });
          for (const piece of pieces(args)) out += sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: piece } });
          out += sse('content_block_stop', { type: 'content_block_stop', index: 0 });
          out += sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 900 } });
          out += sse('message_stop', { type: 'message_stop' });
          res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_${count}` });
          res.end(out);
        }
      } else {
        const name = body.tool_choice.function.name;
        const base = { id: `chatcmpl-${count}`, created: 1_764_460_800, model: body.model };
        const usage = { prompt_tokens: 1500, completion_tokens: 800, total_tokens: 2300 };
        if (!body.stream) {
          const payload = JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: `call_${count}`, type: 'function', function: { name, arguments: args } }] }, finish_reason: 'tool_calls', logprobs: null }], usage });
          res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${count}` });
          res.end(payload);
        } else {
          const chunk = (delta, finish) => sse(null, { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], usage: null });
          let out = chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: `call_${count}`, type: 'function', function: { name, arguments: '' } }] }, null);
          for (const piece of pieces(args)) out += chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null);
          out += chunk({}, 'tool_calls');
          out += sse(null, { ...base, object: 'chat.completion.chunk', choices: [], usage });
          out += sse(null, '[DONE]');
          res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_${count}` });
          res.end(out);
        }
      }
      serverTimes.push(performance.now() - started);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, serverTimes, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Interleaves the two paths so drift in machine load hits both alike; returns per-call times minus the server's. */
async function measurePair(runs, streamed, plain, fake) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, into] of i % 2 ? [[plain, b], [streamed, a]] : [[streamed, a], [plain, b]]) {
      const before = fake.serverTimes.length;
      const started = performance.now();
      await fn();
      into.push(performance.now() - started - (fake.serverTimes[before] ?? 0));
    }
  }
  return { streamed: a, plain: b };
}

export async function runStreamingBench({ runs = 60, print = true } = {}) {
  const { AnthropicProvider } = await import(dist('generation/anthropic-provider.js'));
  const { OpenAiCompatibleProvider } = await import(dist('generation/openai-compatible-provider.js'));
  const { GENERATED_COMPONENT_TOOL, generatedComponentJsonSchema } = await import(dist('generation/generated-bundle.js'));
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const { default: OpenAI } = await import('openai');
  const { VALID_STAT_CARD_OUTPUT } = await import(pathToFileURL(path.join(root, 'test/generation/fixtures/stat-card.mjs')).href);

  const fake = await startFake(VALID_STAT_CARD_OUTPUT);
  try {
    const call = { prompt: { system: 'You write React components.', user: ['Examples …', 'Write a StatCard.'] }, tool: { ...GENERATED_COMPONENT_TOOL, inputSchema: generatedComponentJsonSchema() }, maxTokens: 8192, idleTimeoutMs: 60_000 };
    const anthropic = new AnthropicProvider({ apiKey: 'bench-key', baseURL: fake.origin, model: 'claude-sonnet-4-6', timeoutMs: 30_000 });
    const openai = new OpenAiCompatibleProvider({ apiKey: 'bench-key', baseURL: `${fake.origin}/v1`, model: 'gpt-5.4-mini', timeoutMs: 30_000 });
    // The non-streaming path: the very request the provider builds, sent without `stream` by the same SDK.
    const anthropicClient = new Anthropic({ apiKey: 'bench-key', baseURL: fake.origin, maxRetries: 0, timeout: 30_000 });
    const openaiClient = new OpenAI({ apiKey: 'bench-key', baseURL: `${fake.origin}/v1`, maxRetries: 0, timeout: 30_000 });
    let anthropicBody;
    let openaiBody;
    // Capture the bodies from a real provider call through the fake.
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const body = JSON.parse(init.body);
      if (String(input).includes('/v1/messages')) anthropicBody ??= body;
      else openaiBody ??= body;
      return realFetch(input, init);
    };
    try {
      await new AnthropicProvider({ apiKey: 'k', baseURL: fake.origin, model: 'claude-sonnet-4-6', timeoutMs: 5000 }).generate(call);
      await new OpenAiCompatibleProvider({ apiKey: 'k', baseURL: `${fake.origin}/v1`, model: 'gpt-5.4-mini', timeoutMs: 5000 }).generate(call);
    } finally {
      globalThis.fetch = realFetch;
    }
    const { stream: _s1, ...anthropicPlain } = anthropicBody;
    const { stream: _s2, stream_options: _s3, ...openaiPlain } = openaiBody;
    const plainAnthropic = () => anthropicClient.messages.create(anthropicPlain);
    const plainOpenAi = () => openaiClient.chat.completions.create(openaiPlain);

    for (let i = 0; i < 5; i++) {
      await anthropic.generate(call);
      await plainAnthropic();
      await openai.generate(call);
      await plainOpenAi();
    }
    const deltas = pieces(JSON.stringify(VALID_STAT_CARD_OUTPUT)).length;
    const a = await measurePair(runs, () => anthropic.generate(call), plainAnthropic, fake);
    const o = await measurePair(runs, () => openai.generate(call), plainOpenAi, fake);
    const result = {
      deltaEventsPerAnswer: deltas,
      anthropicStreamedMedianMs: round(median(a.streamed), 2),
      anthropicPlainMedianMs: round(median(a.plain), 2),
      anthropicOverheadMedianMs: round(median(a.streamed) - median(a.plain), 2),
      anthropicStreamedP95Ms: round(percentile(a.streamed, 95), 2),
      openaiStreamedMedianMs: round(median(o.streamed), 2),
      openaiPlainMedianMs: round(median(o.plain), 2),
      openaiOverheadMedianMs: round(median(o.streamed) - median(o.plain), 2),
      openaiStreamedP95Ms: round(percentile(o.streamed, 95), 2),
      targets: TARGETS,
    };
    result.pass = result.anthropicOverheadMedianMs <= TARGETS.streamingOverheadMedianMs && result.openaiOverheadMedianMs <= TARGETS.streamingOverheadMedianMs;
    if (print) {
      printTable(`Streaming overhead per generation (${deltas} delta events per answer, fake server time subtracted)`, [
        { measure: 'Anthropic streamed (provider) median', value: `${result.anthropicStreamedMedianMs} ms`, target: '' },
        { measure: 'Anthropic non-streaming (same request) median', value: `${result.anthropicPlainMedianMs} ms`, target: '' },
        { measure: 'Anthropic streaming overhead (median)', value: `${result.anthropicOverheadMedianMs} ms`, target: `≤ ${TARGETS.streamingOverheadMedianMs} ms` },
        { measure: 'OpenAI streamed (provider) median', value: `${result.openaiStreamedMedianMs} ms`, target: '' },
        { measure: 'OpenAI non-streaming (same request) median', value: `${result.openaiPlainMedianMs} ms`, target: '' },
        { measure: 'OpenAI streaming overhead (median)', value: `${result.openaiOverheadMedianMs} ms`, target: `≤ ${TARGETS.streamingOverheadMedianMs} ms` },
      ]);
      console.log(result.pass ? 'streaming: all targets met' : 'streaming: some targets missed');
    }
    return result;
  } finally {
    await fake.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runStreamingBench();
  process.exitCode = result.pass ? 0 : 1;
}
