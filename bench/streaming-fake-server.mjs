// The fake vendor server of the streaming bench, run in a child process so that the bench
// process's CPU time is the client's alone. Sends its port to the parent over IPC.
import { startJsonFake } from './anthropic-sse.mjs';

const DELTA_CHARS = 16;
const sse = (event, data) => `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
/**
 * Writes SSE events one per socket write, as a vendor does while generating (a whole stream in
 * one chunk would make the SDKs' SSE splitter re-copy the rest of the buffer on every event,
 * which no real server causes). `setImmediate` between writes lets each go out on its own.
 */
function writeEvents(res, events, done) {
  let index = 0;
  const next = () => {
    if (index >= events.length) {
      res.end();
      done();
      return;
    }
    res.write(events[index++]);
    setImmediate(next);
  };
  next();
}
const pieces = (text) => Array.from({ length: Math.ceil(text.length / DELTA_CHARS) }, (_, i) => text.slice(i * DELTA_CHARS, (i + 1) * DELTA_CHARS));

/** Anthropic's and OpenAI's wire formats, JSON or SSE as the request asks, timing itself. */
export async function startFake(toolInput) {
  return startJsonFake(({ req, res, body, count }) => {
    const args = JSON.stringify({ ...toolInput, component: `${toolInput.component}// request ${count}\n` });
    if (req.url.startsWith('/v1/messages')) {
      const usage = { input_tokens: 1200, output_tokens: 900, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
      const name = body.tool_choice.name;
      if (!body.stream) {
        const payload = JSON.stringify({
          id: `msg_${count}`,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [{ type: 'tool_use', id: `toolu_${count}`, name, input: JSON.parse(args) }],
          stop_reason: 'tool_use',
          stop_sequence: null,
          usage,
        });
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${count}` });
        res.end(payload);
        return undefined;
      }
      const out = [];
      out.push(
        sse('message_start', {
          type: 'message_start',
          message: { id: `msg_${count}`, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
        }),
      );
      out.push(sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: `toolu_${count}`, name, input: {} } }));
      for (const piece of pieces(args)) out.push(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: piece } }));
      out.push(sse('content_block_stop', { type: 'content_block_stop', index: 0 }));
      out.push(sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 900 } }));
      out.push(sse('message_stop', { type: 'message_stop' }));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_${count}` });
      return () => writeEvents(res, out, () => {});
    }
    const name = body.tool_choice.function.name;
    const base = { id: `chatcmpl-${count}`, created: 1_764_460_800, model: body.model };
    const usage = { prompt_tokens: 1500, completion_tokens: 800, total_tokens: 2300 };
    if (!body.stream) {
      const payload = JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, tool_calls: [{ id: `call_${count}`, type: 'function', function: { name, arguments: args } }] },
            finish_reason: 'tool_calls',
            logprobs: null,
          },
        ],
        usage,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${count}` });
      res.end(payload);
      return undefined;
    }
    const chunk = (delta, finish) => sse(null, { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], usage: null });
    const out = [chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: `call_${count}`, type: 'function', function: { name, arguments: '' } }] }, null)];
    for (const piece of pieces(args)) out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
    out.push(chunk({}, 'tool_calls'), sse(null, { ...base, object: 'chat.completion.chunk', choices: [], usage }), sse(null, '[DONE]'));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_${count}` });
    return () => writeEvents(res, out, () => {});
  });
}

if (process.send) {
  const fixtureUrl = process.argv[2];
  if (!fixtureUrl) throw new Error('streaming-fake-server.mjs needs the stat-card fixture module URL as its first argument');
  const { VALID_STAT_CARD_OUTPUT } = await import(fixtureUrl);
  const fake = await startFake(VALID_STAT_CARD_OUTPUT);
  process.send({ origin: fake.origin });
  process.on('disconnect', () => fake.close().then(() => process.exit(0)));
}
