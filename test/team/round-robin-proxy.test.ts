import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from './recording-upstream.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';

/**
 * The test proxy the team acceptance test and bench put in front of the replicas: it must spread
 * requests with no affinity, stream both ways (SSE events arrive one by one), and fail over only
 * when the upstream cannot have seen the request.
 */

/** A port nothing listens on: bound once, then released. */
async function closedPortOrigin(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxyOver(upstreams: string[]): Promise<RoundRobinProxy> {
  const proxy = await startRoundRobinProxy({ upstreams });
  cleanups.push(() => proxy.close());
  return proxy;
}

async function upstream(name: string, handle?: Parameters<typeof startRecordingUpstream>[1]): Promise<RecordingUpstream> {
  const started = await startRecordingUpstream(name, handle);
  cleanups.push(() => started.close());
  return started;
}

describe('round-robin test proxy', () => {
  it('sends consecutive requests to different upstreams, in turn, and counts each', async () => {
    const [a, b, c] = [await upstream('a'), await upstream('b'), await upstream('c')];
    const proxy = await proxyOver([a.origin, b.origin, c.origin]);
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await (await fetch(`${proxy.url}/mcp`, { method: 'POST', body: `n${i}` })).text());
    expect(answers).toEqual(['a:n0', 'b:n1', 'c:n2', 'a:n3', 'b:n4', 'c:n5']);
    expect(proxy.answeredBy()).toEqual(
      new Map([
        [a.origin, 2],
        [b.origin, 2],
        [c.origin, 2],
      ]),
    );
    expect(proxy.servedSequence).toEqual([a.origin, b.origin, c.origin, a.origin, b.origin, c.origin]);
  });

  it('streams an SSE answer event by event instead of buffering it', async () => {
    let sendSecond: () => void = () => {};
    const sse = await upstream('sse', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      // The second event is written only after the client has read the first through the proxy.
      sendSecond = () => response.end('data: second\n\n');
    });
    const proxy = await proxyOver([sse.origin]);
    const response = await fetch(`${proxy.url}/mcp`, { method: 'POST', body: '{}' });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe('data: first\n\n');
    sendSecond();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(rest).toBe('data: second\n\n');
  });

  it('passes a refused connection on to the next upstream with the whole body', async () => {
    const down = await closedPortOrigin();
    const up = await upstream('up');
    const proxy = await proxyOver([down, up.origin]);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'cache_stats', arguments: {} }, pad: 'x'.repeat(200_000) });
    const response = await fetch(`${proxy.url}/mcp`, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`up:${body}`);
    expect(up.bodies).toEqual([body]);
    expect(proxy.refusedConnects).toBe(1);
    expect(proxy.answeredBy()).toEqual(new Map([[up.origin, 1]]));
  });

  it('answers 502 when every upstream refuses', async () => {
    const proxy = await proxyOver([await closedPortOrigin(), await closedPortOrigin()]);
    const response = await fetch(`${proxy.url}/mcp`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(502);
    expect(await response.text()).toMatch(/no upstream accepted the connection \(2 tried\)/);
    expect(proxy.refusedConnects).toBe(2);
  });

  it('never replays a POST an upstream received and then failed: 502, and the next upstream sees nothing', async () => {
    const dying = await upstream('dying', (request) => request.socket.destroy());
    const spare = await upstream('spare');
    const proxy = await proxyOver([dying.origin, spare.origin]);
    const response = await fetch(`${proxy.url}/mcp`, { method: 'POST', body: '{"method":"tools/call"}' });
    expect(response.status).toBe(502);
    expect(await response.text()).toMatch(/failed after the request was sent .*not replayed/);
    expect(dying.bodies).toEqual(['{"method":"tools/call"}']);
    expect(spare.bodies).toEqual([]);
    expect(proxy.badGateways).toBe(1);
  });

  it('retries a GET that failed before any answer on the next upstream', async () => {
    const dying = await upstream('dying', (request) => request.socket.destroy());
    const spare = await upstream('spare');
    const proxy = await proxyOver([dying.origin, spare.origin]);
    const response = await fetch(`${proxy.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('spare:');
    expect(dying.bodies).toEqual(['']);
    expect(proxy.answeredBy()).toEqual(new Map([[spare.origin, 1]]));
  });

  it('follows a new upstream list, as after a replica restarts on another port', async () => {
    const [a, b] = [await upstream('a'), await upstream('b')];
    const proxy = await proxyOver([a.origin]);
    expect(await (await fetch(proxy.url)).text()).toBe('a:');
    proxy.setUpstreams([b.origin]);
    expect(await (await fetch(proxy.url)).text()).toBe('b:');
    expect(() => proxy.setUpstreams([])).toThrow(/at least one upstream/);
  });
});
