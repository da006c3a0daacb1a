// Streaming overhead per generation: the providers' streamed path (SSE parsed event by event,
// usage tracked, idle timer reset on each event) against the same request made without
// streaming by the same SDK, on a fake (in a child process) that sends the same answer either
// way, one event per write. The overhead is the extra client CPU time per generation; wall
// times are reported too (they include the events' pacing on the wire). Needs `npm run build`.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, percentile, printTable, round } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const dist = (file) => pathToFileURL(path.join(distDir, file)).href;

export const TARGETS = { streamingOverheadMedianMs: 5 };
/** Characters per delta event: about what the vendors send (a few tokens per event); the fake uses the same. */
const DELTA_CHARS = 16;

const pieces = (text) => Array.from({ length: Math.ceil(text.length / DELTA_CHARS) }, (_, i) => text.slice(i * DELTA_CHARS, (i + 1) * DELTA_CHARS));

/** Starts the fake in a child process (bench/streaming-fake-server.mjs). */
async function startFake() {
  const child = fork(fileURLToPath(new URL('./streaming-fake-server.mjs', import.meta.url)), [pathToFileURL(path.join(root, 'test/generation/fixtures/stat-card.mjs')).href], { stdio: 'inherit' });
  const { origin } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
  });
  return {
    origin,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.disconnect();
      }),
  };
}

/**
 * Interleaves the two paths so drift in machine load hits both alike. Returns, per call, the
 * wall time and this process's CPU time (user + system): the server runs in another process,
 * so CPU time is the client's work alone, whatever the pacing of the events on the wire.
 */
async function measurePair(runs, streamed, plain) {
  const out = { streamed: { wall: [], cpu: [] }, plain: { wall: [], cpu: [] } };
  for (let i = 0; i < runs; i++) {
    for (const [fn, into] of i % 2
      ? [
          [plain, out.plain],
          [streamed, out.streamed],
        ]
      : [
          [streamed, out.streamed],
          [plain, out.plain],
        ]) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await fn();
      into.wall.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      into.cpu.push((used.user + used.system) / 1000);
    }
  }
  return out;
}

