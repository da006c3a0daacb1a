import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { createServer } from '../../src/server/create-server.js';
import { EVAL_LATEST_URI } from '../../src/server/resources/eval.js';
import { tempHome } from '../cache/entry-fixture.js';
import { makeDashboardHome } from './dashboard-fixture.js';
import { testServerDeps } from '../helpers/test-runtime.js';

async function readLatest(cwd: string) {
  const config = loadConfig({ cwd, env: {} });
  const { server, cleanup } = createServer(testServerDeps({ config, cwd }));
  const client = new Client({ name: 'eval-resource-test', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  try {
    const listed = await client.listResources();
    expect(listed.resources.find((resource) => resource.uri === EVAL_LATEST_URI)).toMatchObject({ name: 'eval_report', mimeType: 'application/json' });
    const read = await client.readResource({ uri: EVAL_LATEST_URI });
    return JSON.parse((read.contents[0] as { text: string }).text);
  } finally {
    await client.close();
    await cleanup();
  }
}

describe('dspec://eval/latest', () => {
  it('exposes the run latest.json points at, with per-tag figures', async () => {
    const home = await makeDashboardHome();
    const run = path.join(home, 'evals', 'run-1');
    writeFileSync(path.join(home, 'evals', 'latest.json'), JSON.stringify({ run }));
    // The fixture home is the state directory itself: point the server's `home` at it.
    writeFileSync(path.join(home, 'dspec.config.json'), JSON.stringify({ home: '.' }));
    const latest = await readLatest(home);
    expect(latest.run).toBe(run);
    expect(latest.summary).toMatchObject({ model: 'claude-sonnet-4-6', overall: { passAt1: 0.5, passHatK: 0.5 } });
    expect(Object.keys(latest.summary.byTag)).toEqual(['display', 'form']);
    expect(latest.summary.byTag.form.passHatK).toBe(0);
  });

  it('says how to make one when there is no run yet', async () => {
    const latest = await readLatest(tempHome('dspec-no-evals-'));
    expect(latest.summary).toBeNull();
    expect(latest.message).toMatch(/dspec eval/);
  });
});
