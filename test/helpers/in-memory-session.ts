import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { loadConfig, type ConfigOverrides } from '../../src/infra/config.js';
import { createSilentLogger } from '../../src/infra/logger.js';
import { createServer, type CreateServerOptions } from '../../src/server/create-server.js';

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
  const config = loadConfig({ cwd: process.cwd(), env: {}, ...(options.flags ? { flags: options.flags } : {}) });
  const built = createServer({ config, logger: createSilentLogger(), cwd: process.cwd(), version: 'test', ...(options.env ? { env: options.env } : {}) }, options.server);
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
    },
  };
}