export async function runStreamingBench({ runs = 60, print = true } = {}) {
  const { AnthropicProvider } = await import(dist('generation/providers/anthropic-provider.js'));
  const { OpenAiCompatibleProvider } = await import(dist('generation/providers/openai-compatible-provider.js'));
  const { GENERATED_COMPONENT_TOOL, generatedComponentJsonSchema } = await import(dist('generation/pipeline/model-answer.js'));
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const { default: OpenAI } = await import('openai');
  const { VALID_STAT_CARD_OUTPUT } = await import(pathToFileURL(path.join(root, 'test/generation/fixtures/stat-card.mjs')).href);

  const fake = await startFake();
  try {
    const call = {
      prompt: { system: 'You write React components.', user: ['Examples …', 'Write a StatCard.'] },
      tool: { ...GENERATED_COMPONENT_TOOL, inputSchema: generatedComponentJsonSchema() },
      maxTokens: 8192,
      idleTimeoutMs: 60_000,
    };
    const anthropic = new AnthropicProvider({ apiKey: 'bench-key', baseURL: fake.origin, model: 'claude-sonnet-4-6', timeoutMs: 30_000 });
    const openai = new OpenAiCompatibleProvider({ apiKey: 'bench-key', baseURL: `${fake.origin}/v1`, model: 'gpt-5.4-mini', timeoutMs: 30_000 });
    // The non-streaming path: the very request the provider builds, sent without `stream` by the same SDK.
    const anthropicClient = new Anthropic({ apiKey: 'bench-key', baseURL: fake.origin, maxRetries: 0, timeout: 30_000 });
    const openaiClient = new OpenAI({ apiKey: 'bench-key', baseURL: `${fake.origin}/v1`, maxRetries: 0, timeout: 30_000 });
    // The providers always stream, so the captured bodies are streaming requests.
    /** @type {import('@anthropic-ai/sdk/resources/messages').MessageCreateParamsStreaming | undefined} */
    let capturedAnthropicBody;
    /** @type {import('openai/resources/chat/completions').ChatCompletionCreateParamsStreaming | undefined} */
    let capturedOpenaiBody;
    // Capture the bodies from a real provider call through the fake.
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      if (typeof init?.body !== 'string') throw new Error(`the bench expected a JSON text body in the provider's request to ${String(input)}`);
      const body = JSON.parse(init.body);
      if (String(input).includes('/v1/messages')) capturedAnthropicBody ??= body;
      else capturedOpenaiBody ??= body;
      return realFetch(input, init);
    };
    try {
      await new AnthropicProvider({ apiKey: 'k', baseURL: fake.origin, model: 'claude-sonnet-4-6', timeoutMs: 5000 }).generate(call);
      await new OpenAiCompatibleProvider({ apiKey: 'k', baseURL: `${fake.origin}/v1`, model: 'gpt-5.4-mini', timeoutMs: 5000 }).generate(call);
    } finally {
      globalThis.fetch = realFetch;
    }
    if (!capturedAnthropicBody || !capturedOpenaiBody) throw new Error('the providers sent no request through the fake: nothing to replay without streaming');
    const anthropicBody = capturedAnthropicBody;
    const openaiBody = capturedOpenaiBody;
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
    const a = await measurePair(runs, () => anthropic.generate(call), plainAnthropic);
    const o = await measurePair(runs, () => openai.generate(call), plainOpenAi);
    // The SDKs' own share: the same streams read event by event with nothing done per event.
    const drain = async (stream) => {
      for await (const _event of stream) void _event;
    };
    const bareA = await measurePair(runs, () => anthropicClient.messages.create(anthropicBody).then(drain), plainAnthropic);
    const bareO = await measurePair(runs, () => openaiClient.chat.completions.create(openaiBody).then(drain), plainOpenAi);
    const ms = (values, digits = 2) => round(median(values), digits);
    const result = {
      deltaEventsPerAnswer: deltas,
      anthropicCpuStreamedMedianMs: ms(a.streamed.cpu),
      anthropicCpuPlainMedianMs: ms(a.plain.cpu),
      anthropicOverheadMedianMs: round(median(a.streamed.cpu) - median(a.plain.cpu), 2),
      anthropicSdkOnlyOverheadMedianMs: round(median(bareA.streamed.cpu) - median(bareA.plain.cpu), 2),
      anthropicWallStreamedMedianMs: ms(a.streamed.wall),
      anthropicWallPlainMedianMs: ms(a.plain.wall),
      anthropicWallStreamedP95Ms: round(percentile(a.streamed.wall, 95), 2),
      openaiCpuStreamedMedianMs: ms(o.streamed.cpu),
      openaiCpuPlainMedianMs: ms(o.plain.cpu),
      openaiOverheadMedianMs: round(median(o.streamed.cpu) - median(o.plain.cpu), 2),
      openaiSdkOnlyOverheadMedianMs: round(median(bareO.streamed.cpu) - median(bareO.plain.cpu), 2),
      openaiWallStreamedMedianMs: ms(o.streamed.wall),
      openaiWallPlainMedianMs: ms(o.plain.wall),
      openaiWallStreamedP95Ms: round(percentile(o.streamed.wall, 95), 2),
      targets: TARGETS,
    };
    result.pass = result.anthropicOverheadMedianMs <= TARGETS.streamingOverheadMedianMs && result.openaiOverheadMedianMs <= TARGETS.streamingOverheadMedianMs;
    if (print) {
      printTable(`Streaming overhead per generation (${deltas} delta events per answer, one per write; client CPU time)`, [
        { measure: 'Anthropic CPU, streamed (provider) / same request unstreamed', value: `${result.anthropicCpuStreamedMedianMs} / ${result.anthropicCpuPlainMedianMs} ms`, target: '' },
        { measure: 'Anthropic streaming overhead (median CPU)', value: `${result.anthropicOverheadMedianMs} ms`, target: `≤ ${TARGETS.streamingOverheadMedianMs} ms` },
        { measure: "Anthropic: the SDK's raw stream alone, same comparison", value: `${result.anthropicSdkOnlyOverheadMedianMs} ms`, target: '' },
        { measure: 'Anthropic wall, streamed / unstreamed (median)', value: `${result.anthropicWallStreamedMedianMs} / ${result.anthropicWallPlainMedianMs} ms`, target: '' },
        { measure: 'OpenAI CPU, streamed (provider) / same request unstreamed', value: `${result.openaiCpuStreamedMedianMs} / ${result.openaiCpuPlainMedianMs} ms`, target: '' },
        { measure: 'OpenAI streaming overhead (median CPU)', value: `${result.openaiOverheadMedianMs} ms`, target: `≤ ${TARGETS.streamingOverheadMedianMs} ms` },
        { measure: "OpenAI: the SDK's raw stream alone, same comparison", value: `${result.openaiSdkOnlyOverheadMedianMs} ms`, target: '' },
        { measure: 'OpenAI wall, streamed / unstreamed (median)', value: `${result.openaiWallStreamedMedianMs} / ${result.openaiWallPlainMedianMs} ms`, target: '' },
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
