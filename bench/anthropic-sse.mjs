import { createServer } from 'node:http';
import { listenOnLoopback } from './loopback-server.mjs';

// The Anthropic Messages API's streamed form of one message, as the bench fakes send it when a
// request asks for `stream: true` (the providers always do): one input_json_delta carries the
// whole tool input.
export function anthropicMessageAsSse(message) {
  const [block] = message.content;
  const event = (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  return (
    event('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } }) +
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { ...block, input: {} } }) +
    event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } }) +
    event('content_block_stop', { type: 'content_block_stop', index: 0 }) +
    event('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } }) +
    event('message_stop', { type: 'message_stop' })
  );
}

/**
 * An HTTP server on 127.0.0.1 for the bench fakes: each request's JSON body, its raw text and
 * its number go to `respond`, and the server's own share of the request is timed from the end
 * of the body until `respond` returns. `respond` may return a continuation (the rest of a
 * streamed answer, written event by event), run after the timing.
 */
export async function startJsonFake(respond) {
  const serverTimes = [];
  let count = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const started = performance.now();
      const raw = Buffer.concat(chunks).toString('utf8');
      count++;
      const rest = respond({ req, res, body: JSON.parse(raw), raw, count });
      serverTimes.push(performance.now() - started);
      rest?.();
    });
  });
  const port = await listenOnLoopback(server);
  return { origin: `http://127.0.0.1:${port}`, serverTimes, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * A minimal Anthropic Messages endpoint on 127.0.0.1 that answers every request at once with a
 * forced tool call, JSON or SSE as the request asks, timing its own share of each request.
 * `answer(body, raw, count)` gives the tool input and the usage to report for request `count`.
 */
export async function startFakeAnthropic(answer) {
  const fake = await startJsonFake(({ res, body, raw, count }) => {
    const { input, usage } = answer(body, raw, count);
    const message = {
      id: `msg_${count}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [{ type: 'tool_use', id: `toolu_${count}`, name: body.tool_choice.name, input }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
    };
    if (body.stream) {
      // The providers stream: the same message as SSE events.
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_${count}` });
      res.end(anthropicMessageAsSse(message));
    } else {
      const payload = JSON.stringify(message);
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${count}`, 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    }
  });
  return { baseURL: fake.origin, serverTimes: fake.serverTimes, close: fake.close };
}
