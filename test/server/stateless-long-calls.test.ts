import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CreateMessageRequest, CreateMessageResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { outputSchema } from '../../src/server/tools/generate-component.js';
import { outputSchema as jobStatusOutput } from '../../src/server/tools/job-status.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { INVALID_STAT_CARD_OUTPUT, STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { connectModernInMemory, type ModernInMemorySession } from '../helpers/in-memory-session.js';
import { teamPageBlueprint } from '../helpers/team-page-blueprint.js';

/**
 * Long calls without a session (MCP 2026-07-28, SDK v2 client over the real HTTP handler): the
 * client's own model answers through input_required rounds instead of a server-initiated
 * request, and Tier 2 generation announces a job handle that job_status answers.
 */
const DESCRIPTION = 'A card showing one key figure with its label and its change against the previous period.';
const ARGS = { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME };

const fenced = (value: unknown): CreateMessageResult => ({
  role: 'assistant',
  model: 'client-model',
  stopReason: 'endTurn',
  content: { type: 'text', text: `\`\`\`json\n${JSON.stringify(value)}\n\`\`\`` },
});
const textOf = (result: { content?: unknown }) => (result.content as Array<{ text?: string }>).map((block) => block.text ?? '').join('\n');

function ledgerOf(cwd: string): Array<{ outcome: string; provider: string }> {
  return readFileSync(path.join(cwd, '.dspec/costs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { outcome: string; provider: string });
}

describe("the client's own model on MCP 2026-07-28 (input_required rounds)", () => {
  let session: ModernInMemorySession | undefined;
  afterAll(async () => session?.close());

  it('asks through input_required, repairs through a second round, and records each attempt once', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-mrtr-'));
    const asked: CreateMessageRequest[] = [];
    const answers = [fenced(INVALID_STAT_CARD_OUTPUT), fenced(VALID_STAT_CARD_OUTPUT)];
    const env = { DSPEC_PROVIDER: 'mcp-sampling' };
    session = await connectModernInMemory({
      env,
      cwd,
      config: loadConfig({ cwd, env }),
      capabilities: { sampling: {} },
      beforeConnect: (client) =>
        client.setRequestHandler('sampling/createMessage', (request) => {
          asked.push(request);
          const answer = answers.shift();
          if (!answer) throw new Error('no scripted answer left');
          return Promise.resolve(answer);
        }),
    });
    const result = await session.client.callTool({ name: 'generate_component', arguments: ARGS });
    expect(result.isError, textOf(result)).toBeFalsy();
    const output = outputSchema.parse(result.structuredContent);
    expect(output.provenance).toMatchObject({ provider: 'mcp-sampling' });
    // Two questions, the second the repair turn carrying the first answer.
    expect(asked).toHaveLength(2);
    expect(asked[1]!.params.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    // The rounds crossed the wire as three tools/call requests, each retry with the client's answer and the signed state.
    const calls = session.requests.filter((request) => (request.body as { method?: string } | undefined)?.method === 'tools/call');
    expect(calls).toHaveLength(3);
    const retry = (calls[2]!.body as { params: { inputResponses?: Record<string, unknown>; requestState?: string } }).params;
    expect(Object.keys(retry.inputResponses ?? {})).toEqual(['sample-2']);
    expect(typeof retry.requestState).toBe('string');
    // One ledger line per answered attempt (replays are not billed again).
    expect(ledgerOf(cwd).map((record) => record.outcome)).toEqual(['invalid', 'success']);
  });

  it('refuses forged round state before the tool runs', async () => {
    const forged = await session!.client
      .request({ method: 'tools/call', params: { name: 'generate_component', arguments: ARGS, requestState: 'forged', inputResponses: {} } })
      .catch((error: unknown) => error);
    expect(String((forged as Error).message)).toMatch(/Invalid or expired requestState/);
  });
});

describe('Tier 2 generation as a job', () => {
  let fake: FakeAnthropicServer;
  let session: ModernInMemorySession | undefined;
  beforeAll(async () => {
    fake = await startFakeAnthropicServer();
  });
  afterAll(async () => {
    await session?.close();
    await fake.close();
  });

  it('names its job handle in the result, and job_status answers it with the same result', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-job-'));
    fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-job-1', ANTHROPIC_BASE_URL: fake.baseURL, DSPEC_PROVIDER: 'anthropic' };
    session = await connectModernInMemory({ env, cwd, config: loadConfig({ cwd, env }) });
    const progress: string[] = [];
    const result = await session.client.callTool({ name: 'generate_component', arguments: ARGS }, { onprogress: (step) => progress.push(step.message ?? '') });
    expect(result.isError, textOf(result)).toBeFalsy();
    const handle = (result._meta as Record<string, unknown> | undefined)?.['dspec/job'];
    expect(handle).toMatch(/^job_[0-9a-f]{32}$/);
    expect(progress[0]).toContain(String(handle));

    const status = await session.client.callTool({ name: 'job_status', arguments: { handle } });
    const report = jobStatusOutput.parse(status.structuredContent);
    expect(report).toMatchObject({ handle, tool: 'generate_component', status: 'succeeded' });
    expect((report.result as { structuredContent?: { hash?: string } }).structuredContent?.hash).toBe(outputSchema.parse(result.structuredContent).hash);

    // The same call again is the same job, served from the cache: the vendor is not asked twice.
    const again = await session.client.callTool({ name: 'generate_component', arguments: ARGS });
    expect((again._meta as Record<string, unknown> | undefined)?.['dspec/job']).toBe(handle);
    expect(outputSchema.parse(again.structuredContent).cacheHit).toBe(true);
    expect(fake.messageCount).toBe(1);
  });

  it('two identical calls at once pay once: the one that joined is answered as a cache hit at $0', async () => {
    fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const before = fake.messageCount;
    const args = { ...ARGS, description: `${DESCRIPTION} Shown twice at once.` };
    const [a, b] = await Promise.all([session!.client.callTool({ name: 'generate_component', arguments: args }), session!.client.callTool({ name: 'generate_component', arguments: args })]);
    const outputs = [a, b].map((result) => outputSchema.parse(result.structuredContent));
    expect(fake.messageCount - before).toBe(1);
    expect(outputs.map((output) => output.cacheHit).sort()).toEqual([false, true]);
    const paid = outputs.find((output) => !output.cacheHit)!;
    const joined = outputs.find((output) => output.cacheHit)!;
    expect(paid.cost).toBeGreaterThan(0);
    expect(joined.cost).toBe(0);
    expect(joined.hash).toBe(paid.hash);
  });

  it('answers an unknown handle as unknown and a malformed one as invalid input', async () => {
    const unknown = await session!.client.callTool({ name: 'job_status', arguments: { handle: `job_${'0'.repeat(32)}` } });
    expect(jobStatusOutput.parse(unknown.structuredContent).status).toBe('unknown');
    const malformed = await session!.client.callTool({ name: 'job_status', arguments: { handle: '../../etc/passwd' } });
    expect(malformed.isError).toBe(true);
    expect(textOf(malformed)).toMatch(/job handle/);
  });

  it('catalog components are answered at once, without a job', async () => {
    const result = await session!.client.callTool({ name: 'generate_component', arguments: { name: 'Button' } });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect((result._meta as Record<string, unknown> | undefined)?.['dspec/job']).toBeUndefined();
  });
});

describe('export_screen on MCP 2026-07-28', () => {
  let session: ModernInMemorySession | undefined;
  afterAll(async () => session?.close());

  it("asks for the client's roots through input_required, writes inside them, and names its job", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-export-cwd-'));
    const root = mkdtempSync(path.join(tmpdir(), 'dspec-export-root-'));
    let rootsAsked = 0;
    session = await connectModernInMemory({
      cwd,
      config: loadConfig({ cwd, env: {} }),
      capabilities: { roots: {} },
      beforeConnect: (client) =>
        client.setRequestHandler('roots/list', () => {
          rootsAsked++;
          return Promise.resolve({ roots: [{ uri: pathToFileURL(root).href, name: 'project' }] });
        }),
    });
    const result = await session.client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint, outDir: 'src/team', includeTests: false } });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(rootsAsked).toBe(1);
    const written = (result.structuredContent as { written?: { outDir: string; created: string[] } }).written;
    expect(written?.outDir).toBe(path.join(root, 'src/team'));
    expect(existsSync(path.join(root, 'src/team', 'TeamScreen.tsx')) || written!.created.some((file) => file.endsWith('.tsx'))).toBe(true);
    expect(existsSync(path.join(cwd, 'src/team'))).toBe(false);
    const handle = (result._meta as Record<string, unknown> | undefined)?.['dspec/job'];
    expect(handle).toMatch(/^job_[0-9a-f]{32}$/);
    const status = jobStatusOutput.parse((await session.client.callTool({ name: 'job_status', arguments: { handle } })).structuredContent);
    expect(status).toMatchObject({ tool: 'export_screen', status: 'succeeded' });
  });
});
