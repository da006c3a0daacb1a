import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CreateMessageRequestSchema, LoggingMessageNotificationSchema, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { createLogger, type Logger } from '../../src/infra/logger.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { followCallLogger, runWithCallLogger } from '../../src/server/call-logger.js';
import { serverDepsOf } from '../../src/server/context.js';
import { createServer } from '../../src/server/create-server.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { testRuntime } from '../helpers/test-runtime.js';

/** A JSON logger whose lines land in `lines`, parsed. */
function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

describe('followCallLogger: lines of shared parts go to the running call', () => {
  it('writes to the base outside any call, and only to the call’s logger inside one (bindings of its children kept)', async () => {
    const base = capturingLogger();
    const call = capturingLogger();
    const shared = followCallLogger(base.logger);
    const sharedChild = shared.child({ part: 'cache' });
    shared.warn('outside');
    await runWithCallLogger(call.logger, async () => {
      await Promise.resolve();
      shared.warn({ model: 'm' }, 'inside');
      sharedChild.info('child inside');
      expect(shared.isLevelEnabled('debug')).toBe(true);
    });
    sharedChild.info('child outside');
    expect(base.lines.map((line) => [line.msg, line.part])).toEqual([
      ['outside', undefined],
      ['child outside', 'cache'],
    ]);
    expect(call.lines.map((line) => [line.msg, line.model, line.part])).toEqual([
      ['inside', 'm', undefined],
      ['child inside', undefined, 'cache'],
    ]);
  });

  it('keeps two interleaved calls apart', async () => {
    const base = capturingLogger();
    const first = capturingLogger();
    const second = capturingLogger();
    const shared = followCallLogger(base.logger);
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const work = (name: string) => async () => {
      if (++started === 2) release();
      await bothStarted;
      shared.info(name);
    };
    await Promise.all([runWithCallLogger(first.logger, work('first')), runWithCallLogger(second.logger, work('second'))]);
    expect(first.lines.map((line) => line.msg)).toEqual(['first']);
    expect(second.lines.map((line) => line.msg)).toEqual(['second']);
    expect(base.lines).toEqual([]);
  });
});

/**
 * The regression: with one runtime per process (cache and cost tracker built once), the cost
 * tracker's "LLM call on an unpriced model" warning reached stderr only, so a client generating
 * through its own model (MCP sampling, never in the price table) got no log line at all.
 */
describe('a shared part’s log line reaches the client whose call it is', () => {
  const DESCRIPTION = 'A card showing one key figure with its label and its change against the previous period.';
  let cwd: string;
  let runtime: Runtime;
  beforeAll(() => {
    cwd = mkdtempSync(path.join(tmpdir(), 'dspec-call-logger-'));
    const env = { DSPEC_PROVIDER: 'mcp-sampling' };
    runtime = testRuntime({ cwd, env, config: loadConfig({ cwd, env }) });
  });
  afterAll(async () => {
    await runtime.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  /** A session of its own (as HTTP sessions are) on the shared runtime, with a client whose model answers. */
  async function session(name: string) {
    const { server, cleanup } = createServer(serverDepsOf(runtime, 'test'));
    const client = new Client({ name, version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: 'assistant',
      model: 'client-model',
      stopReason: 'endTurn',
      content: { type: 'text', text: `\`\`\`json\n${JSON.stringify(VALID_STAT_CARD_OUTPUT)}\n\`\`\`` },
    }));
    const logs: Array<LoggingMessageNotification['params']> = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void logs.push(notification.params));
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    return { client, logs, close: async () => (await client.close(), await cleanup()) };
  }

  it('sends the unpriced-model warning of each of two concurrent sessions’ calls to that session’s client only', async () => {
    const sessions = await Promise.all([session('first'), session('second')]);
    const results = await Promise.all(
      sessions.map((each, index) =>
        // Two specs, so both calls reach the model (and the ledger) instead of one serving the other's cache entry.
        each.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: `${DESCRIPTION} Variant ${index}.`, theme: STAT_CARD_THEME } }),
      ),
    );
    for (const result of results) expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    for (const each of sessions) {
      // One more round trip: anything the call sent has arrived by its answer.
      await each.client.ping();
      const unpriced = each.logs.filter((log) => (log.data as { message?: string }).message === 'LLM call on an unpriced model');
      expect(unpriced).toHaveLength(1);
      expect(unpriced[0]).toMatchObject({ level: 'warning', logger: 'dspec', data: { model: expect.any(String) } });
    }
    await Promise.all(sessions.map((each) => each.close()));
  }, 120_000);
});
