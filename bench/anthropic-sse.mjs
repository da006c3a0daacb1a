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
