import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/generation/providers/anthropic-provider.js';
import { GENERATED_COMPONENT_TOOL, generatedComponentJsonSchema } from '../../src/generation/pipeline/model-answer.js';
import { OpenAiCompatibleProvider } from '../../src/generation/providers/openai-compatible-provider.js';
import { createSdkLogger, MAX_LOGGED_LINE, MAX_LOGGED_STRING, sanitizeForLog } from '../../src/generation/providers/sdk-logger.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';

/**
 * With ANTHROPIC_LOG=debug / OPENAI_LOG=debug the vendor SDKs log whole request and response
 * bodies and headers. Our logger writes them to stderr only, with keys redacted and bodies cut.
 */

const ANTHROPIC_KEY = 'sk-ant-api03-SECRETSECRETSECRET';
const OPENAI_KEY = 'sk-proj-SECRETSECRETSECRET';
const LONG_PROMPT = `Write a Badge. ${'very long prompt text '.repeat(400)}`;
const OUTPUT = { component: 'export function Badge() { return null; }', styles: '.root {}', types: 't', test: 't', story: 's', index: 'i', dependencies: [] };

describe('the SDK logger', () => {
  it('redacts keys by field name and by shape, and cuts long strings and lines', () => {
    const clean = sanitizeForLog({
      headers: { authorization: `Bearer ${OPENAI_KEY}`, 'x-api-key': ANTHROPIC_KEY, accept: 'application/json' },
      options: { body: { messages: [{ content: 'x'.repeat(5000) }] } },
      note: `key was ${ANTHROPIC_KEY}`,
    });
    const text = JSON.stringify(clean);
    expect(text).not.toContain('SECRET');
    expect(clean).toMatchObject({ headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'application/json' }, note: 'key was sk-[redacted]' });
    expect(text).toContain(`${'x'.repeat(MAX_LOGGED_STRING)}… (${5000 - MAX_LOGGED_STRING} more characters)`);
    const lines: string[] = [];
    createSdkLogger((line) => lines.push(line)).debug('big', { parts: Array.from({ length: 20 }, () => 'y'.repeat(1000)) });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThanOrEqual(MAX_LOGGED_LINE + 20);
    expect(lines[0]).toMatch(/^\[sdk debug\] big /);
  });

  describe('with ANTHROPIC_LOG=debug and OPENAI_LOG=debug, through real calls', () => {
    let anthropic: FakeAnthropicServer;
    let openai: FakeOpenAiServer;
    const written: string[] = [];
    const saved = { anthropic: process.env.ANTHROPIC_LOG, openai: process.env.OPENAI_LOG };
    const realStdout = process.stdout.write.bind(process.stdout);
    const realStderr = process.stderr.write.bind(process.stderr);
    let stdoutWrites = 0;
    beforeAll(async () => {
      anthropic = await startFakeAnthropicServer();
      openai = await startFakeOpenAiServer({ flavour: 'openai' });
      process.env.ANTHROPIC_LOG = 'debug';
      process.env.OPENAI_LOG = 'debug';
    });
    afterAll(async () => {
      process.env.ANTHROPIC_LOG = saved.anthropic;
      process.env.OPENAI_LOG = saved.openai;
      if (saved.anthropic === undefined) delete process.env.ANTHROPIC_LOG;
      if (saved.openai === undefined) delete process.env.OPENAI_LOG;
      await anthropic.close();
      await openai.close();
    });

    it('logs requests and answers to stderr only, without a key or a whole prompt', async () => {
      anthropic.enqueue({ kind: 'tool', input: OUTPUT });
      openai.enqueue({ kind: 'tool', input: OUTPUT });
      const call = { prompt: { system: 'sys', user: [LONG_PROMPT] }, tool: { ...GENERATED_COMPONENT_TOOL, inputSchema: generatedComponentJsonSchema() }, maxTokens: 1024 };
      process.stderr.write = ((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        if (String(chunk).includes('[sdk ')) stdoutWrites++;
        return realStdout(chunk as string, ...(rest as []));
      }) as typeof process.stdout.write;
      try {
        await new AnthropicProvider({ apiKey: ANTHROPIC_KEY, baseURL: anthropic.baseURL, model: 'claude-sonnet-4-6', timeoutMs: 5000 }).generate(call);
        await new OpenAiCompatibleProvider({ apiKey: OPENAI_KEY, baseURL: openai.baseURL, model: 'gpt-5.4-mini', timeoutMs: 5000 }).generate(call);
      } finally {
        process.stderr.write = realStderr;
        process.stdout.write = realStdout;
      }
      const log = written.join('');
      expect(log).toMatch(/\[sdk debug\].*sending request/);
      expect(log).toContain(anthropic.baseURL);
      expect(log).toContain(openai.baseURL);
      expect(log).toContain('very long prompt text');
      expect(log).not.toContain(LONG_PROMPT);
      expect(log).not.toContain('SECRETSECRET');
      expect(stdoutWrites).toBe(0);
    });
  });
});
