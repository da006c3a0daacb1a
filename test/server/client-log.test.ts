import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/server';
import { LoggingMessageNotificationSchema, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, createSilentLogger } from '../../src/infra/logger.js';
import { attachClientLog, secretValuesOf } from '../../src/server/client-log.js';
import { connectInMemory } from '../helpers/in-memory-session.js';

const SECRET = 'sk-ant-client-log-secret-0123456789';
const TOKEN = 'http-token-client-log-abcdef';

type Params = LoggingMessageNotification['params'];
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

const isSentinel = (params: Params) => (params.data as { sentinel?: boolean }).sentinel === true;

/** A server with the logging capability and the tee attached, and an SDK client that records what it receives. */
async function pair(base = createSilentLogger()) {
  const server = new McpServer({ name: 'log-test', version: '0.0.0' }, { capabilities: { logging: {} } });
  const log = attachClientLog(server, base, secretValuesOf({ ANTHROPIC_API_KEY: SECRET, HOME: '/home/someone' }, [TOKEN]));
  // A tool so the server has something to call that logs, as the real tools do.
  server.registerTool('noop', {}, async () => {
    log.logger.info({ phase: 'noop' }, 'noop ran');
    return { content: [{ type: 'text', text: 'ok' }] };
  });
  const client = new Client({ name: 'log-client', version: '1.0.0' });
  const received: Params[] = [];
  let sentinelArrived = () => {};
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    received.push(notification.params);
    if (isSentinel(notification.params)) sentinelArrived();
  });
  /** Resolves when the next sentinel line reaches the client. */
  const nextSentinel = () => new Promise<void>((resolve) => (sentinelArrived = resolve));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  closers.push(() => client.close());
  return { server, client, log, received, nextSentinel };
}

/** Waits until a message marked `sentinel` arrives: everything logged before it has arrived too. */
async function flush(session: Awaited<ReturnType<typeof pair>>) {
  const arrived = session.nextSentinel();
  session.log.logger.error({ sentinel: true }, 'sentinel');
  await arrived;
  const before = session.received.filter((params) => !isSentinel(params));
  session.received.length = 0;
  return before;
}

describe('MCP logging through the teed logger', () => {
  it('declares the logging capability in the real server', async () => {
    const { client, close } = await connectInMemory({ clientName: 'cap' });
    closers.push(close);
    expect(client.getServerCapabilities()?.logging).toEqual({});
    await expect(client.setLoggingLevel('error')).resolves.toEqual({});
  });

  it.each([
    [true, 'a server with the tee (stdio, sessions, legacy SSE)'],
    [false, 'a stateless HTTP server, whose client cannot choose a level'],
  ])('tool log lines reach the client: %s for %s', async (teed) => {
    const received: Params[] = [];
    const { client, close } = await connectInMemory({
      clientName: 'teed',
      server: teed ? {} : { clientLog: false },
      beforeConnect: (c) => c.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void received.push(notification.params)),
    });
    closers.push(close);
    await client.setLoggingLevel('debug');
    // An input error: the tool layer logs it at debug ("tool answered with an error").
    expect((await client.callTool({ name: 'generate_theme_css', arguments: { theme: '{' } })).isError).toBe(true);
    // One more round trip: anything the call sent has arrived by its answer.
    await client.ping();
    const fromTool = received.filter((params) => (params.data as { tool?: string }).tool === 'generate_theme_css');
    expect(fromTool.length > 0).toBe(teed);
  });

  it('sends info and above by default, and follows logging/setLevel', async () => {
    const session = await pair();
    session.log.logger.debug('a debug line');
    session.log.logger.info({ count: 3 }, 'an info line');
    session.log.logger.warn('a warning');
    expect((await flush(session)).map((params) => [params.level, (params.data as { message: string }).message])).toEqual([
      ['info', 'an info line'],
      ['warning', 'a warning'],
    ]);

    await session.client.setLoggingLevel('debug');
    session.log.logger.child({ component: 'StatCard' }).debug('a child debug line');
    const afterDebug = await flush(session);
    expect(afterDebug).toEqual([{ level: 'debug', logger: 'dspec', data: { message: 'a child debug line', component: 'StatCard' } }]);

    await session.client.setLoggingLevel('error');
    session.log.logger.warn('a warning nobody asked for');
    expect(await flush(session)).toEqual([]);
    expect(session.log.level()).toBe('error');
  });

  it('still writes every line to the server log (stderr) at its own level', async () => {
    const lines: string[] = [];
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const session = await pair(createLogger({ level: 'warn', destination: stderr }));
    await session.client.setLoggingLevel('debug');
    session.log.logger.info('for the client only');
    session.log.logger.warn('for both');
    expect((await flush(session)).map((params) => (params.data as { message: string }).message)).toEqual(['for the client only', 'for both']);
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['for both', 'sentinel']);
  });

  it('never sends a secret, a key field or a stack trace', async () => {
    const session = await pair();
    session.log.logger.warn({ apiKey: SECRET, headers: { authorization: `Bearer ${TOKEN}` }, detail: `the vendor said: bad key ${SECRET}` }, `call with ${TOKEN} failed`);
    session.log.logger.error({ err: new Error(`boom ${SECRET}`) }, 'unexpected');
    const sent = await flush(session);
    const text = JSON.stringify(sent);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/\n\s+at /);
    expect(sent[0]!.data).toMatchObject({ message: 'call with [redacted] failed', apiKey: '[redacted]', detail: 'the vendor said: bad key [redacted]' });
    expect(sent[1]!.data).toMatchObject({ message: 'unexpected', err: { message: 'boom [redacted]' } });
    expect((sent[1]!.data as { err: Record<string, unknown> }).err).not.toHaveProperty('stack');
    for (const params of sent) expect(params.data).not.toHaveProperty('pid');
  });

  it('sends a tool call’s lines while the call runs', async () => {
    const session = await pair();
    await session.client.callTool({ name: 'noop', arguments: {} });
    expect(await flush(session)).toEqual([{ level: 'info', logger: 'dspec', data: { message: 'noop ran', phase: 'noop' } }]);
  });
});
