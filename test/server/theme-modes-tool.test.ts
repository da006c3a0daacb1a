import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { createSilentLogger } from '../../src/infra/logger.js';
import { createServer } from '../../src/server/create-server.js';

/** generate_theme_css with `modes`, called through the official SDK client (its output schema is checked by the client). */
describe('generate_theme_css with modes', () => {
  let client: Client;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const config = loadConfig({ cwd: process.cwd(), env: {} });
    const built = createServer({ config, logger: createSilentLogger(), cwd: process.cwd(), version: 'test' });
    cleanup = built.cleanup;
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await built.server.connect(serverTransport);
    client = new Client({ name: 'modes', version: '1.0.0' });
    await client.connect(clientTransport);
  });
  afterAll(async () => {
    await client.close();
    await cleanup();
  });

  const theme = {
    paper: { $type: 'color', $value: '#ffffff', $extensions: { 'org.primer.overrides': { dark: '#000000', 'dark-dimmed': '#222222' } } },
    ink: { $type: 'color', $value: '#111111' },
  };

  it('answers one stylesheet with a block per mode and counts each block', async () => {
    const result = await client.callTool({
      name: 'generate_theme_css',
      arguments: { theme, componentDefaults: false, modes: [{ name: 'dark' }, { name: 'dark-dimmed', selector: '[data-theme="dimmed"]' }] },
    });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { css: string; declarations: unknown; variableCount: number };
    expect(structured.css).toBe(':root {\n  --paper: #ffffff;\n  --ink: #111111;\n}\n\n.dark {\n  --paper: #000000;\n}\n\n[data-theme="dimmed"] {\n  --paper: #222222;\n}\n');
    expect(structured.declarations).toEqual({ light: 2, dark: 1, modes: { dark: 1, 'dark-dimmed': 1 } });
    expect(structured.variableCount).toBe(2);
  });

  it('refuses an unsafe mode selector with a message naming it', async () => {
    const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme, modes: [{ name: 'dark', selector: '.x{}' }] } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('modes[0].selector');
  });
});
