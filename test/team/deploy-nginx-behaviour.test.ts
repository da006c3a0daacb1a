import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nginxInstalled, startDeployNginx, type DeployNginx } from './deploy-nginx.js';
import { startRecordingUpstream, type RecordingUpstream } from './recording-upstream.js';

/**
 * deploy/nginx.conf run by a real nginx in front of three small upstreams: it must do what the
 * deploy README promises (round robin with no affinity, SSE passed on event by event, a refused
 * connection passed to the next replica, a POST that reached a replica never re-sent). Only the
 * addresses are changed: compose's service names and port become loopback ports.
 */

const installed = nginxInstalled();
// CI installs Debian's nginx-light (.ci/run): there a missing nginx is a failure, not a skip.
if (!installed && process.env.CI) throw new Error('nginx is not installed: .ci/run installs nginx-light so deploy/nginx.conf is tested for real');

let nginx: DeployNginx | undefined;
let proxyUrl: string;
const upstreams: RecordingUpstream[] = [];
let releaseSecondEvent: () => void = () => {};

/** Each upstream answers `<name>:<body>`; `/sse` streams two events, the second on release; `/dies` on `a` drops the socket. */
function startUpstream(name: string): Promise<RecordingUpstream> {
  return startRecordingUpstream(name, (request, response, body) => {
    if (request.url === '/sse') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      releaseSecondEvent = () => response.end('data: second\n\n');
    } else if (request.url === '/dies' && name === 'a') {
      request.socket.destroy();
    } else {
      response.end(`${name}:${body}`);
    }
  });
}

beforeAll(async () => {
  if (!installed) return;
  for (const name of ['a', 'b', 'c']) upstreams.push(await startUpstream(name));
  nginx = await startDeployNginx(upstreams.map((upstream) => upstream.origin));
  proxyUrl = nginx.url;
  for (const upstream of upstreams) upstream.bodies.length = 0; // the readiness probe's request
});

afterAll(async () => {
  await nginx?.stop();
  for (const upstream of upstreams) await upstream.close();
});

describe.skipIf(!installed)('deploy/nginx.conf under a real nginx', () => {
  it('sends consecutive requests to each replica in turn', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await (await fetch(`${proxyUrl}/mcp`, { method: 'POST', body: `n${i}` })).text());
    const names = answers.map((answer) => answer.split(':')[0]);
    // Round robin: any rotation of a, b, c, repeated; never two in a row from one replica.
    expect(new Set(names.slice(0, 3))).toEqual(new Set(['a', 'b', 'c']));
    expect(names.slice(3)).toEqual(names.slice(0, 3));
    expect(answers.map((answer) => answer.split(':')[1])).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
    await nginx!.untilLogged(6);
    expect([...nginx!.answeredBy().values()]).toEqual([2, 2, 2]);
  });

  it('passes an SSE answer on event by event (proxy_buffering off)', async () => {
    const response = await fetch(`${proxyUrl}/sse`, { method: 'POST', body: '{}' });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('data: first\n\n');
    releaseSecondEvent();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(rest).toBe('data: second\n\n');
  });

  it('answers 502 for a POST the replica received and then dropped, and re-sends it to no other replica', async () => {
    for (const upstream of upstreams) upstream.bodies.length = 0;
    // Round robin reaches replica a (the one that drops /dies) within three requests.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${proxyUrl}/dies`, { method: 'POST', body: `call-${i}` })).status);
    const toA = upstreams[0]!.bodies;
    expect(toA).toHaveLength(1);
    expect(statuses.filter((status) => status === 502)).toHaveLength(1);
    // The call a dropped reached no one else: b and c saw only the calls sent to them.
    const seenElsewhere = [...upstreams[1]!.bodies, ...upstreams[2]!.bodies];
    expect(seenElsewhere).not.toContain(toA[0]);
    expect(seenElsewhere).toHaveLength(2);
  });

  it('passes a request on to the next replica when one refuses connections', async () => {
    const stopped = upstreams[1]!;
    await stopped.close();
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${proxyUrl}/mcp`, { method: 'POST', body: `after-${i}` });
      expect(response.status).toBe(200);
      answers.push(await response.text());
    }
    expect(answers.every((answer) => !answer.startsWith('b:'))).toBe(true);
  });
});
