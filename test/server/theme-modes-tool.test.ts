import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInMemory, type InMemorySession } from '../helpers/in-memory-session.js';

/** generate_theme_css with `modes`, called through the official SDK client (its output schema is checked by the client). */
describe('generate_theme_css with modes', () => {
  let client: Client;
  let session: InMemorySession;

  beforeAll(async () => {
    session = await connectInMemory({ clientName: 'modes' });
    client = session.client;
  });
  afterAll(async () => {
    await session?.close();
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
