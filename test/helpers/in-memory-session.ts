import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ConfigOverrides } from '../../src/infra/config.js';
import { serverDepsOf } from '../../src/server/context.js';
import { createServer, type CreateServerOptions } from '../../src/server/create-server.js';
import { testRuntime } from './test-runtime.js';

export interface InMemorySession {
  client: Client;
  /** Closes the client, then the server and what it started. */
  close(): Promise<void>;
}

/**
 * The real server and the real SDK client, linked in memory: configuration from the working
 * directory with no environment (so no provider key leaks in), a silent logger.
 */
export async function connectInMemory(
  options: {
    clientName?: string;
    flags?: ConfigOverrides;
    env?: NodeJS.ProcessEnv;
    server?: CreateServerOptions;
    /** Runs before the client connects, e.g. to set notification handlers. */
    beforeConnect?: (client: Client) => void;
  } = {},
): Promise<InMemorySession> {
  const runtime = testRuntime({ ...(options.flags ? { flags: options.flags } : {}), ...(options.env ? { env: options.env } : {}) });
  const built = createServer(serverDepsOf(runtime, 'test'), options.server);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await built.server.connect(serverTransport);
  const client = new Client({ name: options.clientName ?? 'test-client', version: '1.0.0' });
  options.beforeConnect?.(client);
  await client.connect(clientTransport);
  return {
    client,
    close: async () => {
      await client.close();
      await built.cleanup();
      await runtime.close();
    },
  };
}
