import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { createServer } from '../../src/server/create-server.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { testServerDeps } from '../helpers/test-runtime.js';

/** A screen with one catalog type and one the catalog lacks: hybrid routing through the real server. */
const blueprint = {
  id: 'metrics',
  name: 'Metrics',
  layout: 'single-column',
  components: [
    { type: 'Heading', props: { level: 1 }, children: ['Metrics'] },
    { type: 'StatCard', props: { label: 'Users', value: '12,453' } },
  ],
};

describe('export_screen routes types the catalog lacks to Tier 2', () => {
  let fake: FakeAnthropicServer;
  beforeAll(async () => {
    fake = await startFakeAnthropicServer();
  });
  afterAll(async () => {
    await fake.close();
  });

  async function connect(env: NodeJS.ProcessEnv) {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-export-tier2-'));
    const config = loadConfig({ cwd, env });
    const { server, cleanup } = createServer(testServerDeps({ config, cwd, env }));
    const client = new Client({ name: 'export-tier2', version: '1.0.0' });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    return { client, close: async () => (await client.close(), await cleanup()) };
  }

  it('generates the unknown type once, validates the whole export, and uses it in the screen', async () => {
    fake.reset();
    fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const session = await connect({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.baseURL, DSPEC_PROVIDER: 'anthropic' });
    const result = await session.client.callTool({ name: 'export_screen', arguments: { screen: blueprint, theme: STAT_CARD_THEME } });
    const structured = result.structuredContent as { success: boolean; components: Array<{ type: string; tier: string; status: string }>; files: Array<{ path: string; contents?: string }> };
    expect(result.isError, JSON.stringify(result.content).slice(0, 2000)).toBeFalsy();
    expect(structured.success, JSON.stringify(structured.components) + JSON.stringify((structured as { findings?: unknown }).findings)?.slice(0, 3000)).toBe(true);
    expect(structured.components).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Heading', tier: 'tier1' }), expect.objectContaining({ type: 'StatCard', tier: 'tier2' })]));
    const screen = structured.files.find((file) => file.path === 'Metrics.tsx')!;
    expect(screen.contents).toMatch(/import \{ StatCard \} from ["']\.\/components\/StatCard["']/);
    expect(screen.contents).toContain('<StatCard');
    expect(fake.messageCount).toBe(1);
    await session.close();
  });

  it('fails with success: false and a per-component error when no provider is configured', async () => {
    const session = await connect({});
    const result = await session.client.callTool({ name: 'export_screen', arguments: { screen: blueprint } });
    const structured = result.structuredContent as { success: boolean; components: Array<{ type: string; status: string; errors?: string[] }> } | undefined;
    if (structured) {
      expect(structured.success).toBe(false);
      const statCard = structured.components.find((component) => component.type === 'StatCard')!;
      expect(statCard.status).not.toBe('ok');
      expect(JSON.stringify(statCard.errors)).toMatch(/ANTHROPIC_API_KEY|provider/);
    } else {
      expect(result.isError).toBe(true);
    }
    await session.close();
  });
});
