import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { classifySdkError } from '../../src/generation/providers/provider.js';

/** An `error` event inside a stream, as the Anthropic SDK builds it: no HTTP status, the event's body (its type is read from the body). */
function streamErrorEvent(body: object): InstanceType<typeof Anthropic.APIError> {
  return new Anthropic.APIError(undefined, body, undefined, new Headers({ 'request-id': 'req_stream' }));
}

describe('a provider stream that fails mid-answer', () => {
  it('says it has no type when none is given as text', () => {
    const error = classifySdkError(streamErrorEvent({ error: { type: 42 } }), Anthropic);
    expect(error.category).toBe('server');
    expect(error.message).toContain('stream failed (no type)');
  });

  it('is classified by the vendor type the event names, quoted in the message', () => {
    const error = classifySdkError(streamErrorEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), Anthropic);
    expect(error.category).toBe('overloaded');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('The provider\'s stream failed (overloaded_error). The provider said: "Overloaded" (request id req_stream)');
  });

  it('falls back to the next type given as text, never "[object Object]", when the event names its type with something else', () => {
    const error = classifySdkError(streamErrorEvent({ type: 'error', error: { type: { nested: true }, message: 'odd' } }), Anthropic);
    expect(error.category).toBe('server');
    expect(error.message).toContain('stream failed (error)');
    expect(error.message).not.toContain('[object Object]');
  });
});
